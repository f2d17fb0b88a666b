import Learning
import MailParser
import SpamStore
import TextFeatures

/// What `relabel` or `forget` did.
public struct CorrectionReport: Sendable, Equatable {
    public var changed = 0
    public var unchanged = 0
    public var modelID: Int64? = nil
    /// True when the model was refitted from every remaining example, false for an in-place update.
    public var refitted = false
    /// What the learning policy did, and why.
    public var learning: LearningPolicy.Decision? = nil
    public var spamExamples = 0
    public var hamExamples = 0
}

extension Trainer {
    /// Moves stored examples to the other label, then brings the model in step as `LearningPolicy` decides (an
    /// in-place update with the examples' stored token counts, no mail needed, or a refit). A message the store
    /// does not hold is an error naming it, and then nothing changes.
    public func relabel(_ messages: [ResolvedMessage], asSpam isSpam: Bool) throws -> CorrectionReport {
        var report = CorrectionReport()
        let updates = try changeStoredExamples(messages) { message, deltas in
            guard let (change, example) = try store.setLabel(digest: message.digest, isSpam: isSpam, deltas: &deltas)
            else {
                throw HamletError.unknownMessage(
                    message.name, "not in the store (sha256:\(message.digest)); train it instead")
            }
            guard change == .relabeled else {
                report.unchanged += 1
                return nil
            }
            report.changed += 1
            return ExampleUpdate(digest: message.digest, counts: example.counts, before: !isSpam, after: isSpam)
        }
        try learn(into: &report, updates, correctingLabels: true)
        return report
    }

    /// Removes stored examples and their effect: the model is refitted from the examples that remain, as a new
    /// model version, so that nothing of the forgotten messages stays in it. Unknown messages are an error naming them.
    public func forget(_ messages: [ResolvedMessage]) throws -> CorrectionReport {
        var report = CorrectionReport()
        let updates = try changeStoredExamples(messages) { message, deltas in
            guard let example = try store.deleteExample(digest: message.digest, deltas: &deltas) else {
                throw HamletError.unknownMessage(message.name, "not in the store (sha256:\(message.digest))")
            }
            report.changed += 1
            return ExampleUpdate(digest: message.digest, counts: example.counts, before: example.isSpam, after: nil)
        }
        try learn(
            into: &report, updates, forcedRefit: "forgetting refits, so that nothing of the forgotten messages stays")
        return report
    }

    /// Forgets messages held in memory (the daemon's TELL with `Remove`), named by their digest as `train` stored
    /// them.
    public func forget(messages: [SourcedMessage]) throws -> CorrectionReport {
        let settings = options.features
        return try forget(
            messages.map { ResolvedMessage(name: $0.id, digest: MessageAnalysis($0, settings: settings).digest) })
    }

    /// Changes each distinct message's stored example in one write transaction, keeping the tokens' document
    /// counts in step; returns the changes the model must learn. An error from `change` leaves nothing changed.
    private func changeStoredExamples(
        _ messages: [ResolvedMessage],
        _ change: (ResolvedMessage, inout DocumentCountDeltas) throws -> ExampleUpdate?
    ) throws -> [ExampleUpdate] {
        try store.write {
            var deltas = DocumentCountDeltas()
            var seen = Set<String>()
            var updates: [ExampleUpdate] = []
            for message in messages where seen.insert(message.digest).inserted {
                if let update = try change(message, &deltas) { updates.append(update) }
            }
            try store.applyDocumentCounts(deltas)
            return updates
        }
    }

    /// The policy's step for a correction, reported the way `relabel` and `forget` report.
    private func learn(
        into report: inout CorrectionReport, _ updates: [ExampleUpdate], forcedRefit: String? = nil,
        correctingLabels: Bool = false
    ) throws {
        var training = TrainReport()
        try learn(
            updates, changedNow: updates.count, forcedRefit: report.changed > 0 ? forcedRefit : nil,
            correctingLabels: correctingLabels, into: &training)
        report.modelID = training.modelID
        report.refitted = training.learning?.action == .refit
        report.learning = training.learning
        let counts = try store.read { try store.exampleCounts() }
        report.spamExamples = counts.spam
        report.hamExamples = counts.ham
    }
}
