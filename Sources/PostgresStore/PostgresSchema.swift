import PostgresNIO
import SpamStore

/// The PostgreSQL store's tables, versioned like the SQLite store's: `hamlet_schema` holds the version, each
/// migration moves it up by one, and a database written by a newer Hamlet is refused rather than misread. Many
/// users share one database: every table is keyed by `owner` (a Hamlet user's name), and every statement names the
/// owner it works for.
public enum PostgresSchema {
    /// The version this Hamlet writes and reads.
    public static let version = 3

    /// The statements that take a database from version `index` to `index + 1`.
    static let migrations: [[String]] = [
        [
            "CREATE TABLE hamlet_settings (owner text NOT NULL, key text NOT NULL, value text NOT NULL, "
                + "PRIMARY KEY (owner, key))"
        ],
        // Version 2: what the SQLite store keeps (docs/STORE.md), each row an owner's.
        [
            """
            CREATE TABLE hamlet_tokens (owner text NOT NULL, id integer NOT NULL, token text NOT NULL,
                spam_count integer NOT NULL DEFAULT 0, ham_count integer NOT NULL DEFAULT 0,
                first_seen integer NOT NULL, last_seen integer NOT NULL,
                PRIMARY KEY (owner, id), UNIQUE (owner, token))
            """,
            """
            CREATE TABLE hamlet_examples (owner text NOT NULL, digest text NOT NULL, message_id text,
                is_spam boolean NOT NULL, source text, learned_at bigint NOT NULL, extractor text NOT NULL,
                features bytea NOT NULL, raw bytea, fit_logit double precision, PRIMARY KEY (owner, digest))
            """,
            "CREATE INDEX hamlet_examples_message_id ON hamlet_examples (owner, message_id)",
            "CREATE INDEX hamlet_examples_learned_at ON hamlet_examples (owner, learned_at)",
            """
            CREATE TABLE hamlet_models (owner text NOT NULL, id bigint NOT NULL, kind text NOT NULL,
                options text NOT NULL, extractor text NOT NULL, parameters bytea NOT NULL,
                example_count integer NOT NULL, metrics text NOT NULL, created_at bigint NOT NULL,
                updated_at bigint NOT NULL, fit_changes bigint NOT NULL, changes bigint NOT NULL,
                PRIMARY KEY (owner, id))
            """,
            """
            CREATE TABLE hamlet_weights (owner text NOT NULL, model_id bigint NOT NULL, token_id integer NOT NULL,
                row bytea NOT NULL, PRIMARY KEY (owner, model_id, token_id))
            """
        ],
        // Version 3: each row carries its token's text, so a reader loads a model without the whole vocabulary
        // (null for an id the vocabulary lacks, which no message can score with).
        [
            "ALTER TABLE hamlet_weights ADD COLUMN token text",
            """
            UPDATE hamlet_weights w SET token = t.token FROM hamlet_tokens t
            WHERE t.owner = w.owner AND t.id = w.token_id
            """
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
