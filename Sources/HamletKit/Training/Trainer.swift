import Learning
import MailParser
import SpamStore
import TextFeatures

import Platform

/// What a `train` run did.
public struct TrainReport: Sendable, Equatable {
    public var added = 0
    public var relabeled = 0
    public var unchanged = 0
    /// Messages given with both labels in this one run: the first label was kept, the later one ignored.
    public var conflicting: [String] = []
    /// True when the model was fitted from scratch over every stored example; false for incremental updates.
    public var fullFit = false
    /// What the learning policy did with the changes, and why (nil before it ran).
    public var learning: LearningPolicy.Decision? = nil
    /// Examples expired by the store's retention limits in this run (the model was then refitted).
    public var expired = 0
    public var modelID: Int64? = nil
    public var spamExamples = 0
    public var hamExamples = 0
    public var lossPerEpoch: [Double] = []

    public init() {}
}

/// Teaches the store: stores each message's label and token counts (a digest already stored is never counted
/// twice; with the other label it moves there), in short write transactions of up to 1,024 messages, and then
/// brings the model in step with the stored examples as `LearningPolicy` decides: a refit from every example
/// (outside any write transaction) or an in-place update for just the changed examples.
public struct Trainer {
    public let store: any HamletStore
    public var options: ModelOptions
    public var jobs: Int
    /// Keep each trained message, compressed, so that `reextract` can rebuild its features after an upgrade.
    public var keepRaw = false
    /// When a change is refitted from every example and when it is learned in place.
    public var policy = LearningPolicy()
    /// How long examples are kept (`store.keep_days`, `store.keep_examples`): expired after each run's storing.
    public var retention = Retention()

    /// Changes past this many in one run are not kept in memory for an in-place update: the run refits.
    static let inPlaceLimit = 2_000

    public init(store: any HamletStore, options: ModelOptions = ModelOptions(), jobs: Int = availableProcessors()) {
        self.store = store
        self.options = options
        self.jobs = jobs
    }

    /// `notes` hears of inputs left out (not mail, or skipped in a folder walk).
    /// `progress` hears after each batch is stored: messages and bytes in it, then once before a refit (0, 0).
    public func train(
        _ paths: [LabeledPath], fullFit forceFullFit: Bool = false, notes: InputNotes = InputNotes(),
        progress: (_ messages: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws -> TrainReport {
        try MessageBatches.checkPathsExist(paths)
        let settings = options.features
        var intake = ExampleIntake(trainer: self, checksExtractor: !forceFullFit)
        // Batches of 1,024: each token seen in a batch costs one count update however often it occurs in it.
        try MessageBatches.forEachAnalysed(
            paths, jobs: jobs, batchSize: 1024, notes: notes,
            analyse: { MessageAnalysis($0.message, settings: settings) }
        ) { batch, analyses in
            try store.write { try intake.store(batch, analyses) }
            progress(batch.count, batch.reduce(0) { $0 + $1.message.bytes.count })
        }
        progress(0, 0)
        return try learnAndReport(intake, fullFit: forceFullFit)
    }

    /// Teaches messages held in memory (the daemon's TELL), stored and learned exactly as `train` would.
    public func train(messages: [SourcedMessage], asSpam isSpam: Bool) throws -> TrainReport {
        var intake = ExampleIntake(trainer: self, checksExtractor: true)
        let batch = messages.map { LabeledMessage(message: $0, isSpam: isSpam) }
        let settings = options.features
        let analyses = batch.map { MessageAnalysis($0.message, settings: settings) }
        try store.write { try intake.store(batch, analyses) }
        return try learnAndReport(intake, fullFit: false)
    }

    /// The learning half of a run: the policy's refit or in-place update for what `intake` stored, then the counts.
    private func learnAndReport(_ intake: ExampleIntake, fullFit: Bool) throws -> TrainReport {
        var report = intake.report
        report.expired = try expire()
        let expiredRefit =
            report.expired > 0
            ? "\(report.expired) example(s) expired (retention): a refit, so that nothing of them stays" : nil
        try learn(
            intake.updates, changedNow: intake.changes + report.expired,
            forcedRefit: fullFit ? "a full fit was asked for" : expiredRefit, asOptionsGiven: fullFit, into: &report)
        let counts = try store.read { try store.exampleCounts() }
        report.spamExamples = counts.spam
        report.hamExamples = counts.ham
        return report
    }

    /// A message's tokens as sorted (id, count) pairs, adding new tokens to the vocabulary (call inside `write`).
    /// New tokens get ids in byte order, so the same mail trained in the same order always makes the same store.
    /// With `newTokens` (the caller holds the whole stored vocabulary and is the only writer), a token the
    /// vocabulary lacks is new: it gets the id after `lastID` and joins `newTokens`, to be written with its counts
    /// by `applyDocumentCounts`. Without, new tokens are inserted (or found) in the store one by one.
    func intern(
        _ tokens: TokenBag, vocabulary: inout Vocabulary, newTokens: inout [(token: String, id: Int32)]?,
        lastID: inout Int32
    ) throws -> [(Int32, Int)] {
        // (id, count) pairs packed into one integer each, id high, so that a plain integer sort orders them by id.
        var pairs: [UInt64] = []
        pairs.reserveCapacity(tokens.distinctCount)
        // Tokens the vocabulary lacks, their bytes back to back in `arena`.
        var arena: [UInt8] = []
        var unknown: [(start: Int, count: Int, hash: UInt32, occurrences: Int)] = []
        tokens.forEachHashed { token, hash, count in
            if let known = vocabulary[utf8: token, hash: hash] {
                pairs.append(Self.pack(known, count))
            } else {
                unknown.append((arena.count, token.count, hash, count))
                arena.append(contentsOf: token)
            }
        }
        if !unknown.isEmpty {
            try arena.withUnsafeBufferPointer { arena in
                // New tokens take ids in the byte order of their UTF-8 (deterministic, no String comparisons).
                if let base = arena.baseAddress {
                    unknown.sort { a, b in
                        let order = memcmp(base + a.start, base + b.start, min(a.count, b.count))
                        return order != 0 ? order < 0 : a.count < b.count
                    }
                }
                for entry in unknown {
                    let bytes = UnsafeBufferPointer(rebasing: arena[entry.start..<(entry.start + entry.count)])
                    let token = String(decoding: bytes, as: UTF8.self)
                    let id: Int32
                    if newTokens != nil {
                        lastID += 1
                        id = lastID
                        newTokens!.append((token, id))
                    } else {
                        id = try store.insertToken(token)
                    }
                    vocabulary.set(bytes, hash: entry.hash, id: id)
                    pairs.append(Self.pack(id, entry.occurrences))
                }
            }
        }
        pairs.sort()
        return pairs.map { (Int32(truncatingIfNeeded: $0 >> 32), Int($0 & 0xFFFF_FFFF)) }
    }

    @inline(__always)
    private static func pack(_ id: Int32, _ count: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: id)) << 32 | UInt64(UInt32(clamping: count))
    }

    /// Rebuilds, with this Hamlet's extractor, the features of every stored example that kept its message
    /// (`keepRaw`) and was extracted by another; returns how many changed and how many are still of another
    /// extractor (those without a kept message). Refit afterwards.
    public func reextract() throws -> (changed: Int, remaining: Int) {
        let settings = options.features
        var changed = 0
        try store.write {
            var vocabulary = Vocabulary()
            var deltas = DocumentCountDeltas()
            try store.forEachRawExample(notExtractedBy: settings.extractorVersion) { digest, raw in
                let analysis = MessageAnalysis(SourcedMessage(id: digest, bytes: raw), settings: settings)
                var noNewTokens: [(token: String, id: Int32)]? = nil
                var lastID: Int32 = 0
                let counts = try intern(
                    analysis.tokens, vocabulary: &vocabulary, newTokens: &noNewTokens, lastID: &lastID)
                try store.replaceFeatures(
                    digest: digest, extractor: settings.extractorVersion, counts: counts, deltas: &deltas)
                changed += 1
            }
            try store.applyDocumentCounts(deltas)
        }
        let remaining = try store.read { try store.examplesNotExtracted(by: settings.extractorVersion).total }
        return (changed, remaining)
    }

    /// `db reextract` as one resumable step: rebuilds what `reextract` can, then refits when every example is of
    /// this extractor and the model is not yet in step with them: features changed now, or a model of another
    /// extractor or a stale one (a run killed between its re-extraction and its fit is finished by the next run).
    public func reextractAndRefit() throws -> (changed: Int, remaining: Int, modelID: Int64?) {
        let (changed, remaining) = try reextract()
        guard remaining == 0 else { return (changed, remaining, nil) }
        let statistics = try store.statistics()
        let (model, notLearned, stored) = (
            statistics.model, statistics.changesNotLearned,
            (spam: statistics.spamExamples, ham: statistics.hamExamples)
        )
        let behind = model.map { $0.extractor != options.features.extractorVersion } ?? true
        guard changed > 0 || notLearned > 0 || (behind && stored.spam + stored.ham > 0) else {
            return (changed, 0, nil)
        }
        var report = TrainReport()
        try fit(into: &report)
        return (changed, 0, report.modelID)
    }

    /// Fits a new model version from every stored example (sorted by digest, then shuffled by the seed).
    public func fit(into report: inout TrainReport) throws {
        let settings = options.features
        // The vocabulary as bytes in a table (no String per token), with each entry's store id.
        var tokens = TokenTable(capacity: 1024)
        var tokenIDs: [Int32] = []
        var tokenIsSign: [Bool] = []
        // One snapshot: the examples and the change count they reflect (changes after it leave the model stale).
        let (examples, fittedChanges) = try store.read {
            try store.forEachToken { token, id in
                tokens.insert(token)
                tokenIDs.append(id)
                tokenIsSign.append(TokenKind.of(token) == .sign)
            }
            return (try store.allExamples(extractor: settings.extractorVersion), try store.exampleChanges())
        }
        guard !examples.isEmpty else { return }
        // Fit in a canonical feature space, tokens numbered in sorted order, so that the model depends only on the
        // examples and not on the ids the store happened to give their tokens (an MLP's initial rows follow the
        // index; sums follow it too).
        let maxStoredID = examples.reduce(Int32(0)) { max($0, $1.counts.last?.0 ?? 0) }
        let featureCount = max(Int(maxStoredID), tokenIDs.max().map(Int.init) ?? 0) + 1
        var canonical = [Int32](repeating: -1, count: featureCount)
        var storedID = [Int32](repeating: -1, count: featureCount)
        var isSign = [Bool](repeating: false, count: featureCount)
        var rank: Int32 = 0
        for k in tokens.sortedByBytes() where Int(tokenIDs[k]) < featureCount {
            let id = tokenIDs[k]
            canonical[Int(id)] = rank
            storedID[Int(rank)] = id
            isSign[Int(rank)] = tokenIsSign[k]
            rank += 1
        }
        for id in 0..<featureCount where canonical[id] < 0 {  // ids without a vocabulary entry keep their order
            canonical[id] = rank
            storedID[Int(rank)] = Int32(id)
            rank += 1
        }
        let canonicalIDs = canonical, canonicalIsSign = isSign
        let labeled = ParallelMap.map(examples, jobs: jobs) { example in
            LabeledExample(
                features: settings.vector(
                    counts: example.counts.map { (canonicalIDs[Int($0.0)], $0.1) },
                    isSign: { canonicalIsSign[Int($0)] }),
                isSpam: example.isSpam)
        }
        let (canonicalFit, training) = ModelFitting.fit(
            labeled, featureCount: featureCount, options: options.training, jobs: jobs)
        let fittedModel = canonicalFit.inStoreOrder(storedID)
        report.fullFit = true
        report.lossPerEpoch = training.lossPerEpoch
        let metrics = training.lossPerEpoch.last.map { ["final_loss=\($0)"] } ?? []
        let canonicalModel = canonicalFit.model
        let logits = ParallelMap.map(labeled, jobs: jobs) { canonicalModel.logit($0.features) }
        let fitted = zip(examples, logits).map { ($0.digest, $1) }
        let options = self.options
        report.modelID = try store.write {
            try store.setFitLogits(fitted)
            return try fittedModel.insertVersion(
                into: store, options: options, exampleCount: examples.count,
                metrics: metrics.joined(separator: " "), fittedChanges: fittedChanges)
        }
    }

}

extension Trainer {
    /// `options` with the kind of model the store holds now (kind, hidden sizes, activation, output), for commands
    /// that continue it when the user names no model; unchanged if the store has no model.
    public func continuingStoredKind(_ options: ModelOptions) throws -> ModelOptions {
        guard let info = try store.read({ try store.currentModel() }) else { return options }
        let stored = ModelOptions(serialized: info.options, base: options)
        var result = options
        result.training.model = stored.training.model
        result.training.hidden = stored.training.hidden
        result.training.activation = stored.training.activation
        result.training.output = stored.training.output
        return result
    }
}
