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

    @OptionGroup var store: StoreOption

    func run() throws {
        let (configuration, sqlite) = try store.open()
        let options = configuration.modelOptions
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
