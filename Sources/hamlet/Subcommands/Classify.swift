import ArgumentParser
import HamletKit
import SpamStore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, tsv, json
}

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify messages, folders and mailboxes in bulk.",
        discussion: """
            One result per message, in input order. Ids: the path for a message file, PATH:BYTEOFFSET for a message \
            inside an mbox, and for a Maildir message its path without the :2,FLAGS suffix. \
            Formats: text (a table), tsv (id, verdict, p(spam)), json (JSON Lines with id, verdict, p_spam, log_odds).
            """)

    @Argument(help: "Message files, folders, mbox files or Maildirs; - for stdin.")
    var paths: [String]

    @Option(help: "Output format: text, tsv or json.")
    var format: OutputFormat = .text

    @OptionGroup var store: StoreOption
    @OptionGroup var jobs: JobsOption

    func run() throws {
        do {
            let sqlite = try SQLiteStore(path: store.resolvedPath, create: false)
            let classifier = BulkClassifier(snapshot: try ModelSnapshot.load(from: sqlite), jobs: jobs.count)
            try classifier.classify(paths) { result in
                Output.line(Self.render(result, format: format))
            }
            Output.flush()
        } catch {
            throw ExitStatus.report(error)
        }
    }

    static func render(_ result: Classification, format: OutputFormat) -> String {
        let p = formatFixed(result.probability, decimals: 6)
        switch format {
        case .tsv:
            return "\(result.id)\t\(result.verdict.rawValue)\t\(p)"
        case .json:
            return "{\"id\":\(jsonString(result.id)),\"verdict\":\"\(result.verdict.rawValue)\",\"p_spam\":\(p),\"log_odds\":\(formatFixed(result.logit, decimals: 6))}"
        case .text:
            let verdict = result.verdict.rawValue
            return verdict + String(repeating: " ", count: 8 - verdict.count) + formatFixed(result.probability, decimals: 3) + "  " + result.id
        }
    }
}
