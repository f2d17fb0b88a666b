import ArgumentParser
import HamletKit
import Learning
import SpamStore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, tsv, json
}

extension Verdict: ExpressibleByArgument {}

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify messages, folders and mailboxes in bulk, on every core.",
        discussion: """
            One result per message, in input order, whatever --jobs is. Ids: the path for a message file, \
            PATH:BYTEOFFSET for a message inside an mbox holding several, and for a Maildir message its path \
            without the :2,FLAGS suffix. Formats: text (verdict, p(spam), id), tsv (id<TAB>verdict<TAB>p(spam)), \
            json (JSON Lines: {"id", "verdict", "p_spam", "log_odds"}). A progress line appears on stderr when it \
            is a terminal.
            """)

    @Argument(help: "Message files, folders, mbox files or Maildirs; - for stdin.")
    var paths: [String]

    @Option(help: "Output format: text, tsv or json.")
    var format: OutputFormat = .text

    @Option(help: "Print only messages with this verdict: spam, ham or unsure.")
    var only: Verdict?

    @Flag(help: "After the results, print how many messages got each verdict (on stderr with --format json).")
    var summary = false

    @OptionGroup var store: StoreOption
    @OptionGroup var jobs: JobsOption

    func run() throws {
        let (configuration, sqlite) = try store.open(readOnly: true)
        var counts: [Verdict: Int] = [:]
        // As filter does: the store's size sets the spam threshold, and nothing is called spam before it holds
        // enough of each label.
        let examples = try sqlite.read { try sqlite.exampleCounts(upTo: configuration.thresholds.examplesCounted) }
        let verdicts = StoreVerdicts(
            configuration.thresholds, spamExamples: examples.spam, hamExamples: examples.ham)
        if verdicts.inTraining {
            Output.error(
                "the store holds \(examples.spam) spam and \(examples.ham) ham: nothing is called spam before "
                    + "\(StoreVerdicts.minimumExamplesPerLabel) of each (spam verdicts show as unsure)")
        }
        var progress = ProgressLine(paths: paths)
        let notes = InputNotes()
        try BulkClassifier.classify(
            paths, store: sqlite, base: configuration.modelOptions,
            verdicts: verdicts, jobs: jobs.count, notes: notes
        ) { classified in
            let result = classified
            progress.advance(bytes: result.size)
            counts[result.verdict, default: 0] += 1
            if only == nil || only == result.verdict { Output.line(Self.render(result, format: format)) }
        }
        progress.finish()
        if summary {
            let total = counts.values.reduce(0, +)
            let line =
                "\(total) messages: \(counts[.spam] ?? 0) spam, \(counts[.ham] ?? 0) ham, \(counts[.unsure] ?? 0) unsure"
            if format == .json { Output.flush(); Output.error(line) } else { Output.line(line) }
        }
        if counts.isEmpty && notes.leftOut > 0 {
            Output.flush()
            Output.error("nothing classified: every input was left out (see above)")
            throw ExitCode(ExitStatus.nothingUsable)
        }
    }

    static func render(_ result: Classification, format: OutputFormat) -> String {
        let p = formatFixed(result.probability, decimals: 6)
        switch format {
        case .tsv:
            return "\(OutputEscaping.escaped(result.id))\t\(result.verdict.rawValue)\t\(p)"
        case .json:
            return
                "{\"id\":\(jsonString(result.id)),\"verdict\":\"\(result.verdict.rawValue)\",\"p_spam\":\(p),\"log_odds\":\(formatFixed(result.logit, decimals: 6))}"
        case .text:
            let verdict = result.verdict.rawValue
            return verdict + String(repeating: " ", count: 8 - verdict.count)
                + formatFixed(result.probability, decimals: 3) + "  "
                + OutputEscaping.escaped(result.id)
        }
    }
}
