import Learning

/// Why the store could not do what was asked.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case newerSchema(path: String, found: Int, supported: Int)
    case notAStore(path: String, reason: String)
    case busy(path: String)
    case readOnly(path: String)
    case full(path: String)
    case mixedFeatureSpaces(stored: String, current: String)
    case sqlite(path: String, SQLiteError)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "no store at \(path): train first (hamlet train --spam ... --ham ...), or name one with --db"
        case .newerSchema(let path, let found, let supported):
            return "\(path) was written by a newer Hamlet (schema \(found); this one reads up to \(supported)): upgrade Hamlet"
        case .notAStore(let path, let reason):
            return "\(path) is not a usable Hamlet store: \(reason)"
        case .busy(let path):
            return "\(path) stayed locked by another writer past the timeout"
        case .readOnly(let path):
            return "\(path) cannot be written (a read-only file system or no permission); nothing was changed"
        case .full(let path):
            return "the disk holding \(path) is full; nothing was changed"
        case .mixedFeatureSpaces(let stored, let current):
            return "the store's examples were extracted by \(stored), this Hamlet extracts \(current): features cannot be mixed; "
                + "run hamlet db reextract (it needs the messages kept with store.keep_raw = true), or train again from the mail"
        case .sqlite(let path, let error):
            return "\(path): \(error)"
        }
    }
}

/// A trained message as the store keeps it: no mail, just what the model needs.
public struct StoredExample: Sendable, Equatable {
    public var digest: String
    public var isSpam: Bool
    /// (token id, count) pairs.
    public var counts: [(Int32, Int)]

    public init(digest: String, isSpam: Bool, counts: [(Int32, Int)]) {
        self.digest = digest
        self.isSpam = isSpam
        self.counts = counts
    }

    public static func == (a: StoredExample, b: StoredExample) -> Bool {
        a.digest == b.digest && a.isSpam == b.isSpam && a.counts.elementsEqual(b.counts, by: { $0 == $1 })
    }
}

/// What happened when an example was written.
public enum ExampleChange: Sendable, Equatable {
    case added
    case relabeled
    case unchanged
}

/// A model version's header row.
public struct ModelInfo: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var options: String
    public var extractor: String
    public var bias: Double
    /// AdaGrad's summed squared gradients of the bias.
    public var biasAccumulator: Double
    public var exampleCount: Int
    public var metrics: String
    public var createdAt: Int64
    public var updatedAt: Int64
}

/// Counts for `hamlet stats`.
public struct StoreStatistics: Sendable, Equatable {
    public var spamExamples: Int
    public var hamExamples: Int
    public var vocabularySize: Int
    public var model: ModelInfo?
}

/// Per-token changes to the per-label document counts, gathered over a batch and written once.
public struct DocumentCountDeltas: Sendable {
    public private(set) var byToken: [Int32: (spam: Int, ham: Int)] = [:]

    public init() {}

    public mutating func add(_ counts: [(Int32, Int)], spam: Int, ham: Int) {
        for (id, _) in counts {
            let old = byToken[id] ?? (0, 0)
            byToken[id] = (old.spam + spam, old.ham + ham)
        }
    }
}
