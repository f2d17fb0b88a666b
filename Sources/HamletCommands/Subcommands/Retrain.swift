import ArgumentParser
import HamletKit
import SpamStore

struct Retrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the model from every stored example, as a new model version.",
        discussion: """
            Needs no mail: the store keeps every trained message's label and token counts. The result depends only \
            on the stored examples, the options and the seed. Without --model (or --hidden, --activation, \
            --output) the kind of model the store holds is kept. The last 3 model versions are kept.
            """)

    @OptionGroup var store: StoreOption
    @OptionGroup var model: ModelKindOptionGroup

    func run() throws {
        let (configuration, sqlite) = try store.open()
        var options = model.apply(to: configuration.modelOptions)
        var trainer = configuration.trainer(for: sqlite, options: options)
        if !model.namesModel { options = try trainer.continuingStoredKind(options) }
        trainer.options = options
        var report = TrainReport()
        let start = monotonicSeconds()
        let expired = try trainer.expire()
        if expired > 0 { Output.line("expired \(expired) example(s): \(configuration.retention.summary)") }
        try trainer.fit(into: &report)
        guard let id = report.modelID else { throw HamletError.noExamples(sqlite.location) }
        let counts = try sqlite.read { try sqlite.exampleCounts() }
        Output.line(
            "fitted model \(id) on \(counts.spam) spam and \(counts.ham) ham in \(formatFixed(monotonicSeconds() - start, decimals: 2)) s"
                + (report.lossPerEpoch.last.map { "; final loss \(formatFixed($0, decimals: 5))" } ?? ""))
    }
}
