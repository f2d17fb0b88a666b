import MailParser
import SpamStore

/// Errors the engine reports to the command line; each has a message a user can act on.
public enum HamletError: Error, CustomStringConvertible {
    case usage(String)
    case badIndexLine(file: String, line: Int, text: String)
    case io(String)
    case noModel(String)
    /// A store with no examples asked to fit a model.
    case noExamples(String)
    case configuration(String)
    case unknownMessage(String, String)

    public var description: String {
        switch self {
        case .usage(let message): return message
        case .badIndexLine(let file, let line, let text):
            return "\(file):\(line): not an index line (expected `spam PATH` or `ham PATH`): \(text.prefix(80))"
        case .io(let message): return message
        case .noModel(let path): return "the store \(path) has no trained model yet: run hamlet train first"
        case .noExamples(let path):
            return "the store \(path) holds no examples to fit a model on: run hamlet train first"
        case .configuration(let message): return "configuration: \(message)"
        case .unknownMessage(let name, let reason): return "\(name): \(reason)"
        }
    }
}

/// A readable one-line message for any error Hamlet can meet.
public func describe(_ error: Error) -> String {
    switch error {
    case let error as HamletError: return error.description
    case let error as StoreError: return error.description
    case let error as MailboxError: return error.description
    case let error as SQLiteError: return error.description
    default: return String(describing: error)
    }
}
