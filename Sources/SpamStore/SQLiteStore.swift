import CSQLite

import Platform

/// Hamlet's store in one SQLite file: the vocabulary with per-label document counts, every trained example
/// (digest, label, extractor version, token counts), and versioned model weights, one row per (model, token),
/// so that scoring one message reads only its own tokens' weights. WAL mode: readers see one committed model
/// version while a writer (BEGIN IMMEDIATE, one at a time) prepares the next.
public final class SQLiteStore: HamletStore {
    public let database: Database
    public var path: String { database.path }
    public var location: String { path }
    /// Model versions kept; older ones are deleted when a new version is written.
    public var modelVersionsKept = 3
    /// Example changes made in the open write transaction, written to `example_changes` as it commits.
    var pendingExampleChanges = 0

    /// For a connection that only reads (the delivery path): closing it neither checkpoints the WAL into the
    /// store (a writer's work: commits checkpoint past 1,000 pages, a writer's close checkpoints all) nor deletes
    /// the -wal and -shm files, which the next `filter` process (one per message) would create again.
    public func skipMaintenanceOnClose() {
        _ = hamlet_sqlite_no_checkpoint_on_close(database.handle)
    }

    /// Opens the store at `path`. Without `create`, a missing file is `StoreError.notFound`. `readOnly` is for
    /// commands that only read (filter, classify, stats, checks, export): they then work on a store on a read-only
    /// file system (opened immutable there) or in a folder they cannot write (opened read-only, sharing the -wal
    /// and -shm files that writers leave in place).
    ///
    /// A store path that is a symbolic link is refused (following it let `train` add Hamlet's tables to whatever
    /// it named), and so is an SQLite file holding other tables. A new store is built under a temporary name in the
    /// same folder and linked into place complete, so a first `train` killed early leaves no half-made file.
    public convenience init(
        path: String, create: Bool, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 10_000
    ) throws {
        var link = stat()
        if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
            throw StoreError.notAStore(path: path, reason: "it is a symbolic link; name the store file itself")
        }
        if create, access(path, F_OK) != 0 { try Self.createComplete(at: path) }
        try self.init(
            opening: path, create: create, readOnly: readOnly, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// Builds an empty store beside `path` and links it into place (if another process made one meanwhile, that
    /// one stays).
    private static func createComplete(at path: String) throws {
        let temporary = path + ".new-\(getpid())"
        for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) } }
        do {
            let built = try SQLiteStore(
                opening: temporary, create: true, readOnly: false, busyTimeoutMilliseconds: 10_000)
            try built.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        if SystemCalls.link(temporary, path) != 0 && errno != EEXIST {
            throw StoreError.readOnly(path: path)
        }
    }

    private init(
        opening path: String, create: Bool, readOnly opensReadOnly: Bool, busyTimeoutMilliseconds: Int32
    ) throws {
        if !create, access(path, F_OK) != 0 { throw StoreError.notFound(path) }
        do {
            database = try Database(
                path: path, create: create && !opensReadOnly, readOnly: opensReadOnly,
                immutable: opensReadOnly && Self.isOnReadOnlyFileSystem(path))
        } catch let error as SQLiteError {
            if error.isReadOnly, create { throw StoreError.readOnly(path: path) }
            throw StoreError.notAStore(path: path, reason: error.message)
        }
        if !opensReadOnly { database.keepWALFiles() }
        database.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        do {
            // mmap: page reads become memory reads (a filter run otherwise spends most of its time in pread).
            // temp_store=MEMORY: statement journals (a multi-row insert keeps the pages it changes, in case it must
            // be undone) stay in memory; in temporary files they were 150,000 of bulk training's 180,000 writes.
            // Before anything writes: an SQLite file that is not a Hamlet store (other tables, no Hamlet version).
            if try userVersion() == 0 {
                let statement = try database.prepare("SELECT count(*) FROM sqlite_master")
                defer { statement.reset() }
                _ = try statement.step()
                if statement.int(0) > 0 {
                    throw StoreError.notAStore(path: path, reason: "an SQLite database holding other tables")
                }
            }
            // A new store frees pages incrementally (`vacuum` then compacts it in short steps); this must be set
            // before anything, the journal mode included, writes the file's first page.
            var size = stat()
            if create, stat(path, &size) == 0, size.st_size == 0 {
                try database.execute("PRAGMA auto_vacuum = INCREMENTAL")
            }
            if !opensReadOnly {
                // A WAL a bulk training run grew is cut back to 16 MB at each checkpoint.
                try database.execute(
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=16777216;")
            }
            try database.execute(
                "PRAGMA foreign_keys=ON; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;"
            )
            try migrate(create: create)
        } catch let error as SQLiteError {
            // A read-only connection in WAL mode that cannot find or make the -shm file fails on its first read.
            if opensReadOnly, error.isReadOnly { throw StoreError.unreadableWithoutSharedFiles(path: path) }
            throw Self.storeError(error, path: path)
        }
    }

    private enum SystemCalls {
        static func link(_ from: String, _ to: String) -> Int32 {
            #if canImport(Glibc)
                return Glibc.link(from, to)
            #else
                return Darwin.link(from, to)
            #endif
        }
    }

    /// Whether `path` lies on a file system mounted read-only (nothing can change the file: safe to open immutable).
    static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
        var info = statvfs()
        return statvfs(path, &info) == 0 && (info.f_flag & UInt(ST_RDONLY)) != 0
    }

    /// The StoreError a user should see for a failed SQLite call.
    static func storeError(_ error: SQLiteError, path: String) -> StoreError {
        if error.isBusy { return .busy(path: path) }
        if error.isCorrupt { return .notAStore(path: path, reason: error.message) }
        if error.isFull { return .full(path: path) }
        if error.isReadOnly { return .readOnly(path: path) }
        return .sqlite(path: path, error)
    }

    private func migrate(create: Bool) throws {
        let version = try userVersion()
        if version > Schema.currentVersion {
            throw StoreError.newerSchema(path: path, found: version, supported: Schema.currentVersion)
        }
        if version == Schema.currentVersion { return }
        if version == 0 && !create { throw StoreError.notAStore(path: path, reason: "the file holds no Hamlet store") }
        try database.writeTransaction {
            // Re-read inside the write lock: another process may have migrated meanwhile.
            let current = try userVersion()
            guard current < Schema.currentVersion else { return }
            for next in (current + 1)...Schema.currentVersion {
                guard let sql = Schema.migrations[next] else { continue }
                try database.execute(sql)
            }
            try database.execute("PRAGMA user_version = \(Schema.currentVersion)")
        }
    }

    private func userVersion() throws -> Int {
        let statement = try database.prepare("PRAGMA user_version")
        _ = try statement.step()
        let version = Int(statement.int(0))
        statement.reset()
        return version
    }

    /// Runs `body` in one write transaction (BEGIN IMMEDIATE). SQLite errors become `StoreError`.
    public func write<T>(_ body: () throws -> T) throws -> T {
        pendingExampleChanges = 0
        defer { pendingExampleChanges = 0 }
        return try mapErrors {
            try database.writeTransaction {
                let result = try body()
                try flushExampleChanges()
                return result
            }
        }
    }

    /// Runs `body` in one read snapshot.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try mapErrors { try database.readTransaction(body) }
    }

    private func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw Self.storeError(error, path: path)
        }
    }

    static func now() -> Int64 { Int64(time(nil)) }
    /// Days since 1970: the unit of a token's first and last sighting.
    static func today() -> Int64 { now() / 86_400 }

}
