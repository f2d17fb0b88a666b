/// Hamlet's text export (docs/STORE.md), the same from every backend: the lines a store's `export` writes
/// (`ExportReader` reads them back through the store protocol).
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
}
