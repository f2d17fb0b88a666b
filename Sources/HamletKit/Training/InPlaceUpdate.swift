import Learning
import SpamStore
import TextFeatures

/// A change to one stored example, as the model must learn it: its label before (nil: it was not stored) and after
/// (nil: forgotten), with its stored token counts.
struct ExampleUpdate {
    var digest: String
    var counts: [(Int32, Int)]
    var before: Bool?
    var after: Bool?
}

extension Trainer {
    /// Brings the model in step with stored examples that changed in transactions already committed, as the policy
    /// decides (call outside any transaction). An in-place update runs in one short write transaction, re-checking
    /// there that nobody else changed examples meanwhile; a refit reads one snapshot, fits with no lock held, and
    /// writes the new version in a short transaction. `updates` are this run's changes (nil: too many to keep).
    /// `forcedRefit` says why a refit must happen regardless; `asOptionsGiven` fits with this trainer's options
    /// rather than continuing the current model's settings (`train --full`).
    func learn(
        _ updates: [ExampleUpdate]?, changedNow: Int, forcedRefit: String? = nil, asOptionsGiven: Bool = false,
        correctingLabels: Bool = false, into report: inout TrainReport
    ) throws {
        var refitOptions = options
        let decision: LearningPolicy.Decision = try store.write {
            let model = try store.currentModel()
            let counts = try store.exampleCounts()
            let storeChanges = try store.exampleChanges()
            let stored = counts.spam + counts.ham
            var decision = policy.decide(
                model: model, storeChanges: storeChanges, changedNow: changedNow, stored: stored,
                forcedRefit: forcedRefit, canUpdateInPlace: updates != nil,
                correctingLabels: correctingLabels)
            guard let model else { return decision }
            // A refit the user did not ask for continues the model's own settings (kind, rates, weighting).
            if !asOptionsGiven { refitOptions = ModelOptions(serialized: model.options, base: options) }
            if decision.action == .updateInPlace, let updates {
                let continued = ModelOptions(serialized: model.options, base: options)
                if !continued.training.model.family.unlearnsInPlace && updates.contains(where: { $0.after == nil }) {
                    decision = LearningPolicy.Decision(
                        action: .refit, reason: "forgetting needs a refit for this kind of model")
                } else {
                    try updateInPlace(
                        updates, model: model, options: continued, storeChanges: storeChanges, storeSize: stored)
                }
            }
            if decision.action != .refit { report.modelID = model.id }
            return decision
        }
        report.learning = decision
        switch decision.action {
        case .refit:
            var refit = self
            refit.options = refitOptions
            try refit.fit(into: &report)
        case .nothing:
            if try store.read({ try store.exampleCounts() }) == (0, 0) { try store.write { try store.deleteModels() } }
        case .updateInPlace:
            break
        }
    }

    /// Updates the current model in place for changed examples (call inside `write`), as its family does.
    func updateInPlace(
        _ updates: [ExampleUpdate], model info: ModelInfo, options: ModelOptions, storeChanges: Int64,
        storeSize: Int
    ) throws {
        let added = updates.filter { $0.before == nil }.count, removed = updates.filter { $0.after == nil }.count
        let context = InPlaceContext(
            store: store, options: options, storeChanges: storeChanges, storeSize: storeSize,
            exampleCount: max(0, info.exampleCount + added - removed))
        try options.training.model.family.learnInPlace(updates, into: info, context: context)
    }
}
