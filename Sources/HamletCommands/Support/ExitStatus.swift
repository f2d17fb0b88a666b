import ArgumentParser
import HamletKit

extension ExitStatus {
    /// What a command's error becomes: swift-argument-parser's own pass through (usage errors, `ExitCode`, and the
    /// internal error its help command throws to print help); any other is printed to stderr and exits with its
    /// status (`ExitStatus.of`).
    static func report(_ error: Error) -> Error {
        if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return error }
        Output.error(describe(error))
        return ExitCode(of(error))
    }
}
