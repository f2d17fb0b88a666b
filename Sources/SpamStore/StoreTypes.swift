import Learning

/// Why the store could not do what was asked.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case newerSchema(path: String, found: Int, supported: Int)
    case notAStore(path: String, reason: String)
    case busy(path: String)
    case readOnly(path: String)
    /// A reader that may not create the store's -wal and -shm files found none to share.
    case unreadableWithoutSharedFiles(path: String)
    case full(path: String)
    case mixedFeatureSpaces(stored: String, current: String)
    case sqlite(path: String, SQLiteError)
    /// A line of an export being imported that is not what `db export` writes.
    case badImportLine(number: Int, reason: String)
    /// A message to keep (`store.keep_raw`) could not be compressed: zlib ran out of memory.
    case cannotKeepMessage(path: String)
    /// A store named by a URL whose kind this Hamlet cannot open.
    case unsupportedLocation(location: String, scheme: String)
    /// A store on a database server that could not be reached, or did not answer within its deadline.
    case unreachable(location: String, reason: String)
    /// A store on a database server that refused a statement (`code` is its SQLSTATE).
    case server(location: String, message: String, code: String)
    /// A store location (a URL) that does not say where the store is.
    case badLocation(location: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "no store at \(path): train first (hamlet train --spam ... --ham ...), or name one with --db"
        case .newerSchema(let path, let found, let supported):
            return
                "\(path) was written by a newer Hamlet (schema \(found); this one reads up to \(supported)): upgrade Hamlet"
        case .notAStore(let path, let reason):
            return "\(path) is not a usable Hamlet store: \(reason)"
        case .busy(let path):
            return "\(path) stayed locked by another writer past the timeout"
        case .readOnly(let path):
            return "\(path) cannot be written (a read-only file system or no permission); nothing was changed"
        case .unreadableWithoutSharedFiles(let path):
            return
                "\(path) cannot be read by this user: its folder is not writable and the store's -wal and -shm files "
                + "are missing (a writer leaves them in place; run hamlet db vacuum once as the store's owner)"
        case .full(let path):
            return "the disk holding \(path) is full; nothing was changed"
        case .mixedFeatureSpaces(let stored, let current):
            return
                "the store's examples were extracted by \(stored), this Hamlet extracts \(current): features cannot be mixed; "
                + "run hamlet db reextract (it needs the messages kept with store.keep_raw = true), or train again from the mail"
        case .sqlite(let path, let error):
            return "\(path): \(error)"
        case .badImportLine(let number, let reason):
            return "line \(number) of the import is not an export line: \(reason); nothing was imported"
        case .cannotKeepMessage(let path):
            return "\(path): a message to keep could not be compressed (out of memory); nothing was changed"
        case .unreachable(let location, let reason):
            return "cannot reach the store at \(location): \(reason); nothing was changed"
        case .server(let location, let message, let code):
            return "the store at \(location) refused: \(message) (SQLSTATE \(code))"
        case .badLocation(let location, let reason):
            return "\(location) does not name a store: \(reason)"
        case .unsupportedLocation(_, let scheme):
            return
                "Hamlet keeps its store in an SQLite file or on a PostgreSQL server (postgresql://…); "
                + "it cannot open a \(scheme):// store"
        }
    }
}

/// A trained message as the store keeps it: no mail, just what the model needs.
public struct StoredExample: Sendable, Equatable {
    public var digest: String
    public var isSpam: Bool
    /// (token id, count) pairs.
    public var counts: [(Int32, Int)]
    /// Its log-odds under the model last fitted or updated over it, when read with it (nil: not read, or none).
    public var fitLogit: Double?

    public init(digest: String, isSpam: Bool, counts: [(Int32, Int)], fitLogit: Double? = nil) {
        self.digest = digest
        self.isSpam = isSpam
        self.counts = counts
        self.fitLogit = fitLogit
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

/// Counts for `hamlet stats`.
public struct StoreStatistics: Sendable, Equatable {
    public var spamExamples: Int
    public var hamExamples: Int
    public var vocabularySize: Int
    public var model: ModelInfo?
    /// The store's example-change count (see `ModelInfo.changes`).
    public var exampleChanges: Int64 = 0

    /// Example changes the current model has not learned (a fit or update that did not finish): 0 when in step.
    public var changesNotLearned: Int64 { model.map { max(0, exampleChanges - $0.changes) } ?? 0 }
}

/// Per-token changes to the per-label document counts, gathered over a batch and written once. Token ids are
/// small and dense (1, 2, 3, ... as the vocabulary grows), so the changes live in arrays indexed by id: a bulk
/// training batch adds some 300,000 token occurrences, which a dictionary made the consumer's slowest step.
public struct DocumentCountDeltas: Sendable {
    private var spam: [Int32] = []
    private var ham: [Int32] = []
    private var marked: [Bool] = []
    /// Every id added, once each, in the order first added.
    private var touched: [Int32] = []

    public init() {}

    public mutating func add(_ counts: [(Int32, Int)], spam spamChange: Int, ham hamChange: Int) {
        guard let largest = counts.map(\.0).max(), largest >= 0 else { return }
        if Int(largest) >= marked.count {
            let size = max(Int(largest) + 1, marked.count * 2)
            spam += repeatElement(0, count: size - spam.count)
            ham += repeatElement(0, count: size - ham.count)
            marked += repeatElement(false, count: size - marked.count)
        }
        let spamChange = Int32(clamping: spamChange), hamChange = Int32(clamping: hamChange)
        for (id, _) in counts where id >= 0 {
            let i = Int(id)
            if !marked[i] {
                marked[i] = true
                touched.append(id)
            }
            spam[i] &+= spamChange
            ham[i] &+= hamChange
        }
    }

    /// The change to one token's counts ((0, 0) if none).
    public func change(of id: Int32) -> (spam: Int, ham: Int) {
        let i = Int(id)
        guard i >= 0, i < marked.count else { return (0, 0) }
        return (Int(spam[i]), Int(ham[i]))
    }

    /// Every token whose counts change, in id order (the order of the store's rows).
    public var changes: [(id: Int32, spam: Int, ham: Int)] {
        touched.sorted().compactMap { id in
            let (s, h) = change(of: id)
            return s != 0 || h != 0 ? (id, s, h) : nil
        }
    }
}

/// How many examples of each label (or how far to count them).
public typealias ExampleCounts = (spam: Int, ham: Int)

/// An example to store (`HamletStore.putExamples`): what `putExample` takes.
public struct NewExample: Sendable {
    public var digest: String
    public var messageID: String?
    public var isSpam: Bool
    public var source: String?
    public var extractor: String
    /// (token id, count) pairs.
    public var counts: [(Int32, Int)]
    /// The message, kept compressed when given.
    public var raw: [UInt8]?
    /// When it was learned (seconds since 1970); nil: now.
    public var learnedAt: Int64?

    public init(
        digest: String, messageID: String?, isSpam: Bool, source: String?, extractor: String,
        counts: [(Int32, Int)], raw: [UInt8]? = nil, learnedAt: Int64? = nil
    ) {
        self.digest = digest
        self.messageID = messageID
        self.isSpam = isSpam
        self.source = source
        self.extractor = extractor
        self.counts = counts
        self.raw = raw
        self.learnedAt = learnedAt
    }
}
