import NIOCore
import Platform
import PostgresNIO
import SpamStore

/// Hamlet's store on a PostgreSQL server: one owner's share of a database that many users and hosts share, with
/// the `HamletStore` protocol's meaning (a test trains the same mail into it and into an SQLite store and finds
/// the same export and the same scores); `hamlet-pg` opens it for every command. Writers of one owner take turns under an advisory lock held to the end of their transaction (as SQLite's writers take turns), so that
/// ids chosen above the largest in use stay unique; readers see one snapshot (repeatable read).
public final class PostgresStore: @unchecked Sendable {
    public let session: PostgresSession
    /// Whose examples and models these are: every statement names the owner.
    public let owner: String
    /// How long a writer waits for the owner's other writers (`store.busy_timeout`), in seconds.
    public let writerWait: Double
    var depth = 0
    var pendingExampleChanges = 0

    /// Connects to `location` (each call given `deadline` seconds) and brings the schema up to date; `readOnly`
    /// does not create the tables where there are none (the store is then not found).
    public init(
        location: PostgresLocation, owner: String, readOnly: Bool = false, deadline: Double = 10,
        writerWait: Double = 10
    ) throws {
        session = try PostgresSession(location: location, deadline: deadline)
        self.owner = owner
        self.writerWait = max(0, writerWait)
        if readOnly {
            let found = try PostgresSchema.storedVersion(session) ?? 0
            guard found <= PostgresSchema.version else {
                throw StoreError.newerSchema(
                    path: location.description, found: found, supported: PostgresSchema.version)
            }
            guard found > 0 else { throw StoreError.notFound(location.description) }
            // As on SQLite, a reader brings an older store up to date (a role without write grants cannot: the
            // server's refusal says so).
            if found < PostgresSchema.version { try PostgresSchema.prepare(session) }
        } else {
            try PostgresSchema.prepare(session)
        }
    }

    /// Lets every program that links this store open `postgresql://` and `postgres://` locations, each user's
    /// share named by the location's `hamlet_user`, else by `owner` (by default the Hamlet user: `$HAMLET_USER`,
    /// else the Unix user).
    public static func registerOpener(owner: @escaping @Sendable () -> String = PostgresStore.defaultOwner) {
        for scheme in ["postgresql", "postgres"] {
            StoreOpener.register(scheme: scheme) { location, options in
                let parsed = try PostgresLocation(parsing: location, passwordFile: options.passwordFile)
                return try PostgresStore(
                    location: parsed, owner: parsed.owner ?? owner(), readOnly: options.readOnly,
                    writerWait: Double(options.busyTimeoutMilliseconds) / 1000)
            }
        }
    }

    /// `$HAMLET_USER`, else `$USER` or `$LOGNAME`, else the password database's name for this process's user.
    public static func defaultOwner() -> String {
        for name in ["HAMLET_USER", "USER", "LOGNAME"] {
            if let value = getenv(name), value.pointee != 0 { return String(cString: value) }
        }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "nobody"
    }

    /// The server's address without its password, and the owner.
    public var location: String { "\(session.location) (user \(owner))" }

    /// Runs `body` in one write transaction, this owner's writers one at a time.
    public func write<T>(_ body: () throws -> T) throws -> T {
        if depth > 0 { return try body() }
        depth += 1
        defer {
            depth -= 1
            pendingExampleChanges = 0
        }
        return try session.transaction {
            // The wait for the lock is the server's to time (lock_timeout), like SQLite's busy timeout: past it,
            // "busy" (exit 75), not a server that stopped answering.
            // PostgreSQL reads a lock_timeout of 0 as "wait for ever": a busy timeout of 0 (give up at once) is 1 ms.
            let milliseconds = String(max(1, Int(writerWait * 1000)))
            // The server's own statement limit must outlast the wait, or a long wait ends as a cancelled statement.
            let statementLimit = String(Int((writerWait + session.deadlineSeconds) * 1000) + 1000)
            try session.query(
                """
                SELECT set_config('lock_timeout', \(milliseconds), true),
                    set_config('statement_timeout', \(statementLimit), true)
                """)
            try session.query(
                "SELECT pg_advisory_xact_lock(hashtext('hamlet writer'), hashtext(\(owner)))",
                deadline: writerWait + session.deadlineSeconds)
            let result = try body()
            try flushExampleChanges()
            // Daemons holding this owner's model hear of the change when it commits (`PostgresChangeFeed`).
            try session.query("SELECT pg_notify(\(PostgresChangeFeed.channel), \(owner))")
            return result
        }
    }

    /// The server's announcements of this owner's writes.
    public var changeFeed: (any StoreChangeFeed)? {
        PostgresOwnerFeed(feed: .shared(for: session.location), owner: owner)
    }

    /// Runs `body` in one snapshot.
    public func read<T>(_ body: () throws -> T) throws -> T {
        if depth > 0 { return try body() }
        depth += 1
        defer { depth -= 1 }
        return try session.transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
    }

    public func setting(_ key: String) throws -> String? {
        try PostgresSettings(session: session, owner: owner).value(key)
    }

    public func setSetting(_ key: String, _ value: String) throws {
        try PostgresSettings(session: session, owner: owner).set(key, value)
    }

    /// How many times this owner's stored examples have changed (see `HamletStore.exampleChanges`).
    public func exampleChanges() throws -> Int64 {
        (Int64(try setting("example_changes") ?? "0") ?? 0) + Int64(pendingExampleChanges)
    }

    func countExampleChanges(_ count: Int = 1) { pendingExampleChanges += count }

    private func flushExampleChanges() throws {
        guard pendingExampleChanges > 0 else { return }
        let added = String(pendingExampleChanges)
        try session.query(
            """
            INSERT INTO hamlet_settings (owner, key, value) VALUES (\(owner), 'example_changes', \(added))
            ON CONFLICT (owner, key) DO UPDATE
            SET value = (hamlet_settings.value::bigint + excluded.value::bigint)::text
            """)
        pendingExampleChanges = 0
    }

    static func now() -> Int64 { Int64(time(nil)) }
    /// Days since 1970: the unit of a token's first and last sighting, as in the SQLite store.
    static func today() -> Int32 { Int32(now() / 86_400) }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

    /// The 4-byte big-endian integers (PostgreSQL's `int4send`) in `buffer`.
    static func integers(_ buffer: ByteBuffer) -> [Int32] {
        var buffer = buffer
        var values: [Int32] = []
        values.reserveCapacity(buffer.readableBytes / 4)
        while let value = buffer.readInteger(endianness: .big, as: Int32.self) { values.append(value) }
        return values
    }
}
