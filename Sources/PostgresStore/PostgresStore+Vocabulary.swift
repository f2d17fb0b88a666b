import NIOCore
import PostgresNIO
import SpamStore

/// The vocabulary: each token's id, per-label document counts and first and last sighting, per owner. Bulk
/// changes go as arrays in one statement (`unnest`), never a round trip per token.
extension PostgresStore {
    public func vocabulary() throws -> [String: Int32] {
        var result: [String: Int32] = [:]
        for row in try session.query("SELECT token, id FROM hamlet_tokens WHERE owner = \(owner)") {
            let (token, id) = try row.decode((String, Int32).self)
            result[token] = id
        }
        return result
    }

    public func forEachToken(_ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void) throws {
        try forEachToken(above: 0, body)
    }

    /// The tokens come as one row of three byte strings (the ids and the texts' lengths as 4-byte integers, the
    /// texts end to end), not a row per token: postgres-nio's cost is per row and per array element. The three
    /// aggregates read the same rows in the same order, so ids and texts pair up whatever that order; the rows
    /// come sorted once, in the subquery (an ORDER BY in each aggregate sorts three times: 4 × the time).
    public func forEachToken(above lowest: Int32, _ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void) throws {
        let rows = try session.query(
            """
            SELECT coalesce(string_agg(int4send(id), ''::bytea), ''::bytea),
                coalesce(string_agg(int4send(octet_length(token)), ''::bytea), ''::bytea),
                coalesce(string_agg(textsend(token), ''::bytea), ''::bytea)
            FROM (SELECT id, token FROM hamlet_tokens WHERE owner = \(owner) AND id > \(lowest) ORDER BY id) AS t
            """)
        try Self.handOverPieces(rows) { try body($1, $0) }
    }

    /// Unpacks the one row of three byte strings that `forEachToken`'s and `forEachModelRow`'s queries return
    /// (ids and lengths as 4-byte integers, the pieces end to end): `body` gets each id with its piece, read in
    /// place.
    static func handOverPieces(
        _ rows: [PostgresRow], _ body: (Int32, UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        guard let row = rows.first else { return }
        let (idBytes, lengthBytes, pieces) = try row.decode((ByteBuffer, ByteBuffer, ByteBuffer).self)
        let ids = integers(idBytes), lengths = integers(lengthBytes)
        try pieces.withUnsafeReadableBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var offset = 0
            for (id, length) in zip(ids, lengths) {
                let end = offset + Int(length)
                guard end <= bytes.count else { break }
                try body(id, UnsafeBufferPointer(rebasing: bytes[offset..<end]))
                offset = end
            }
        }
    }

    public func tokenIDs(_ ids: [Int32], where predicate: (UnsafeBufferPointer<UInt8>) -> Bool) throws -> Set<Int32> {
        var result = Set<Int32>()
        let rows = try session.query(
            "SELECT id, token FROM hamlet_tokens WHERE owner = \(owner) AND id = ANY(\(ids))")
        for row in rows {
            var (id, token) = try row.decode((Int32, String).self)
            if token.withUTF8(predicate) { result.insert(id) }
        }
        return result
    }

    /// Adds a token (or finds it); its id is the next above the largest (call inside `write`, whose lock keeps
    /// the owner's ids unique).
    public func insertToken(_ token: String) throws -> Int32 {
        let today = Self.today()
        let rows = try session.query(
            """
            WITH found AS (SELECT id FROM hamlet_tokens WHERE owner = \(owner) AND token = \(token)),
            added AS (
                INSERT INTO hamlet_tokens (owner, id, token, first_seen, last_seen)
                SELECT \(owner), next, \(token), \(today), \(today)
                FROM (SELECT coalesce(max(id), 0) + 1 AS next FROM hamlet_tokens WHERE owner = \(owner)) AS largest
                WHERE NOT EXISTS (SELECT 1 FROM found)
                RETURNING id)
            SELECT id FROM found UNION ALL SELECT id FROM added
            """)
        guard let row = rows.first else {
            throw StoreError.server(location: location, message: "a token was neither found nor added", code: "?")
        }
        return try row.decode(Int32.self)
    }

    public func vocabularySize() throws -> Int {
        Int(
            try session.query("SELECT count(*) FROM hamlet_tokens WHERE owner = \(owner)").first?.decode(Int64.self)
                ?? 0)
    }

    public func maxTokenID() throws -> Int32 {
        try session.query("SELECT coalesce(max(id), 0) FROM hamlet_tokens WHERE owner = \(owner)").first?
            .decode(Int32.self) ?? 0
    }

    /// New tokens are inserted with their counts and the others' counts changed, each in one statement, in id
    /// order (rows locked in one order by every writer cannot deadlock).
    public func applyDocumentCounts(_ deltas: DocumentCountDeltas, newTokens: [(token: String, id: Int32)]) throws {
        let today = Self.today()
        if !newTokens.isEmpty {
            let sorted = newTokens.sorted { $0.id < $1.id }
            let ids = sorted.map(\.id), tokens = sorted.map(\.token)
            let spam = sorted.map { Int32(clamping: max(0, deltas.change(of: $0.id).spam)) }
            let ham = sorted.map { Int32(clamping: max(0, deltas.change(of: $0.id).ham)) }
            try session.query(
                """
                INSERT INTO hamlet_tokens (owner, id, token, spam_count, ham_count, first_seen, last_seen)
                SELECT \(owner), t.id, t.token, t.spam, t.ham, \(today), \(today)
                FROM unnest(\(ids)::integer[], \(tokens)::text[], \(spam)::integer[], \(ham)::integer[])
                    AS t(id, token, spam, ham)
                """)
        }
        let inserted = Set(newTokens.map(\.id))
        let changes = deltas.changes.filter { !inserted.contains($0.id) }.sorted { $0.id < $1.id }
        guard !changes.isEmpty else { return }
        let ids = changes.map(\.id)
        let spam = changes.map { Int32(clamping: $0.spam) }, ham = changes.map { Int32(clamping: $0.ham) }
        try session.query(
            """
            UPDATE hamlet_tokens t SET spam_count = greatest(0, t.spam_count + d.spam),
                ham_count = greatest(0, t.ham_count + d.ham), last_seen = \(today)
            FROM unnest(\(ids)::integer[], \(spam)::integer[], \(ham)::integer[]) AS d(id, spam, ham)
            WHERE t.owner = \(owner) AND t.id = d.id
            """)
    }
}
