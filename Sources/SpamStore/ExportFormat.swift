/// Hamlet's text export (docs/STORE.md), the same from every backend: the lines a store's `export` writes and
/// what `importLine` makes of them, through the store protocol.
public enum ExportFormat {
    public static let header = "# hamlet store export, format 1"

    /// Settings that are a store's own bookkeeping, not carried to another store: the example-change counter
    /// (models are measured against it) and the cached token flags (`TokenFlagCache`).
    public static func isExported(setting key: String) -> Bool {
        key != "example_changes" && !key.hasPrefix(TokenFlagCache.prefix)
    }

    public static func settingLine(key: String, value: String) -> String {
        "setting\t\(TextField.encode(key))\t\(TextField.encode(value))"
    }

    /// An example's line; its tokens (`names` by id) in the byte order of their text, not of the store's ids, so
    /// that the same examples export to the same text from any store.
    public static func exampleLine(
        digest: String, isSpam: Bool, extractor: String, learnedAt: Int64, messageID: String, source: String,
        counts: [(Int32, Int)], names: [Int32: String]
    ) -> String {
        let entries = counts.compactMap { pair -> (String, Int)? in names[pair.0].map { ($0, pair.1) } }
            .sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.1):\(TextField.encode($0.0))" }
        return [
            "example", digest, isSpam ? "spam" : "ham", TextField.encode(extractor), String(learnedAt),
            TextField.encode(messageID), TextField.encode(source), entries.joined(separator: " ")
        ].joined(separator: "\t")
    }

    /// Reads one line into `store` (call inside `write`). Examples already stored follow the training rules: same
    /// label unchanged, other label moved; each keeps the export's learned-at time. Returns the example's change,
    /// nil for other lines.
    public static func importLine(
        _ line: String, number: Int, into store: any HamletStore, vocabulary: inout [String: Int32],
        deltas: inout DocumentCountDeltas
    ) throws -> ExampleChange? {
        if line.isEmpty || line.hasPrefix("#") { return nil }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        func bad(_ why: String) -> StoreError { .badImportLine(number: number, reason: why) }
        switch fields[0] {
        case "setting":
            guard fields.count == 3 else { throw bad("a setting line has 3 fields") }
            let key = TextField.decode(fields[1])
            // Older exports carried the example-change counter; only this store's own changes may move it.
            if isExported(setting: key) { try store.setSetting(key, TextField.decode(fields[2])) }
            return nil
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
                let token = TextField.decode(String(item[item.index(after: colon)...]))
                counts.append((try store.tokenID(token, in: &vocabulary), count))
            }
            counts.sort { $0.0 < $1.0 }
            guard let learnedAt = Int64(fields[4]) else { throw bad("bad learned-at time '\(fields[4].prefix(20))'") }
            let messageID = TextField.decode(fields[5])
            let source = TextField.decode(fields[6])
            return try store.putExample(
                digest: fields[1], messageID: messageID.isEmpty ? nil : messageID,
                isSpam: fields[2] == "spam", source: source.isEmpty ? nil : source,
                extractor: TextField.decode(fields[3]), counts: counts, deltas: &deltas, raw: nil,
                learnedAt: learnedAt)
        default:
            throw bad("unknown record '\(fields[0].prefix(20))'")
        }
    }
}
