import ArgumentParser
import HamletKit
import SpamStore

enum Label: String, ExpressibleByArgument, CaseIterable {
    case spam, ham
}

struct Relabel: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move trained messages to the other label and update the model in place.",
        discussion: """
            MESSAGE is a message file, folder or mailbox (every message in it), sha256:HEX (a digest), \
            <message-id>, MBOX:BYTEOFFSET, a Maildir id as classify prints it, or - (stdin). A copy that went \
            through `hamlet filter` names the same message. A message the store does not hold is an error, and then \
            nothing changes.
            """)

    @Option(name: .customLong("as"), help: "The right label: spam or ham.")
    var label: Label

    @Argument(help: "The messages to move.")
    var messages: [String]

    @Option(
        name: .customLong("sample"),
        help: ArgumentHelp("Other examples sampled per moved message.", visibility: .hidden))
    var sample: Int?

    @Option(
        name: .customLong("sample-minimum"),
        help: ArgumentHelp("At least this many sampled examples.", visibility: .hidden))
    var sampleMinimum: Int?

    @Option(name: .customLong("iterations"), help: ArgumentHelp("Iterations of the correction.", visibility: .hidden))
    var iterations: Int?

    @Option(name: .customLong("rate"), help: ArgumentHelp("AdaGrad rate of the correction.", visibility: .hidden))
    var rate: Double?

    @OptionGroup var store: StoreOption

    func validate() throws {
        if let sample, sample < 0 { throw ValidationError("--sample must not be negative") }
        if let sampleMinimum, sampleMinimum < 0 { throw ValidationError("--sample-minimum must not be negative") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
    }

    func run() throws {
        let (configuration, sqlite) = try store.open()
        var options = configuration.modelOptions
        if let rate { options.training.relabelRate = rate }
        if let sample { options.training.relabelSamplePerMessage = sample }
        if let sampleMinimum { options.training.relabelSampleMinimum = sampleMinimum }
        if let iterations { options.training.relabelIterations = iterations }
        let resolved = try MessageResolver(store: sqlite, settings: options.features).resolve(messages)
        let report = try Trainer(store: sqlite, options: options).relabel(resolved, asSpam: label == .spam)
        Output.line(
            "moved \(report.changed) to \(label.rawValue), \(report.unchanged) already \(label.rawValue); "
                + "store holds \(report.spamExamples) spam and \(report.hamExamples) ham")
        if let id = report.modelID, let learning = report.learning {
            Output.line(LearningSummary.line(learning, modelID: id))
        }
    }
}

struct Forget: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove trained messages from the store, and their effect from the model.",
        discussion: """
            MESSAGE is named as for relabel. The model is refitted from the examples that remain, as a new model \
            version, so nothing of the forgotten messages stays in it.
            """)

    @Argument(help: "The messages to forget.")
    var messages: [String]

    @OptionGroup var store: StoreOption

    func run() throws {
        let (configuration, sqlite) = try store.open()
        let options = configuration.modelOptions
        let resolved = try MessageResolver(store: sqlite, settings: options.features).resolve(messages)
        let report = try Trainer(store: sqlite, options: options).forget(resolved)
        Output.line(
            "forgot \(report.changed); store holds \(report.spamExamples) spam and \(report.hamExamples) ham"
                + (report.modelID.map { "; refitted model \($0)" } ?? "; no examples left, no model"))
    }
}
