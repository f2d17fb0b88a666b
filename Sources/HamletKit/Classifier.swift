import Learning
import MailParser

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
        try MessageBatches.forEachAnalysed(labeled, jobs: jobs, analyse: { Self.classify($0.message, snapshot, thresholds) }) { _, results in
            for result in results { try each(result) }
        }
    }

    public func classify(_ messages: [SourcedMessage]) -> [Classification] {
        let snapshot = self.snapshot
        let thresholds = self.thresholds
        return ParallelMap.map(messages, jobs: jobs) { Self.classify($0, snapshot, thresholds) }
    }

    private static func classify(_ message: SourcedMessage, _ snapshot: ModelSnapshot, _ thresholds: Thresholds) -> Classification {
        let analysis = MessageAnalysis(message, settings: snapshot.options.features, withDigest: false)
        var result = Classification(id: message.id, logit: snapshot.logit(analysis.tokens), thresholds: thresholds)
        result.size = message.bytes.count
        return result
    }
}
