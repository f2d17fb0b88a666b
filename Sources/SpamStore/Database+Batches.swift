extension Database {
    /// Runs a statement for each row of `rows`, `groupSize` rows per statement step where that many are left (one
    /// step costs about as much as one row, so bulk writes go several times faster) and one row per step for the
    /// rest. `grouped(n)` is the SQL for n rows, whose row parameters start at `firstRowParameter`, each row taking
    /// `parametersPerRow` of them; parameters before the first row's are shared by every row (`bindShared`).
    func runGrouped<Row>(
        _ rows: [Row], groupSize: Int, grouped: (Int) -> String, firstRowParameter: Int32 = 1,
        parametersPerRow: Int32, bindShared: (Statement) -> Void = { _ in },
        bindRow: (Statement, _ firstParameter: Int32, Row) -> Void
    ) throws {
        guard !rows.isEmpty else { return }
        let many = groupSize > 1 && rows.count >= groupSize ? try prepare(grouped(groupSize)) : nil
        let one = try prepare(grouped(1))
        var start = 0
        while start < rows.count {
            let count = many != nil && rows.count - start >= groupSize ? groupSize : 1
            let statement = count == 1 ? one : many!
            statement.reset()
            bindShared(statement)
            for k in 0..<count {
                bindRow(statement, firstRowParameter + Int32(k) * parametersPerRow, rows[start + k])
            }
            try statement.run()
            start += count
        }
    }

    /// `n` copies of a row's placeholders, comma-separated: `(?, ?, ?), (?, ?, ?)`.
    static func placeholders(rows n: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: n).joined(separator: ", ")
    }

    /// Runs a query over `ids` 500 at a time and calls `row` with each result row. `sql(list)` is the query with
    /// `list` (`?, ?, …`) as its `IN (…)` list, whose parameters follow `leadingParameters` bound by
    /// `bindLeading`. Only the full-size chunk's SQL recurs, so only it is cached.
    func forEachRow(
        matching ids: [Int32], sql: (String) -> String, leadingParameters: Int32 = 0,
        bindLeading: (Statement) -> Void = { _ in }, _ row: (Statement) throws -> Void
    ) throws {
        let chunkSize = 500
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(ids.count, start + chunkSize)]
            let list = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let statement = try prepare(sql(list), cached: chunk.count == chunkSize)
            defer { statement.reset() }
            bindLeading(statement)
            for (k, id) in chunk.enumerated() { statement.bind(leadingParameters + Int32(k + 1), Int64(id)) }
            while try statement.step() { try row(statement) }
            start += chunkSize
        }
    }
}
