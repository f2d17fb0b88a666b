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

    /// The spam threshold the verdict was made with (p(spam) at or above it is spam, unless `inTraining`).
    public var spamThreshold: Double
    /// True when the store held too few examples of a label for anything to be called spam.
    public var inTraining: Bool

    public init(id: String, logit: Double, verdicts: StoreVerdicts) {
        self.id = id
        self.logit = logit
        probability = sigmoid(logit)
        verdict = verdicts.verdict(probability: probability)
        spamThreshold = verdicts.thresholds.spam
        inTraining = verdicts.inTraining
    }

    /// A verdict by `thresholds` as they are, whatever the store's size.
    public init(id: String, logit: Double, thresholds: Thresholds) {
        self.init(id: id, logit: logit, verdicts: StoreVerdicts(fixed: thresholds))
    }
}

/// Classifies whole mailboxes with one in-memory model snapshot, parsing and scoring on `jobs` threads;
/// results come back in input order whatever `jobs` is.
public struct BulkClassifier: Sendable {
    public let snapshot: ModelSnapshot
    public var verdicts: StoreVerdicts
    public var jobs: Int

    public init(
        snapshot: ModelSnapshot, verdicts: StoreVerdicts = StoreVerdicts(fixed: .standard),
        jobs: Int = availableProcessors()
    ) {
        self.snapshot = snapshot
        self.verdicts = verdicts
        self.jobs = jobs
    }

    public func classify(_ paths: [String], _ each: (Classification) throws -> Void) throws {
        let labeled = paths.map { LabeledPath(path: $0, isSpam: nil) }
        try MessageBatches.checkPathsExist(labeled)
        let snapshot = self.snapshot
        let verdicts = self.verdicts
        try MessageBatches.forEachAnalysed(
            labeled, jobs: jobs, analyse: { Self.classify($0.message, snapshot, verdicts) }
        ) { _, results in
            for result in results { try each(result) }
        }
    }

    public func classify(_ messages: [SourcedMessage]) -> [Classification] {
        let snapshot = self.snapshot
        let verdicts = self.verdicts
        return ParallelMap.map(messages, jobs: jobs) { Self.classify($0, snapshot, verdicts) }
    }

    private static func classify(_ message: SourcedMessage, _ snapshot: ModelSnapshot, _ verdicts: StoreVerdicts)
        -> Classification
    {
        let analysis = MessageAnalysis(message, settings: snapshot.options.features, withDigest: false)
        return classification(message, analysis.tokens, snapshot, verdicts)
    }

    private static func classification(
        _ message: SourcedMessage, _ tokens: TokenBag, _ snapshot: ModelSnapshot,
        _ verdicts: StoreVerdicts
    ) -> Classification {
        var result = Classification(id: message.id, logit: snapshot.logit(tokens), verdicts: verdicts)
        result.size = message.bytes.count
        return result
    }

    /// Classifies `paths` with the store's current model, which loads (vocabulary and weights: tens of
    /// milliseconds for a large store) on a thread of its own while the first messages are read and parsed: only
    /// scoring waits for it. Messages are parsed with the model's feature settings, read first; should a retrain change them before
    /// the load, a message is parsed again with the loaded model's.
    public static func classify(
        _ paths: [String], store: any HamletStore, base: ModelOptions, verdicts: StoreVerdicts,
        jobs: Int, notes: InputNotes = InputNotes(), _ each: (Classification) throws -> Void
    ) throws {
        let labeled = paths.map { LabeledPath(path: $0, isSpam: nil) }
        try MessageBatches.checkPathsExist(labeled)
        guard let features = try store.currentModelOptions(base: base)?.features else {
            throw HamletError.noModel(store.location)
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
                    return classification(message, tokens, snapshot, verdicts)
                }
            }
        ) { _, results in
            for result in results { try each(result.get()) }
        }
        _ = try snapshot.get()  // no messages: still report a store that cannot be loaded
    }
}
