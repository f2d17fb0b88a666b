import Learning
import SpamStore
import TextFeatures

extension LinearFamily {
    /// Re-solves the weights of the changed examples' tokens and the bias against the changes and a random sample
    /// of the other stored examples (see `LabelCorrection`), reading only the changed examples, the sample (with
    /// the log-odds each recorded) and the changed tokens' weights. The update keeps the plain L2 penalty even on a
    /// store below `TrainingOptions.l2ReferenceSize` (the fits' larger one made updates trail a refit further).
    static func learnInPlace(_ updates: [ExampleUpdate], into info: ModelInfo, context: InPlaceContext) throws {
        let store = context.store
        let storeSize = context.storeSize
        let settings = context.options.features
        let training = context.options.training
        let startingBias = bias(info)
        let removed = updates.filter { $0.after == nil }.count
        let local = LocalTokenIndex(updates.map(\.counts))
        let changedIDs = local.storeIDs
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
        try store.forEachModelRow(modelID: info.id, tokenIDs: involved) { id, row in
            weightOf[Int(id)] = row.first ?? 0
            accumulatorOf[Int(id)] = row.count > 1 ? row[1] : 0
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
            if let logit { offset = logit - startingBias - localPart }
            return LocalExample(indices: indices, values: values, offset: offset, isSpam: isSpam)
        }
        var weights = changedIDs.map { weightOf[Int($0)] }
        var bias = startingBias
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
            (tokenID: $0.element, row: [weights[$0.offset], accumulatorOf[Int($0.element)]])
        }
        try store.updateModel(
            id: info.id, exampleCount: context.exampleCount, changes: context.storeChanges, layout: .scalar,
            parameters: [bias, info.parameters.count > 1 ? info.parameters[1] : 0], changedRows: changed)
        try store.setFitLogits(
            zip(updates, changes).compactMap { update, change in
                update.after == nil ? nil : (update.digest, change.example.logit(weights, bias: bias))
            })
    }
}
