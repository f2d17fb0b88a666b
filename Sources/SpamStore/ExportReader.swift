/// Reads an export's lines into a store, inside one `write`, in large statements whatever the backend: a token new
/// to the store gets its id here, above the store's largest (the write lock keeps those free), and all of them go
/// in with their counts in one call at the end; examples go in batches (`putExamples`). Examples already stored
/// follow the training rules (same label unchanged, other label moved); each keeps the export's learned-at time.
public struct ExportReader {
    /// Examples handed to the store at once.
    static let batchSize = 1_000

    private let store: any HamletStore
    private var vocabulary: [String: Int32]
    private var nextID: Int32
    private var newTokens: [(token: String, id: Int32)] = []
    private var pending: [NewExample] = []
    private var deltas = DocumentCountDeltas()
    /// How many examples the lines added or moved so far.
    public private(set) var changed = 0
    /// The digests of the example lines read, in order.
    public private(set) var digests: [String] = []

    /// Call inside `store.write`, and `finish` before it ends.
    public init(into store: any HamletStore) throws {
        self.store = store
        vocabulary = try store.vocabulary()
        nextID = try store.maxTokenID() + 1
    }

    /// Reads line `number` (from 1, for messages): a setting is stored at once, an example queued.
    public mutating func read(_ line: String, number: Int) throws {
        if line.isEmpty || line.hasPrefix("#") { return }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        func bad(_ why: String) -> StoreError { .badImportLine(number: number, reason: why) }
        switch fields[0] {
        case "setting":
            guard fields.count == 3 else { throw bad("a setting line has 3 fields") }
            let key = TextField.decode(fields[1])
            // Older exports carried the example-change counter; only this store's own changes may move it.
            if ExportFormat.isExported(setting: key) { try store.setSetting(key, TextField.decode(fields[2])) }
        case "example":
            guard fields.count == 8 else { throw bad("an example line has 8 fields") }
            guard fields[1].count == 64, fields[2] == "spam" || fields[2] == "ham" else {
                throw bad("bad digest or label")
            }
            var counts: [(Int32, Int)] = []
            for item in fields[7].split(separator: " ") {
                guard let colon = item.firstIndex(of: ":"), let count = Int(item[..<colon]), count > 0 else {
                    throw bad("bad token entry '\(item.prefix(40))'")
                }
                counts.append((id(of: TextField.decode(String(item[item.index(after: colon)...]))), count))
            }
            counts.sort { $0.0 < $1.0 }
            guard let learnedAt = Int64(fields[4]) else { throw bad("bad learned-at time '\(fields[4].prefix(20))'") }
            let messageID = TextField.decode(fields[5]), source = TextField.decode(fields[6])
            digests.append(fields[1])
            pending.append(
                NewExample(
                    digest: fields[1], messageID: messageID.isEmpty ? nil : messageID, isSpam: fields[2] == "spam",
                    source: source.isEmpty ? nil : source, extractor: TextField.decode(fields[3]), counts: counts,
                    learnedAt: learnedAt))
            if pending.count >= Self.batchSize { try flush() }
        default:
            throw bad("unknown record '\(fields[0].prefix(20))'")
        }
    }

    /// Stores what is queued, then the new tokens and every count change.
    public mutating func finish() throws {
        try flush()
        try store.applyDocumentCounts(deltas, newTokens: newTokens)
        newTokens = []
        deltas = DocumentCountDeltas()
    }

    private mutating func id(of token: String) -> Int32 {
        if let known = vocabulary[token] { return known }
        let id = nextID
        nextID += 1
        vocabulary[token] = id
        newTokens.append((token, id))
        return id
    }

    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        changed += try store.putExamples(pending, deltas: &deltas).count { $0 != .unchanged }
        pending = []
    }
}
