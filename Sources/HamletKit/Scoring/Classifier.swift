import Learning
import MailParser
import SpamStore
import TextFeatures

/// One message's classification.
public struct Classification: Sendable, Equatable {
    public var id: String
    /// The message's size in bytes.
    public var size: Int = 0
    /// Log-odds of spam.
    public var logit: Double
    public var probability: Double
    public var verdict: Verdict

    public init(id: String, logit: Double, thresholds: Thresholds) {
        self.id = id
        self.logit = logit
        probability = sigmoid(logit)
        verdict = thresholds.verdict(probability: probability)
    }

    /// The delivery path's rule for a store still in training: with fewer than `minimum` examples of either label
    /// nothing is called spam (unsure instead). True when the store is still in training.
    public mutating func holdBackInTraining(
        spamExamples: Int, hamExamples: Int,
        minimum: Int = DeliveryFilter.minimumExamplesPerLabel
    ) -> Bool {
        guard spamExamples < minimum || hamExamples < minimum else { return false }
        if verdict == .spam { verdict = .unsure }
        return true
    }
}

/// Classifies whole mailboxes with one in-memory model snapshot, parsing and scoring on `jobs` threads;
/// results come back in input order whatever `jobs` is.
public struct BulkClassifier: Sendable {
    public let snapshot: ModelSnapshot
    public var thresholds: Thresholds
    public var jobs: Int

    public init(snapshot: ModelSnapshot, thresholds: Thresholds = .standard, jobs: Int = availableProcessors()) {
        self.snapshot = snapshot
        self.thresholds = thresholds
        self.jobs = jobs
    }

    public func classify(_ paths: [String], _ each: (Classification) throws -> Void) throws {
        let labeled = paths.map { LabeledPath(path: $0, isSpam: nil) }
        try MessageBatches.checkPathsExist(labeled)
        let snapshot = self.snapshot
        let thresholds = self.thresholds
        try MessageBatches.forEachAnalysed(
            labeled, jobs: jobs, analyse: { Self.classify($0.message, snapshot, thresholds) }
        ) { _, results in
            for result in results { try each(result) }
        }
    }

    public func classify(_ messages: [SourcedMessage]) -> [Classification] {
        let snapshot = self.snapshot
        let thresholds = self.thresholds
        return ParallelMap.map(messages, jobs: jobs) { Self.classify($0, snapshot, thresholds) }
    }

    private static func classify(_ message: SourcedMessage, _ snapshot: ModelSnapshot, _ thresholds: Thresholds)
        -> Classification
    {
        let analysis = MessageAnalysis(message, settings: snapshot.options.features, withDigest: false)
        return classification(message, analysis.tokens, snapshot, thresholds)
    }

    private static func classification(
        _ message: SourcedMessage, _ tokens: TokenBag, _ snapshot: ModelSnapshot,
        _ thresholds: Thresholds
    ) -> Classification {
        var result = Classification(id: message.id, logit: snapshot.logit(tokens), thresholds: thresholds)
        result.size = message.bytes.count
        return result
    }

    /// Classifies `paths` with the store's current model, which loads (vocabulary and weights: tens of
    /// milliseconds for a large store) on a thread of its own while the first messages are read and parsed: only
    /// scoring waits for it. Messages are parsed with the model's feature settings, read first; should a retrain change them before
    /// the load, a message is parsed again with the loaded model's.
    public static func classify(
        _ paths: [String], store: SQLiteStore, base: ModelOptions, thresholds: Thresholds,
        jobs: Int, notes: InputNotes = InputNotes(), _ each: (Classification) throws -> Void
    ) throws {
        let labeled = paths.map { LabeledPath(path: $0, isSpam: nil) }
        try MessageBatches.checkPathsExist(labeled)
        guard let features = try store.currentModelOptions(base: base)?.features else {
            throw HamletError.noModel(store.path)
        }
        let loader = UncheckedSendable(store)
        let snapshot = Deferred { try ModelSnapshot.load(from: loader.value, base: base) }
        try MessageBatches.forEachAnalysed(
            labeled, jobs: jobs, notes: notes,
            analyse: { item -> Result<Classification, any Error> in
                let message = item.message
                let analysis = MessageAnalysis(message, settings: features, withDigest: false)
                return Result {
                    let snapshot = try snapshot.get()
                    let tokens =
                        snapshot.options.features.extractorVersion == features.extractorVersion
                        ? analysis.tokens
                        : MessageAnalysis(message, settings: snapshot.options.features, withDigest: false).tokens
                    return classification(message, tokens, snapshot, thresholds)
                }
            }
        ) { _, results in
            for result in results { try each(result.get()) }
        }
        _ = try snapshot.get()  // no messages: still report a store that cannot be loaded
    }
}
