#if canImport(Glibc)
    import Glibc
#endif

/// A verdict on SpamAssassin's score scale, the one X-Spam-Status and spamd's replies carry because the programs
/// that read them expect it: spamc, Exim's `$spam_score_int` (ten times the score), spamass-milter's `-r`, and
/// rspamd's spamassassin scanner, which accepts only a required score of 5.0. The required score is 5.0 and the
/// score is 5 plus how far the message's log-odds of spam lie above those of the spam threshold in force, so a
/// message is spam exactly when its score reaches 5.0 and each point multiplies the odds by e. A message not called
/// spam (ham, unsure, or any message while the store is still in training) scores at most 4.9; scores stop at
/// -99.9 and 99.9.
public struct SpamAssassinScore: Sendable, Equatable {
    /// The score from which a message is spam.
    public static let required = 5.0

    /// The largest score shown either way: rspamd's scanner reads at most two digits before the point.
    static let limit = 99.9

    /// The score, rounded down to a tenth (as shown, so that the shown number agrees with the verdict).
    public let value: Double

    public init(_ result: Classification) {
        let threshold = min(max(result.spamThreshold, 1e-12), 1 - 1e-12)
        let raw = Self.required + result.logit - log(threshold / (1 - threshold))
        let tenths = min(max((raw * 10).rounded(.down) / 10, -Self.limit), Self.limit)
        value = result.verdict == .spam ? max(tenths, Self.required) : min(tenths, Self.required - 0.1)
    }

    /// The score with one decimal, as spamd writes it.
    public var text: String { formatFixed(value, decimals: 1) }

    /// The required score with one decimal.
    public static var requiredText: String { formatFixed(required, decimals: 1) }

    /// X-Spam-Level's stars: one per whole point, as SpamAssassin writes them (at most 50).
    public var stars: String { String(repeating: "*", count: min(50, max(0, Int(value.rounded(.down))))) }
}
