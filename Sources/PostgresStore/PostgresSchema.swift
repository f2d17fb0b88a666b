import PostgresNIO
import SpamStore

/// The PostgreSQL store's tables, versioned like the SQLite store's: `hamlet_schema` holds the version, each
/// migration moves it up by one, and a database written by a newer Hamlet is refused rather than misread. Many
/// users share one database: every table is keyed by `owner` (a Hamlet user's name), and every statement names the
/// owner it works for.
public enum PostgresSchema {
    /// The version this Hamlet writes and reads.
    public static let version = 1

    /// The statements that take a database from version `index` to `index + 1`.
    static let migrations: [[String]] = [
        [
            "CREATE TABLE hamlet_settings (owner text NOT NULL, key text NOT NULL, value text NOT NULL, "
                + "PRIMARY KEY (owner, key))"
        ]
    ]

    /// Brings the database at `session` up to `version`, creating the tables the first time. Many processes may
    /// start at once: the migration runs under a transaction-wide advisory lock, so one migrates and the others
    /// then find it done.
    public static func prepare(_ session: PostgresSession) throws {
        try session.transaction {
            try session.execute("SELECT pg_advisory_xact_lock(hashtext('hamlet schema'))")
            try session.execute("CREATE TABLE IF NOT EXISTS hamlet_schema (version integer NOT NULL)")
            var found = try storedVersion(session)
            if found == nil {
                try session.query("INSERT INTO hamlet_schema (version) VALUES (0)")
                found = 0
            }
            guard let found, found <= version else {
                throw StoreError.newerSchema(path: session.location.description, found: found ?? 0, supported: version)
            }
            for step in found..<version {
                for statement in migrations[step] { try session.execute(statement) }
                try session.query("UPDATE hamlet_schema SET version = \(step + 1)")
            }
        }
    }

    /// The version the database holds, nil before Hamlet has prepared it.
    public static func storedVersion(_ session: PostgresSession) throws -> Int? {
        let exists = try session.query("SELECT to_regclass('hamlet_schema') IS NOT NULL")
        guard let row = exists.first, try row.decode(Bool.self) else { return nil }
        return try session.query("SELECT version FROM hamlet_schema").first.map { try Int($0.decode(Int32.self)) }
    }
}
