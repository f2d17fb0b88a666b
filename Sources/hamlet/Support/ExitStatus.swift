import ArgumentParser
import HamletKit
import MailParser
import SpamStore

/// Hamlet's exit statuses (documented in the README and in `hamlet --help`).
enum ExitStatus {
    static let failure: Int32 = 1
    /// Nothing was done because every input was left out as not mail, or skipped (EX_DATAERR).
    static let nothingUsable: Int32 = 65
    /// A message, mailbox or index that does not exist, or a message the store does not hold (EX_NOINPUT).
    static let noInput: Int32 = 66
    /// A store that is missing, has no model (or no examples to fit one on), is corrupt or is from a newer Hamlet.
    static let storeProblem: Int32 = 70
    /// The store stayed locked past the timeout: try again later (EX_TEMPFAIL).
    static let temporaryFailure: Int32 = 75
    /// The store could not be written: a read-only file system, no permission, a full disk (EX_IOERR).
    static let ioError: Int32 = 74
    /// The configuration file is unreadable or wrong (EX_CONFIG).
    static let configuration: Int32 = 78

    /// Prints `error` to stderr and returns the exit code that describes it.
    static func report(_ error: Error) -> ExitCode {
        Output.error(describe(error))
        switch error {
        case is MailboxError: return ExitCode(noInput)
        case StoreError.busy: return ExitCode(temporaryFailure)
        case StoreError.readOnly, StoreError.full: return ExitCode(ioError)
        case is StoreError: return ExitCode(storeProblem)
        case HamletError.noModel, HamletError.noExamples: return ExitCode(storeProblem)
        case HamletError.configuration: return ExitCode(configuration)
        case HamletError.usage: return ExitCode(64)
        case HamletError.io: return ExitCode(ioError)
        case HamletError.unknownMessage: return ExitCode(noInput)
        default: return ExitCode(failure)
        }
    }
}
