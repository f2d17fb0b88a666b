import Learning
import SpamStore

/// What `relabel` or `forget` did.
public struct CorrectionReport: Sendable, Equatable {
    public var changed = 0
    public var unchanged = 0
    public var modelID: Int64? = nil
    /// True when the model was refitted from the remaining examples (forget), false for an in-place update.
    public var refitted = false
    public var spamExamples = 0
    public var hamExamples = 0
}

extension Trainer {
    /// Moves stored examples to the other label and updates the current model incrementally in the same
    /// transaction, with the examples' stored token counts (no mail needed). A message the store does not hold is
    /// an error naming it, and then nothing changes.
    public func relabel(_ messages: [ResolvedMessage], asSpam isSpam: Bool) throws -> CorrectionReport {
        var report = CorrectionReport()
        try store.write {
            var deltas = DocumentCountDeltas()
            var learned: [(counts: [(Int32, Int)], isSpam: Bool)] = []
            var seen = Set<String>()
            for message in messages where seen.insert(message.digest).inserted {
                guard let (change, example) = try store.setLabel(digest: message.digest, isSpam: isSpam, deltas: &deltas) else {
                    throw HamletError.unknownMessage(message.name, "not in the store (sha256:\(message.digest)); train it instead")
                }
                if change == .relabeled {
                    report.changed += 1
                    learned.append((example.counts, isSpam))
                } else {
                    report.unchanged += 1
                }
            }
            try store.applyDocumentCounts(deltas)
            if let model = try store.currentModel(), !learned.isEmpty {
                var stored = ModelOptions(serialized: model.options, base: options)
                stored.training.relabelMargin = options.training.relabelMargin
                stored.training.relabelMaxSteps = options.training.relabelMaxSteps
                try learnIncrementally(learned, modelID: model.id, options: stored, relabeling: true)
                report.modelID = model.id
            }
        }
        let counts = try store.read { try store.exampleCounts() }
        report.spamExamples = counts.spam
        report.hamExamples = counts.ham
        return report
    }

    /// Removes stored examples and their effect: the model is refitted from the examples that remain, as a new
    /// model version (incremental updates cannot be undone exactly). Unknown messages are an error naming them.
    public func forget(_ messages: [ResolvedMessage]) throws -> CorrectionReport {
        var report = CorrectionReport()
        try store.write {
            var deltas = DocumentCountDeltas()
            var seen = Set<String>()
            for message in messages where seen.insert(message.digest).inserted {
                guard try store.deleteExample(digest: message.digest, deltas: &deltas) != nil else {
                    throw HamletError.unknownMessage(message.name, "not in the store (sha256:\(message.digest))")
                }
                report.changed += 1
            }
            try store.applyDocumentCounts(deltas)
        }
        let counts = try store.read { try store.exampleCounts() }
        if counts.spam + counts.ham == 0 {
            try store.write { try store.deleteModels() }
        } else {
            // Refit with the current model's own options, so forgetting never changes the kind of model.
            var refit = self
            if let model = try store.read({ try store.currentModel() }) {
                refit.options = ModelOptions(serialized: model.options, base: options)
            }
            var training = TrainReport()
            try refit.fit(into: &training)
            report.modelID = training.modelID
            report.refitted = true
        }
        report.spamExamples = counts.spam
        report.hamExamples = counts.ham
        return report
    }
}
