import NIOCore
import PostgresNIO
import SpamStore

/// Model versions: a header row and one row per token, every row kept as packed doubles (its weights, then their
/// accumulators) whatever the model's kind, with its token's text. A version's rows are written in one statement.
extension PostgresStore {
    /// Model versions kept (older ones are deleted when a new one is written), as in the SQLite store.
    static let modelVersionsKept: Int64 = 3

    public func currentModel() throws -> ModelInfo? {
        guard
            let row = try session.query(
                """
                SELECT id, kind, options, extractor, parameters, example_count, metrics, created_at, updated_at,
                       fit_changes, changes
                FROM hamlet_models WHERE owner = \(owner) ORDER BY id DESC LIMIT 1
                """
            ).first
        else { return nil }
        let (
            id, kind, options, extractor, parameters, exampleCount, metrics, createdAt, updatedAt, fitChanges, changes
        ) =
            try row.decode((Int64, String, String, String, ByteBuffer, Int32, String, Int64, Int64, Int64, Int64).self)
        return ModelInfo(
            id: id, kind: kind, options: options, extractor: extractor,
            parameters: PackedDoubles.decode(Self.bytes(parameters)), exampleCount: Int(exampleCount),
            metrics: metrics, createdAt: createdAt, updatedAt: updatedAt, fitChanges: fitChanges, changes: changes)
    }

    public func insertModel(_ header: ModelHeader, rows: ModelRows, parameters: [Double]) throws -> Int64 {
        let now = Self.now()
        let id =
            try session.query("SELECT coalesce(max(id), 0) + 1 FROM hamlet_models WHERE owner = \(owner)").first?
            .decode(Int64.self) ?? 1
        let packed = ByteBuffer(bytes: PackedDoubles.encode(parameters))
        let exampleCount = Int32(clamping: header.exampleCount)
        try session.query(
            """
            INSERT INTO hamlet_models (owner, id, kind, options, extractor, parameters, example_count, metrics,
                                       created_at, updated_at, fit_changes, changes)
            VALUES (\(owner), \(id), \(header.kind), \(header.options), \(header.extractor), \(packed),
                    \(exampleCount), \(header.metrics), \(now), \(now), \(header.fittedChanges), \(header.fittedChanges))
            """)
        var stored: [(tokenID: Int32, row: [Double])] = []
        rows.forEachStoredRow { stored.append((Int32($0), $1)) }
        try writeRows(stored, modelID: id)
        let oldest = id - Self.modelVersionsKept
        try session.query("DELETE FROM hamlet_weights WHERE owner = \(owner) AND model_id <= \(oldest)")
        try session.query("DELETE FROM hamlet_models WHERE owner = \(owner) AND id <= \(oldest)")
        return id
    }

    public func updateModel(
        id: Int64, exampleCount: Int, changes: Int64, layout: RowLayout, parameters: [Double],
        changedRows: [(tokenID: Int32, row: [Double])]
    ) throws {
        try writeRows(changedRows, modelID: id)
        let packed = ByteBuffer(bytes: PackedDoubles.encode(parameters))
        let count = Int32(clamping: exampleCount), now = Self.now()
        try session.query(
            """
            UPDATE hamlet_models SET parameters = \(packed), example_count = \(count), updated_at = \(now),
                                     changes = \(changes)
            WHERE owner = \(owner) AND id = \(id)
            """)
    }

    /// Writes (or replaces) rows of a model in one statement, each with its token's text from the vocabulary (none
    /// for an id the vocabulary lacks: the row is kept, as SQLite keeps it). One statement joins the vocabulary
    /// once; a statement per few thousand rows joined it each time.
    private func writeRows(_ rows: [(tokenID: Int32, row: [Double])], modelID: Int64) throws {
        guard !rows.isEmpty else { return }
        let ids = rows.map(\.tokenID)
        let packed = rows.map { ByteBuffer(bytes: PackedDoubles.encode($0.row)) }
        try session.query(
            """
            INSERT INTO hamlet_weights (owner, model_id, token_id, token, row)
            SELECT \(owner), \(modelID), r.id, t.token, r.row
            FROM unnest(\(ids)::integer[], \(packed)::bytea[]) AS r(id, row)
            LEFT JOIN hamlet_tokens t ON t.owner = \(owner) AND t.id = r.id
            ON CONFLICT (owner, model_id, token_id) DO UPDATE SET row = excluded.row
            """)
    }

    /// A whole model comes as one row of three byte strings (token ids and row lengths as 4-byte integers, the
    /// rows end to end), not a row per token: postgres-nio's cost is per row and per array element, and a model
    /// has a row for most of the vocabulary.
    public func forEachModelRow(modelID: Int64, _ body: (Int32, UnsafeBufferPointer<Double>) throws -> Void) throws {
        let rows = try session.query(
            """
            SELECT coalesce(string_agg(int4send(token_id), ''::bytea), ''::bytea),
                coalesce(string_agg(int4send(length(row)), ''::bytea), ''::bytea),
                coalesce(string_agg(row, ''::bytea), ''::bytea)
            FROM (
                SELECT token_id, row FROM hamlet_weights WHERE owner = \(owner) AND model_id = \(modelID)
                ORDER BY token_id) AS w
            """)
        var values: [Double] = []
        try Self.handOverPieces(rows) { id, packed in
            values.removeAll(keepingCapacity: true)
            PackedDoubles.decode(packed[...], into: &values)
            try values.withUnsafeBufferPointer { try body(id, $0) }
        }
    }

    /// The tokens with a row in the model, from the rows themselves (each carries its text): a model has rows for
    /// under half of a vocabulary, and one table is read instead of two. Sent as `forEachToken` sends them.
    public func forEachScoredToken(modelID: Int64, _ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void)
        throws
    {
        let rows = try session.query(
            """
            SELECT coalesce(string_agg(int4send(token_id), ''::bytea), ''::bytea),
                coalesce(string_agg(int4send(octet_length(token)), ''::bytea), ''::bytea),
                coalesce(string_agg(textsend(token), ''::bytea), ''::bytea)
            FROM (
                SELECT token_id, token FROM hamlet_weights
                WHERE owner = \(owner) AND model_id = \(modelID) AND token IS NOT NULL
                ORDER BY token_id) AS w
            """)
        try Self.handOverPieces(rows) { try body($1, $0) }
    }

    public func forEachModelRow(
        modelID: Int64, tokenIDs ids: [Int32], _ body: (Int32, UnsafeBufferPointer<Double>) throws -> Void
    ) throws {
        let rows = try session.query(
            """
            SELECT token_id, row FROM hamlet_weights
            WHERE owner = \(owner) AND model_id = \(modelID) AND token_id = ANY(\(ids))
            """)
        try handOver(rows, body)
    }

    public func forEachModelRow(
        modelID: Int64, tokens: [String], _ body: (String, Int32, UnsafeBufferPointer<Double>) throws -> Void
    ) throws {
        var found: [String: (Int32, [Double])] = [:]
        for row in try session.query(
            """
            SELECT t.token, t.id, w.row FROM hamlet_tokens t
            LEFT JOIN hamlet_weights w ON w.owner = t.owner AND w.model_id = \(modelID) AND w.token_id = t.id
            WHERE t.owner = \(owner) AND t.token = ANY(\(tokens))
            """)
        {
            let (token, id, packed) = try row.decode((String, Int32, ByteBuffer?).self)
            found[token] = (id, packed.map { PackedDoubles.decode(Self.bytes($0)) } ?? [])
        }
        for token in tokens {
            guard let (id, values) = found[token] else { continue }
            try values.withUnsafeBufferPointer { try body(token, id, $0) }
        }
    }

    public func deleteModels() throws {
        try session.query("DELETE FROM hamlet_weights WHERE owner = \(owner)")
        try session.query("DELETE FROM hamlet_models WHERE owner = \(owner)")
    }

    private func handOver(_ rows: [PostgresRow], _ body: (Int32, UnsafeBufferPointer<Double>) throws -> Void) throws {
        var values: [Double] = []
        for row in rows {
            let (id, packed) = try row.decode((Int32, ByteBuffer).self)
            values.removeAll(keepingCapacity: true)
            PackedDoubles.decode(Self.bytes(packed), into: &values)
            try values.withUnsafeBufferPointer { try body(id, $0) }
        }
    }
}
