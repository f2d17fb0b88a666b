import PostgresNIO

/// One user's settings in a shared PostgreSQL store (what the SQLite store keeps in its settings table): a key
/// holds one value per owner, and no owner sees another's.
public struct PostgresSettings {
    public let session: PostgresSession
    public let owner: String

    public init(session: PostgresSession, owner: String) {
        self.session = session
        self.owner = owner
    }

    public func value(_ key: String) throws -> String? {
        try session.query("SELECT value FROM hamlet_settings WHERE owner = \(owner) AND key = \(key)")
            .first.map { try $0.decode(String.self) }
    }

    public func set(_ key: String, _ value: String) throws {
        try session.query(
            """
            INSERT INTO hamlet_settings (owner, key, value) VALUES (\(owner), \(key), \(value))
            ON CONFLICT (owner, key) DO UPDATE SET value = excluded.value
            """)
    }
}
