import ArgumentParser
import HamletKit

/// The `hamlet` command line: a thin layer over HamletKit. A library, so that `hamlet` and `hamlet-pg` (the same
/// commands with the PostgreSQL store linked in) share it.
public struct Hamlet: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "hamlet",
        abstract: "A learning spam filter: train it on your mail, then filter, classify and evaluate.",
        discussion: """
            Exit statuses: 0 success; 1 error; 64 usage error; 66 a message, mailbox or index that does not exist, \
            or a message the store does not hold; \
            70 a store that is missing, has no model, is unusable or is from a newer Hamlet; 74 a store or file that \
            cannot be written (read-only file system, full disk); 75 the store stayed \
            locked (try again); 78 a bad configuration file. `hamlet filter` has its own table (hamlet filter --help): \
            by default it always exits 0 and passes the message through, even on errors.

            Settings: $XDG_CONFIG_HOME/hamlet/config.toml (or $HAMLET_CONFIG); `hamlet config` shows them.
            """,
        version: HamletVersion.string,
        subcommands: [
            Train.self, Relabel.self, Forget.self, Retrain.self, Classify.self, Filter.self, Explain.self,
            Evaluate.self, Stats.self, Tokens.self, Inspect.self, DatabaseCommand.self, Bench.self,
            Config.self, Serve.self
        ])

    /// `filter` sits in the delivery path: a usage error there must not bounce or lose mail, so its arguments are
    /// parsed here and any failure passes the message through unchanged.
    public static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "filter" {
            Filter.runInDeliveryPath(arguments: Array(arguments.dropFirst()))
        }
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            reportUnknownCommand(arguments)
            exit(withError: error)
        }
        do {
            var command = command
            try command.run()
            Output.flush()
        } catch {
            Output.flush()
            exit(withError: ExitStatus.report(error))
        }
    }
}

extension Hamlet {
    /// A mistyped command: name it (swift-argument-parser would complain about the options after it instead).
    /// Only after parsing failed: the command names come from reflection, which costs milliseconds.
    static func reportUnknownCommand(_ arguments: [String]) {
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help" else { return }
        let names: [String] = configuration.subcommands.map { command in command._commandName }
        if names.contains(first) { return }
        let near = names.min { editDistance($0, first) < editDistance($1, first) }
        var message = "unknown command '\(first)'"
        if let near, editDistance(near, first) <= 2 { message += "; did you mean '\(near)'?" }
        Output.error(message + " (hamlet --help lists the commands)")
        exit(withError: ExitCode(64))
    }
}

enum HamletVersion {
    static let string = HamletInfo.version
}

/// Levenshtein distance between two short words, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [Int](repeating: 0, count: b.count + 1)
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        previous = current
    }
    return previous[b.count]
}
