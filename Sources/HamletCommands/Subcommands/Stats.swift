import ArgumentParser
import HamletKit
import SpamStore

import Platform

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the store holds and how its model was trained.")

    @OptionGroup var store: StoreOption

    func run() throws {
        let (configuration, sqlite) = try store.open(readOnly: true)
        let stats = try sqlite.statistics()
        let size = try sqlite.sizeInBytes()
        Output.line("store            \(sqlite.location) (\(formatFixed(Double(size) / 1_048_576, decimals: 1)) MB)")
        Output.line("examples         \(stats.spamExamples) spam, \(stats.hamExamples) ham")
        Output.line("vocabulary       \(stats.vocabularySize) tokens")
        let now = Int64(time(nil))
        let (oldest, recent) = try sqlite.read {
            (
                try sqlite.oldestExampleLearnedAt(),
                try sqlite.examplesLearned(since: [now - 7 * 86_400, now - 30 * 86_400])
            )
        }
        if let oldest {
            Output.line(
                "growth           \(recent[0]) example(s) learned in the last 7 days, \(recent[1]) in the last 30; "
                    + "the oldest learned \(utcTimestamp(Int(oldest)))")
        }
        Output.line("retention        \(configuration.retention.summary)")
        if let model = stats.model {
            Output.line(
                "model            version \(model.id), \(model.kind), fitted \(utcTimestamp(Int(model.createdAt))), "
                    + "last updated \(utcTimestamp(Int(model.updatedAt)))")
            Output.line("trained on       \(model.exampleCount) examples")
            Output.line("since full fit   \(model.updatesSinceFit) example change(s) learned in place")
            if stats.changesNotLearned > 0 {
                Output.line(
                    "stale            \(stats.changesNotLearned) example change(s) not learned yet; the next train or retrain refits"
                )
            } else {
                Output.line("stale            no")
            }
            if !model.metrics.isEmpty { Output.line("training         \(model.metrics)") }
            Output.line("features         \(model.extractor)")
            Output.line("options          \(model.options)")
        } else {
            Output.line("model            none yet")
        }
        let minimum = StoreVerdicts.minimumExamplesPerLabel
        if stats.spamExamples < minimum || stats.hamExamples < minimum {
            Output.line(
                "note             filter calls nothing spam until the store holds \(minimum) spam and \(minimum) ham"
            )
        } else if stats.hamExamples < configuration.thresholds.youngStoreHam {
            let threshold = configuration.thresholds.forStore(hamExamples: stats.hamExamples).spam
            Output.line(
                "note             spam at p(spam) \(formatFixed(threshold, decimals: 3)) or more: raised from "
                    + "\(formatFixed(configuration.thresholds.spam, decimals: 2)) while the store holds fewer than "
                    + "\(configuration.thresholds.youngStoreHam) ham"
            )
        }
    }
}
