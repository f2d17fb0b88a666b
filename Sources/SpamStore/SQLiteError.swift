import CSQLite

/// A failed SQLite call, carrying SQLite's result code so callers can tell a busy store from a corrupt one.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary result code (SQLITE_BUSY, SQLITE_CORRUPT, SQLITE_NOTADB, ...).
    public let code: Int32
    public let message: String
    public let sql: String?

    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    public var isCorrupt: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }
    public var isReadOnly: Bool { code == SQLITE_READONLY || code == SQLITE_PERM || code == SQLITE_CANTOPEN }
    public var isFull: Bool { code == SQLITE_FULL }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in: \(sql.prefix(80)))" }
        return text
    }
}
