import ArgumentParser
import HamletKit
import Learning
import MailParser
import SpamStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Filter: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Filter one message from stdin to stdout, adding spam headers (for procmail, maildrop, Sieve...).",
        discussion: """
            The output is the input byte for byte, minus earlier X-Spam-* and X-Hamlet-* fields, plus X-Spam-Flag \
            (YES only for spam), X-Spam-Status, X-Spam-Level and X-Hamlet-Verdict at the end of the header block, \
            in the message's own line ending. On any error (no store, a broken store, a bad option) the message \
            is passed through unchanged and the exit status is still 0: mail is never lost.
            """)

    @OptionGroup var store: StoreOption

    func run() throws {
        let input = (try? Mailbox.readAll(fd: 0, path: "-")) ?? []
        Output.write(bytes: Self.filtered(input, storePath: store.resolvedPath))
        Output.flush()
    }

    /// The filtered message, or the input unchanged (with the reason on stderr) if anything goes wrong.
    static func filtered(_ input: [UInt8], storePath: String) -> [UInt8] {
        do {
            let sqlite = try SQLiteStore(path: storePath, create: false)
            let options = try sqlite.read { try sqlite.currentModel().map { ModelOptions(serialized: $0.options) } }
            guard let options else { throw HamletError.noModel(storePath) }
            let analysis = MessageAnalysis(SourcedMessage(id: "-", bytes: input), settings: options.features)
            let (logit, modelID) = try SingleMessageScorer.logit(analysis.tokens, store: sqlite)
            let thresholds = Thresholds.standard
            let result = Classification(id: "-", logit: logit, thresholds: thresholds)
            return FilterRewriter.rewrite(input, adding: headers(for: result, modelID: modelID, thresholds: thresholds))
        } catch {
            Output.error("filter: \(describe(error)); message passed through unchanged")
            return input
        }
    }

    static func headers(for result: Classification, modelID: Int64, thresholds: Thresholds) -> [(name: String, value: String)] {
        let isSpam = result.verdict == .spam
        let p = formatFixed(result.probability, decimals: 3)
        let stars = String(repeating: "*", count: Int((result.probability * 10).rounded()))
        return [
            ("X-Spam-Flag", isSpam ? "YES" : "NO"),
            ("X-Spam-Status", "\(isSpam ? "Yes" : "No"), score=\(p) required=\(formatFixed(thresholds.spam, decimals: 3))"),
            ("X-Spam-Level", stars),
            ("X-Hamlet-Verdict", "\(result.verdict.rawValue); p=\(p); log-odds=\(formatFixed(result.logit, decimals: 4)); model=\(modelID)"),
        ]
    }

    /// Parses `filter`'s arguments and runs it; a usage error passes the message through and exits 0.
    static func runInDeliveryPath(arguments: [String]) -> Never {
        do {
            let command = try Filter.parse(arguments)
            try command.run()
            terminate(0)
        } catch {
            let helpRequested = arguments.contains("--help") || arguments.contains("-h")
            if helpRequested {
                Filter.exit(withError: error)
            }
            Output.error("filter: \(Filter.message(for: error)); message passed through unchanged")
            let input = (try? Mailbox.readAll(fd: 0, path: "-")) ?? []
            Output.write(bytes: input)
            Output.flush()
            terminate(0)
        }
    }
}

private func terminate(_ code: Int32) -> Never {
    #if canImport(Glibc)
    Glibc.exit(code)
    #else
    Darwin.exit(code)
    #endif
}
