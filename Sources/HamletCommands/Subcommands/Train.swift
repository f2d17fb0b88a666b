import ArgumentParser
import HamletKit
import SpamStore

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Teach Hamlet which messages are spam and which are ham.",
        discussion: """
            Each PATH is a message file, a folder (read recursively), an mbox, a Maildir, or - for one message on \
            stdin. A message already trained is not counted twice; trained with the other label, it moves there. \
            Then the model is refitted from every stored example (with --full, on a store without a model or with \
            a stale one, on a small store, or when the changes since the last full fit reach 2% of the store), \
            or else updated in place for the changed examples; train says which, and why.
            """)

    @Option(name: .customLong("spam"), parsing: .upToNextOption, help: "Paths holding spam.")
    var spam: [String] = []

    @Option(name: .customLong("ham"), parsing: .upToNextOption, help: "Paths holding ham.")
    var ham: [String] = []

    @Flag(help: "Refit the model from every stored example instead of updating it.")
    var full = false

    @OptionGroup var store: StoreOption
    @OptionGroup var model: ModelKindOptionGroup
    @OptionGroup var jobs: JobsOption

    func validate() throws {
        if (spam + ham).filter({ $0 == "-" }).count > 1 { throw ValidationError("stdin (-) can be read only once") }
    }

    func run() throws {
        // Checked here rather than in validate(), which runs before a mistyped option (--spma) is reported.
        if spam.isEmpty && ham.isEmpty {
            throw ValidationError("give at least one --spam or --ham path")
        }
        let (configuration, sqlite) = try store.open(create: true)
        let options = model.apply(to: configuration.modelOptions)
        var trainer = configuration.trainer(for: sqlite, options: options, jobs: jobs.count)
        if full && !model.namesModel { trainer.options = try trainer.continuingStoredKind(options) }
        let paths =
            spam.map { LabeledPath(path: $0, isSpam: true) } + ham.map { LabeledPath(path: $0, isSpam: false) }
        let notes = InputNotes()
        var progress = ProgressLine(paths: paths.map(\.path).filter { $0 != "-" }, resultsOnStdout: false)
        let report = try trainer.train(paths, fullFit: full, notes: notes) { messages, bytes in
            if messages == 0 {
                progress.note("storing done; learning ...")
            } else {
                progress.advance(bytes: bytes, messages: messages)
            }
        }
        progress.finish()
        if report.added + report.relabeled + report.unchanged + report.conflicting.count == 0 && notes.leftOut > 0 {
            Output.error("nothing learned: every input was left out (see above)")
            if report.learning?.action != .refit { throw ExitCode(ExitStatus.nothingUsable) }
        }
        var summary = "learned \(report.added) new, moved \(report.relabeled), \(report.unchanged) already known; "
        summary += "store holds \(report.spamExamples) spam and \(report.hamExamples) ham"
        Output.line(summary)
        if report.expired > 0 {
            Output.line("expired \(report.expired) example(s): \(configuration.retention.summary)")
        }
        if let id = report.modelID, let learning = report.learning {
            Output.line(LearningSummary.line(learning, modelID: id))
        }
        if !report.conflicting.isEmpty {
            Output.error(
                "\(report.conflicting.count) message(s) were given as both spam and ham in this run; "
                    + "each kept the label it was given first, e.g. \(report.conflicting[0])")
        }
    }
}
