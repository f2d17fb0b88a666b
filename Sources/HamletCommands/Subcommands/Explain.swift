import ArgumentParser
import HamletKit
import Learning
import MailParser
import SpamStore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show why a message got its verdict: the words and signs that pushed it toward spam or ham.")

    @Argument(help: "A message: a file, MBOX:BYTEOFFSET or a Maildir id as classify prints it, or - for stdin.")
    var message: String = "-"

    @Option(help: "How many tokens to show in each direction.")
    var top: Int = 12

    @OptionGroup var store: StoreOption

    func run() throws {
        let (configuration, sqlite) = try store.open(readOnly: true)
        let settings = configuration.modelOptions.features
        guard let source = try Mailbox.first(message) else { throw HamletError.io("\(message): no message") }
        let analysis = MessageAnalysis(source, settings: settings)
        let score = try SingleMessageScorer.score(
            analysis.tokens, store: sqlite, base: configuration.modelOptions,
            explaining: true, countingExamplesUpTo: configuration.thresholds.examplesCounted)
        let verdicts = StoreVerdicts(
            configuration.thresholds, spamExamples: score.spamExamples, hamExamples: score.hamExamples)
        let result = Classification(id: source.id, logit: score.logit, verdicts: verdicts)
        let thresholds = verdicts.thresholds
        Output.line("\(source.id)")
        var rule =
            "spam at \(formatFixed(thresholds.spam, decimals: 3)) or more, ham below \(formatFixed(thresholds.ham, decimals: 2))"
        if verdicts.inTraining {
            rule +=
                "; nothing is called spam before the store holds \(StoreVerdicts.minimumExamplesPerLabel) of each label"
        } else if thresholds.spam != configuration.thresholds.spam {
            rule +=
                "; raised from \(formatFixed(configuration.thresholds.spam, decimals: 2)) while the store holds fewer than "
                + "\(configuration.thresholds.youngStoreHam) ham (it holds \(score.hamExamples))"
        }
        Output.line(
            "verdict: \(result.verdict.rawValue), p(spam) = \(formatFixed(result.probability, decimals: 3)) (\(rule))")
        Output.line(
            "evidence: log-odds \(formatFixed(score.logit, decimals: 3)) = starting point \(formatFixed(score.bias, decimals: 3))"
                + " + the tokens below and the rest; \(analysis.tokens.distinctCount) distinct tokens, "
                + "\(score.unknownTokens) never seen in training")
        // The stored model's own scaling (a model records it; older ones scaled the whole vector).
        let recorded = try sqlite.currentModelOptions(base: configuration.modelOptions)?.features ?? settings
        let scaling = recorded.scaling(of: analysis.tokens)
        let transform =
            recorded.transform == .log ? "log(1 + count)" : recorded.transform == .binary ? "1" : "the count"
        Output.line(
            "values: \(transform) times \(formatFixed(scaling.wordScale, decimals: 3)) for each of \(scaling.words) words, "
                + "times \(formatFixed(scaling.signScale, decimals: 3)) for each of \(scaling.signs) signs (normalisation: \(recorded.normalization.rawValue))"
        )
        let ranked = score.contributions.filter { $0.contribution != 0 }
        let spammy = ranked.filter { $0.contribution > 0 }.sorted { $0.contribution > $1.contribution }.prefix(top)
        let hammy = ranked.filter { $0.contribution < 0 }.sorted { $0.contribution < $1.contribution }.prefix(top)
        Output.line("\nPushing toward spam:")
        printTable(Array(spammy))
        Output.line("\nPushing toward ham:")
        printTable(Array(hammy))
        Output.line(
            "\n(push: how far the token moved the log-odds, its weight times its value; weight: what the model learned for it; count: times in this message)"
        )
    }

    private func printTable(_ rows: [TokenContribution]) {
        if rows.isEmpty {
            Output.line("  (none)")
            return
        }
        Output.line("      push   weight  count  token")
        for row in rows {
            let push = (row.contribution > 0 ? "+" : "") + formatFixed(row.contribution, decimals: 3)
            let weight = (row.weight > 0 ? "+" : "") + formatFixed(row.weight, decimals: 2)
            Output.line(pad(push, 10) + pad(weight, 9) + pad(String(row.count), 7) + "  " + row.token)
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
