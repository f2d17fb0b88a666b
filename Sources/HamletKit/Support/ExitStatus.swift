import MailParser
import SpamStore

/// Hamlet's exit statuses (documented in the README and in `hamlet --help`); `hamlet filter` has its own
/// (`DeliveryFilter`), which never bounce mail.
public enum ExitStatus {
    public static let failure: Int32 = 1
    public static let usage: Int32 = 64
    /// Nothing was done because every input was left out as not mail, or skipped, or an import had a bad line
    /// (EX_DATAERR).
    public static let nothingUsable: Int32 = 65
    /// A message, mailbox or index that does not exist, or a message the store does not hold (EX_NOINPUT).
    public static let noInput: Int32 = 66
    /// A store that is missing, has no model (or no examples to fit one on), is corrupt or is from a newer Hamlet.
    public static let storeProblem: Int32 = 70
    /// The store could not be written: a read-only file system, no permission, a full disk (EX_IOERR).
    public static let ioError: Int32 = 74
    /// The store stayed locked past the timeout: try again later (EX_TEMPFAIL).
    public static let temporaryFailure: Int32 = 75
    /// The configuration file is unreadable or wrong (EX_CONFIG).
    public static let configuration: Int32 = 78

    /// The status a command exits with after `error`: the error's own when it carries one, else `failure`.
    public static func of(_ error: Error) -> Int32 {
        (error as? CarriesExitStatus)?.exitStatus ?? failure
    }
}

/// An error that knows which exit status describes it, so that no caller switches on error kinds.
public protocol CarriesExitStatus: Error {
    var exitStatus: Int32 { get }
}

extension HamletError: CarriesExitStatus {
    public var exitStatus: Int32 {
        switch self {
        case .usage: return ExitStatus.usage
        case .badIndexLine: return ExitStatus.failure
        case .io: return ExitStatus.ioError
        case .noModel, .noExamples: return ExitStatus.storeProblem
        case .configuration: return ExitStatus.configuration
        case .unknownMessage: return ExitStatus.noInput
        }
    }
}

extension StoreError: CarriesExitStatus {
    public var exitStatus: Int32 {
        switch self {
        case .busy, .unreachable: return ExitStatus.temporaryFailure
        case .readOnly, .full: return ExitStatus.ioError
        case .cannotKeepMessage: return ExitStatus.failure
        case .badImportLine: return ExitStatus.nothingUsable
        case .unsupportedLocation, .badLocation: return ExitStatus.usage
        default: return ExitStatus.storeProblem
        }
    }
}

extension MailboxError: CarriesExitStatus {
    public var exitStatus: Int32 { ExitStatus.noInput }
}
