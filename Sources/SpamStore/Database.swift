import CSQLite

import Platform

/// A thin owner of one sqlite3 connection: prepared statements, transactions, and errors with result codes.
/// Not thread-safe; give each thread its own connection.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    private var statementCache: [String: Statement] = [:]

    /// Opens (and with `create`, creates with owner-only permissions) the SQLite file at `path`. `immutable` (read
    /// only, for files on a read-only file system, where nothing can change them) reads the file without the WAL
    /// machinery, which needs a writable folder or existing -wal and -shm files.
    public init(path: String, create: Bool, readOnly: Bool = false, immutable: Bool = false) throws {
        self.path = path
        if create, access(path, F_OK) != 0 {
            // Create the file ourselves so that it, and the -wal/-shm files SQLite derives from it, are 0600.
            let fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0o600)
            if fd >= 0 { close(fd) }
        }
        var db: OpaquePointer? = nil
        var flags = (readOnly || immutable ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
        var name = path
        if immutable {
            flags |= SQLITE_OPEN_URI
            name = "file:" + PercentEncoding.escaped(path, keeping: [0x2F]) + "?immutable=1"
        }
        let rc = sqlite3_open_v2(name, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message, sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 0)
    }

    /// Keeps the -wal and -shm files when the last connection closes (SQLITE_FCNTL_PERSIST_WAL), so that readers
    /// who may not create files in the store's folder can still open it.
    public func keepWALFiles() {
        var on: Int32 = 1
        _ = sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &on)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    public func setBusyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(handle, milliseconds) }

    /// Runs one or more SQL statements that return no rows.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: rc & 0xFF, message: message, sql: sql)
        }
    }

    /// A prepared statement, cached by its SQL text and reset for reuse (`cached: false`: SQL that will not recur,
    /// such as an `IN` list of a one-off length, finalized when the caller lets go of it).
    public func prepare(_ sql: String, cached: Bool = true) throws -> Statement {
        guard cached else { return try Statement(database: self, sql: sql) }
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let statement = try Statement(database: self, sql: sql)
        statementCache[sql] = statement
        return statement
    }

    /// Resets every cached statement. A statement stepped and not reset keeps the connection's read snapshot
    /// open after its transaction ends; a BEGIN IMMEDIATE on that stale snapshot, once another writer has
    /// committed, fails at once with SQLITE_BUSY instead of waiting its turn through the busy timeout.
    public func finishStatements() {
        for statement in statementCache.values { statement.reset() }
    }

    /// Runs `body` in a write transaction taken with BEGIN IMMEDIATE (one writer at a time); rolls back on error.
    /// Every statement is finished first, so the transaction starts from a fresh snapshot and waits for the lock.
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        finishStatements()
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a read transaction: every query inside sees one snapshot of the store.
    /// Its statements are finished at the end, so the snapshot ends with it.
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer {
            finishStatements()
            try? execute("COMMIT")
        }
        return try body()
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: rc & 0xFF, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

/// A prepared SQLite statement with typed binding (1-based) and column access (0-based).
public final class Statement {
    private let pointer: OpaquePointer
    private unowned let database: Database
    public let sql: String

    init(database: Database, sql: String) throws {
        var statement: OpaquePointer? = nil
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw database.error(rc, sql: sql) }
        self.pointer = statement
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(pointer) }

    func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    @discardableResult public func bind(_ index: Int32, _ value: Int64) -> Statement {
        sqlite3_bind_int64(pointer, index, value); return self
    }
    @discardableResult public func bind(_ index: Int32, _ value: Int) -> Statement { bind(index, Int64(value)) }
    @discardableResult public func bind(_ index: Int32, _ value: Double) -> Statement {
        sqlite3_bind_double(pointer, index, value); return self
    }
    @discardableResult public func bind(_ index: Int32, _ value: String?) -> Statement {
        if let value {
            sqlite3_bind_text(pointer, index, value, -1, Self.transient)
        } else {
            sqlite3_bind_null(pointer, index)
        }
        return self
    }
    /// Binds a blob, or NULL for nil.
    @discardableResult public func bind(_ index: Int32, blob: [UInt8]?) -> Statement {
        guard let blob else {
            sqlite3_bind_null(pointer, index)
            return self
        }
        return bind(index, blob: blob)
    }

    @discardableResult public func bind(_ index: Int32, blob: [UInt8]) -> Statement {
        blob.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(pointer, index, raw.baseAddress, Int32(raw.count), Self.transient)
        }
        return self
    }

    /// Steps once; true when a row is available.
    public func step() throws -> Bool {
        let rc = sqlite3_step(pointer)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = database.error(rc, sql: sql)
        sqlite3_reset(pointer)
        throw error
    }

    /// Runs a statement that returns no rows.
    public func run() throws {
        while try step() {}
        sqlite3_reset(pointer)
    }

    public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(pointer, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(pointer, column) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(pointer, column) == SQLITE_NULL }
    public func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(pointer, column) else { return nil }
        return String(cString: text)
    }
    /// A text column's UTF-8 bytes, valid until the next step (no `String` made).
    public func withText<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let text = sqlite3_column_text(pointer, column)
        let count = Int(sqlite3_column_bytes(pointer, column))
        return try body(UnsafeBufferPointer(start: text, count: text == nil ? 0 : count))
    }
    public func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(pointer, column))
        guard count > 0, let raw = sqlite3_column_blob(pointer, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: count))
    }
}
