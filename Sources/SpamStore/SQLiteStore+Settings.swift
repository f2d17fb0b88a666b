import CSQLite

import Platform

/// The store's settings table, and the count of changes to the stored examples that models are measured against.
extension SQLiteStore {
    public func setting(_ key: String) throws -> String? {
        let statement = try database.prepare("SELECT value FROM settings WHERE key = ?")
        statement.bind(1, key)
        defer { statement.reset() }
        return try statement.step() ? statement.string(0) : nil
    }

    public func setSetting(_ key: String, _ value: String) throws {
        try database.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)").bind(1, key).bind(2, value)
            .run()
    }

    /// How many times the stored examples have changed (added, moved, forgotten, re-extracted) since the store was
    /// made: models record the count they reflect, so a model behind it is stale.
    public func exampleChanges() throws -> Int64 {
        (Int64(try setting("example_changes") ?? "0") ?? 0) + Int64(pendingExampleChanges)
    }

    /// Counts changes to the stored examples (call inside `write`): written once, when the transaction commits.
    func countExampleChanges(_ count: Int = 1) throws {
        pendingExampleChanges += count
    }

    func flushExampleChanges() throws {
        guard pendingExampleChanges > 0 else { return }
        try database.prepare(
            """
            INSERT INTO settings(key, value) VALUES ('example_changes', ?)
            ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value
            """
        ).bind(1, String(pendingExampleChanges)).run()
        pendingExampleChanges = 0
    }
}
