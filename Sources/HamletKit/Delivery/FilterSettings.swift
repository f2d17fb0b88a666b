import Learning
import MailParser
import SpamStore
import TextFeatures
import Platform

/// What `hamlet filter` says with its exit status.
public enum FilterExitMode: String, Sendable, CaseIterable {
    /// Always 0 (the message is on stdout either way).
    case passThrough = "pass-through"
    /// bogofilter's convention: spam 0, ham 1, unsure 2, internal error 3.
    case exitCode = "exit-code"
}

/// The names of the header fields `hamlet filter` writes.
public struct FilterHeaderNames: Sendable, Equatable {
    public var flag = "X-Spam-Flag"
    public var status = "X-Spam-Status"
    public var level = "X-Spam-Level"
    public var verdict = "X-Hamlet-Verdict"

    public init() {}

    public var all: [String] { [flag, status, level, verdict] }
}
