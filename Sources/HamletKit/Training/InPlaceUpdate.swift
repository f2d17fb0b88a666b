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
                if continued.training.model != .logreg && updates.contains(where: { $0.after == nil }) {
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

    /// Updates the current model in place for changed examples (call inside `write`). For logistic regression the
    /// weights of their tokens and the bias are re-solved against the changes and a random sample of the other
    /// stored examples (see `LabelCorrection`), reading only the changed examples, the sample (with the log-odds
    /// each recorded) and the changed tokens' weights. The update keeps the plain L2 penalty even on a store below
    /// `TrainingOptions.l2ReferenceSize` (the fits' larger one made updates trail a refit further).
    /// Networks learn the changed examples with their new labels by incremental steps (three times as many for a
    /// moved example, which must undo its old label).
    func updateInPlace(
        _ updates: [ExampleUpdate], model info: ModelInfo, options: ModelOptions, storeChanges: Int64,
        storeSize: Int
    ) throws {
        let added = updates.filter { $0.before == nil }.count, removed = updates.filter { $0.after == nil }.count
        let exampleCount = max(0, info.exampleCount + added - removed)
        let settings = options.features
        let training = options.training
        let local = LocalTokenIndex(updates.map(\.counts))
        let changedIDs = local.storeIDs
        guard training.model == .logreg else {
            var steps = options
            if updates.contains(where: { $0.before != nil }) { steps.training.incrementalSteps *= 3 }
            let signs = try store.tokenIDs(changedIDs, where: { TokenKind.of($0) == .sign })
            let learned = updates.compactMap { update in update.after.map { (update.counts, $0) } }
            return try learnNetworkIncrementally(
                learned, signs: signs, info: info, options: steps, changes: storeChanges,
                exampleCount: exampleCount)
        }
        let digests = Set(updates.map(\.digest))
        let others = storeSize - (updates.count - removed)
        let sampleSize = min(
            others, max(training.relabelSampleMinimum, training.relabelSamplePerMessage * updates.count))
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for digest in digests.sorted() { for byte in digest.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01b3 } }
        let sample = sampleSize > 0 ? try store.sampleExamples(count: sampleSize, seed: seed, excluding: digests) : []
        // The sample's weights outside the changed tokens only set where each sampled example sits on the sigmoid:
        // its log-odds recorded at the last fit or update stands in for them, so only the changed tokens' weights
        // are read (and every token of the rare sampled example with no recorded log-odds).
        // Counts are sorted by token id: each list's last pair holds its largest.
        let largest = max(
            updates.lazy.compactMap { $0.counts.last?.0 }.max() ?? 0,
            sample.lazy.compactMap { $0.counts.last?.0 }.max() ?? 0)
        let size = Int(largest) + 1
        var involved = changedIDs
        var seen = [Bool](repeating: false, count: size)
        for id in changedIDs { seen[Int(id)] = true }
        for example in sample where example.fitLogit == nil {
            for (id, _) in example.counts where !seen[Int(id)] {
                seen[Int(id)] = true
                involved.append(id)
            }
        }
        var weightOf = [Double](repeating: 0, count: size), accumulatorOf = [Double](repeating: 0, count: size)
        try store.forEachWeight(modelID: info.id, tokenIDs: involved) { id, weight, accumulator in
            weightOf[Int(id)] = weight
            accumulatorOf[Int(id)] = accumulator
        }
        var isSign = [Bool](repeating: false, count: size)
        if settings.normalization == .split {
            let signs = try store.tokenFlags(cachedAs: "sign", where: { TokenKind.of($0) == .sign })
            for k in 0..<min(size, signs.count) { isSign[k] = signs[k] }
        }
        var localOf = [Int32](repeating: -1, count: size)
        for id in changedIDs { localOf[Int(id)] = local[id] ?? -1 }
        func localExample(_ counts: [(Int32, Int)], isSpam: Bool, logit: Double? = nil) -> LocalExample {
            let vector = settings.vector(counts: counts, isSign: { isSign[Int($0)] })
            var indices: [Int32] = [], values: [Double] = [], offset = 0.0, localPart = 0.0
            for k in 0..<vector.indices.count {
                let id = Int(vector.indices[k])
                if localOf[id] >= 0 {
                    indices.append(localOf[id])
                    values.append(vector.values[k])
                    localPart += weightOf[id] * vector.values[k]
                } else {
                    offset += weightOf[id] * vector.values[k]
                }
            }
            if let logit { offset = logit - info.bias - localPart }
            return LocalExample(indices: indices, values: values, offset: offset, isSpam: isSpam)
        }
        var weights = changedIDs.map { weightOf[Int($0)] }
        var bias = info.bias
        let changes = try updates.map { update in
            LabelCorrection.Change(
                example: localExample(update.counts, isSpam: update.after ?? false), before: update.before,
                after: update.after, fittedLogit: update.before == nil ? nil : try store.fitLogit(digest: update.digest)
            )
        }
        LabelCorrection.solve(
            changes: changes, sample: sample.map { localExample($0.counts, isSpam: $0.isSpam, logit: $0.fitLogit) },
            sampleWeight: sample.isEmpty ? 0 : Double(max(0, others)) / Double(sample.count),
            storeSize: max(1, storeSize), weights: &weights, bias: &bias, l2: training.l2,
            iterations: training.relabelIterations, rate: training.relabelRate, hamWeight: training.hamWeight)
        let changed = changedIDs.enumerated().map {
            (tokenID: $0.element, weight: weights[$0.offset], accumulator: accumulatorOf[Int($0.element)])
        }
        try store.updateModel(
            id: info.id, bias: bias, biasAccumulator: info.biasAccumulator, exampleCount: exampleCount,
            changedWeights: changed, changes: storeChanges)
        try store.setFitLogits(
            zip(updates, changes).compactMap { update, change in
                update.after == nil ? nil : (update.digest, change.example.logit(weights, bias: bias))
            })
    }
}
