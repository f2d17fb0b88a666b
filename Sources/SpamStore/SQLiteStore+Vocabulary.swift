import CSQLite

import Platform

/// The vocabulary: each token's id, per-label document counts and first and last sighting.
extension SQLiteStore {
    /// The whole vocabulary, token to id (for bulk work).
    public func vocabulary() throws -> [String: Int32] {
        let statement = try database.prepare("SELECT token, id FROM tokens")
        var result: [String: Int32] = [:]
        while try statement.step() {
            if let token = statement.string(0) { result[token] = Int32(truncatingIfNeeded: statement.int(1)) }
        }
        return result
    }

    /// Hands over every vocabulary entry as its UTF-8 bytes (valid during the call) and id, in id order: loading a
    /// vocabulary of 100,000 tokens this way makes no `String`s.
    public func forEachToken(_ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void) throws {
        try forEachToken(above: 0, body)
    }

    public func forEachToken(above lowest: Int32, _ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void) throws {
        let statement = try database.prepare("SELECT token, id FROM tokens WHERE id > ? ORDER BY id")
        statement.bind(1, Int64(lowest))
        defer { statement.reset() }
        while try statement.step() {
            let id = Int32(truncatingIfNeeded: statement.int(1))
            try statement.withText(0) { try body($0, id) }
        }
    }

    /// Those of `ids` whose token matches `predicate` (given the token's UTF-8 bytes), read 500 ids a statement: the
    /// cost follows the ids asked for, not the vocabulary.
    public func tokenIDs(_ ids: [Int32], where predicate: (UnsafeBufferPointer<UInt8>) -> Bool) throws -> Set<Int32> {
        var result = Set<Int32>()
        try forEachTokenID(ids, where: predicate) { result.insert($0) }
        return result
    }

    /// Calls `found` with each of `ids` whose token text satisfies `predicate` (500 ids a statement).
    public func forEachTokenID(
        _ ids: [Int32], where predicate: (UnsafeBufferPointer<UInt8>) -> Bool,
        _ found: (Int32) -> Void
    ) throws {
        try database.forEachRow(matching: ids, sql: { "SELECT id, token FROM tokens WHERE id IN (\($0))" }) {
            if $0.withText(1, predicate) { found(Int32(truncatingIfNeeded: $0.int(0))) }
        }
    }

    /// Adds a token to the vocabulary (or finds it there); returns its id.
    public func insertToken(_ token: String) throws -> Int32 {
        let now = Self.today()
        try database.prepare("INSERT OR IGNORE INTO tokens(token, first_seen, last_seen) VALUES (?, ?, ?)")
            .bind(1, token).bind(2, now).bind(3, now).run()
        if database.changes == 1 { return Int32(truncatingIfNeeded: database.lastInsertRowID) }
        let select = try database.prepare("SELECT id FROM tokens WHERE token = ?")
        select.bind(1, token)
        _ = try select.step()
        let id = Int32(truncatingIfNeeded: select.int(0))
        select.reset()
        return id
    }

    public func vocabularySize() throws -> Int {
        let statement = try database.prepare("SELECT count(*) FROM tokens")
        _ = try statement.step()
        return Int(statement.int(0))
    }

    /// The largest token id in use (0 for an empty vocabulary).
    public func maxTokenID() throws -> Int32 {
        let statement = try database.prepare("SELECT coalesce(max(id), 0) FROM tokens")
        _ = try statement.step()
        let id = Int32(truncatingIfNeeded: statement.int(0))
        statement.reset()
        return id
    }

    /// Applies accumulated per-label document-count changes (call inside `write`), in id order, 64 tokens an UPDATE.
    /// Tokens in `newTokens` (ids the caller chose above `maxTokenID()` in this transaction) are inserted with
    /// their counts instead, 32 a statement, rather than inserted and then updated.
    public func applyDocumentCounts(_ deltas: DocumentCountDeltas, newTokens: [(token: String, id: Int32)] = []) throws
    {
        let now = Self.today()
        // 32 rows a statement step where there are that many.
        try database.runGrouped(
            newTokens, groupSize: 32,
            grouped: {
                "INSERT INTO tokens(id, token, spam_count, ham_count, first_seen, last_seen) VALUES "
                    + Database.placeholders(rows: $0, columns: 6)
            }, parametersPerRow: 6
        ) { statement, p, row in
            let delta = deltas.change(of: row.id)
            statement.bind(p, Int64(row.id)).bind(p + 1, row.token).bind(p + 2, max(0, delta.spam))
                .bind(p + 3, max(0, delta.ham)).bind(p + 4, now).bind(p + 5, now)
        }
        let inserted = Set(newTokens.map(\.id))
        // In id order (one pass along the table's pages instead of a random walk over them), 64 rows a statement
        // where SQLite has UPDATE ... FROM (3.33 and later): a bulk training batch updates some 30,000 tokens.
        let changes = deltas.changes.filter { !inserted.contains($0.id) }
        try database.runGrouped(
            changes, groupSize: Self.hasUpdateFrom ? 64 : 1,
            grouped: { rows in
                rows == 1
                    ? "UPDATE tokens SET spam_count = max(0, spam_count + ?3), ham_count = max(0, ham_count + ?4), "
                        + "last_seen = ?1 WHERE id = ?2"
                    : """
                    UPDATE tokens SET spam_count = max(0, spam_count + d.column2), ham_count = max(0, ham_count + d.column3),
                    last_seen = ?1 FROM (VALUES \(Database.placeholders(rows: rows, columns: 3))) AS d
                    WHERE tokens.id = d.column1
                    """
            }, firstRowParameter: 2, parametersPerRow: 3, bindShared: { $0.bind(1, now) }
        ) { statement, p, row in
            statement.bind(p, Int64(row.id)).bind(p + 1, row.spam).bind(p + 2, row.ham)
        }
    }

    /// Whether the SQLite library understands UPDATE ... FROM (version 3.33.0 and later).
    static let hasUpdateFrom = sqlite3_libversion_number() >= 3_033_000
}
