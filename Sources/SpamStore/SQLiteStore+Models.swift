import CSQLite

import Platform

/// Model versions: a header row in `models` and one `weights` row per token. A `.scalar` row is kept in the
/// `weight` and `accumulator` columns and the header's two parameters in `bias` and `bias_accumulator`, so that
/// scoring one message reads two numbers a token; a `.vector` row is kept packed in `row` and the header's
/// parameters packed in `parameters`.
extension SQLiteStore {
    public func currentModel() throws -> ModelInfo? {
        let statement = try database.prepare(
            """
            SELECT id, kind, options, extractor, bias, bias_accumulator, example_count, metrics, created_at, updated_at,
                   fit_changes, changes, parameters
            FROM models ORDER BY id DESC LIMIT 1
            """)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        let parameters =
            statement.isNull(12)
            ? [statement.double(4), statement.double(5)] : PackedDoubles.decode(statement.blob(12))
        return ModelInfo(
            id: statement.int(0), kind: statement.string(1) ?? "", options: statement.string(2) ?? "",
            extractor: statement.string(3) ?? "", parameters: parameters, exampleCount: Int(statement.int(6)),
            metrics: statement.string(7) ?? "", createdAt: statement.int(8), updatedAt: statement.int(9),
            fitChanges: statement.int(10), changes: statement.int(11))
    }

    public func insertModel(_ header: ModelHeader, rows: ModelRows, parameters: [Double]) throws -> Int64 {
        let now = Self.now()
        let scalar = rows.layout == .scalar
        try database.prepare(
            """
            INSERT INTO models(kind, options, extractor, bias, bias_accumulator, example_count, metrics, created_at,
                               updated_at, parameters, fit_changes, changes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        )
        .bind(1, header.kind).bind(2, header.options).bind(3, header.extractor)
        .bind(4, scalar ? parameters.first ?? 0 : 0).bind(5, scalar && parameters.count > 1 ? parameters[1] : 0)
        .bind(6, header.exampleCount).bind(7, header.metrics).bind(8, now).bind(9, now)
        .bind(10, blob: scalar ? nil : PackedDoubles.encode(parameters)).bind(11, header.fittedChanges)
        .bind(12, header.fittedChanges).run()
        let id = database.lastInsertRowID
        var stored: [(token: Int, row: [Double])] = []
        rows.forEachStoredRow { stored.append(($0, $1)) }
        // 64 rows a statement step where there are that many.
        try database.runGrouped(
            stored, groupSize: 64,
            grouped: {
                "INSERT INTO weights(model_id, token_id, weight, accumulator, row) VALUES "
                    + Database.placeholders(rows: $0, columns: 5)
            }, parametersPerRow: 5
        ) { statement, p, entry in
            statement.bind(p, id).bind(p + 1, entry.token)
            Self.bindRow(entry.row, scalar: scalar, to: statement, at: p + 2)
        }
        try deleteModelVersions(upTo: id - Int64(modelVersionsKept))
        return id
    }

    public func updateModel(
        id: Int64, exampleCount: Int, changes: Int64, layout: RowLayout, parameters: [Double],
        changedRows: [(tokenID: Int32, row: [Double])]
    ) throws {
        let scalar = layout == .scalar
        let upsert = try database.prepare(
            "INSERT OR REPLACE INTO weights(model_id, token_id, weight, accumulator, row) VALUES (?, ?, ?, ?, ?)")
        for (tokenID, row) in changedRows {
            upsert.reset()
            upsert.bind(1, id).bind(2, Int64(tokenID))
            Self.bindRow(row, scalar: scalar, to: upsert, at: 3)
            try upsert.run()
        }
        try database.prepare(
            """
            UPDATE models SET bias = ?, bias_accumulator = ?, parameters = ?, example_count = ?, updated_at = ?,
                              changes = ?
            WHERE id = ?
            """
        )
        .bind(1, scalar ? parameters.first ?? 0 : 0).bind(2, scalar && parameters.count > 1 ? parameters[1] : 0)
        .bind(3, blob: scalar ? nil : PackedDoubles.encode(parameters)).bind(4, exampleCount).bind(5, Self.now())
        .bind(6, changes).bind(7, id).run()
    }

    /// Binds a row's `weight`, `accumulator` and `row` columns from parameter `p` on.
    private static func bindRow(_ row: [Double], scalar: Bool, to statement: Statement, at p: Int32) {
        if scalar {
            statement.bind(p, row.first ?? 0).bind(p + 1, row.count > 1 ? row[1] : 0).bind(p + 2, blob: nil)
        } else {
            statement.bind(p, 0.0).bind(p + 1, 0.0).bind(p + 2, blob: PackedDoubles.encode(row))
        }
    }

    public func forEachModelRow(modelID: Int64, _ body: (Int32, UnsafeBufferPointer<Double>) throws -> Void) throws {
        let statement = try database.prepare(
            "SELECT token_id, weight, accumulator, row FROM weights WHERE model_id = ?")
        defer { statement.reset() }
        statement.bind(1, modelID)
        var row = RowBuffer()
        while try statement.step() {
            try row.read(statement, from: 1) { try body(Int32(truncatingIfNeeded: statement.int(0)), $0) }
        }
    }

    public func forEachModelRow(
        modelID: Int64, tokenIDs ids: [Int32], _ body: (Int32, UnsafeBufferPointer<Double>) throws -> Void
    ) throws {
        var row = RowBuffer()
        // Many ids: one pass over the model's rows (stored together, by token) costs less than as many look-ups.
        if ids.count > 2_000, let largest = ids.max() {
            var wanted = [Bool](repeating: false, count: Int(largest) + 1)
            for id in ids { wanted[Int(id)] = true }
            let scan = try database.prepare(
                "SELECT token_id, weight, accumulator, row FROM weights WHERE model_id = ? AND token_id <= ?")
            defer { scan.reset() }
            scan.bind(1, modelID).bind(2, Int64(largest))
            while try scan.step() {
                let id = Int32(truncatingIfNeeded: scan.int(0))
                if wanted[Int(id)] { try row.read(scan, from: 1) { try body(id, $0) } }
            }
            return
        }
        try database.forEachRow(
            matching: ids,
            sql: {
                "SELECT token_id, weight, accumulator, row FROM weights WHERE model_id = ? AND token_id IN (\($0))"
            }, leadingParameters: 1, bindLeading: { $0.bind(1, modelID) }
        ) { statement in
            try row.read(statement, from: 1) { try body(Int32(truncatingIfNeeded: statement.int(0)), $0) }
        }
    }

    public func forEachModelRow(
        modelID: Int64, tokens: [String], _ body: (String, Int32, UnsafeBufferPointer<Double>) throws -> Void
    ) throws {
        let statement = try database.prepare(
            """
            SELECT t.id, w.weight, w.accumulator, w.row FROM tokens t
            LEFT JOIN weights w ON w.model_id = ? AND w.token_id = t.id WHERE t.token = ?
            """)
        defer { statement.reset() }
        var row = RowBuffer()
        for token in tokens {
            statement.reset()
            statement.bind(1, modelID).bind(2, token)
            guard try statement.step() else { continue }
            let id = Int32(truncatingIfNeeded: statement.int(0))
            if statement.isNull(1) {
                try body(token, id, UnsafeBufferPointer(start: nil, count: 0))
            } else {
                try row.read(statement, from: 1) { try body(token, id, $0) }
            }
        }
    }

    public func deleteModels() throws {
        try database.execute("DELETE FROM weights; DELETE FROM models;")
    }

    /// Deletes the model versions up to `id`, weights first (call inside `write`).
    func deleteModelVersions(upTo id: Int64) throws {
        try database.prepare("DELETE FROM weights WHERE model_id IN (SELECT id FROM models WHERE id <= ?)")
            .bind(1, id).run()
        try database.prepare("DELETE FROM models WHERE id <= ?").bind(1, id).run()
    }
}

/// One reusable buffer for the rows a query hands over, so that reading a model's rows allocates once.
private struct RowBuffer {
    var values: [Double] = []

    /// Reads the row in columns `weight`, `weight + 1` (accumulator) and `weight + 2` (packed row).
    mutating func read<R>(_ statement: Statement, from weight: Int32, _ body: (UnsafeBufferPointer<Double>) throws -> R)
        rethrows -> R
    {
        values.removeAll(keepingCapacity: true)
        if statement.isNull(weight + 2) {
            values.append(statement.double(weight))
            values.append(statement.double(weight + 1))
        } else {
            PackedDoubles.decode(statement.blob(weight + 2), into: &values)
        }
        return try values.withUnsafeBufferPointer(body)
    }
}
