import Platform
import SpamStore

/// Where a PostgreSQL store lives, from a URL in libpq's form:
/// `postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DBNAME[?host=/socket/dir&sslmode=disable|prefer|require]`.
/// A host that is a folder (it starts with `/`, in the authority or in `host=`) means the server's Unix socket in
/// that folder, `.s.PGSQL.PORT`, as libpq reads it. The password comes from the URL, else from `PGPASSWORD`; the
/// user from the URL, else `PGUSER`, else the Unix user. `description` never shows the password.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted: libpq's `sslmode` values that need no certificate of the client's own.
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var user: String
    public var password: String?
    /// A host name or address, or a folder holding the server's socket.
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Whether `location` is a URL this type reads (`postgresql://` or `postgres://`).
    public static func isPostgresURL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Reads `url`; `environment` stands in for the process's (for `PGPASSWORD`, `PGUSER`, `USER`).
    public init(parsing url: String, environment: (String) -> String? = PostgresLocation.processEnvironment) throws {
        guard let schemeEnd = url.range(of: "://"), Self.isPostgresURL(url) else {
            throw StoreError.badLocation(location: Self.masked(url), reason: "not a postgresql:// URL")
        }
        var rest = String(url[schemeEnd.upperBound...])
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw StoreError.badLocation(location: Self.masked(url), reason: "it names no database (…/DBNAME)")
        }
        let authority = String(rest[..<slash])
        let database = try Self.decoded(String(rest[rest.index(after: slash)...]), in: url)
        guard !database.isEmpty else {
            throw StoreError.badLocation(location: Self.masked(url), reason: "it names no database (…/DBNAME)")
        }
        var hostAndPort = authority
        var user: String? = nil
        var password: String? = nil
        if let at = authority.lastIndex(of: "@") {
            let credentials = String(authority[..<at])
            hostAndPort = String(authority[authority.index(after: at)...])
            if let colon = credentials.firstIndex(of: ":") {
                user = try Self.decoded(String(credentials[..<colon]), in: url)
                password = try Self.decoded(String(credentials[credentials.index(after: colon)...]), in: url)
            } else {
                user = try Self.decoded(credentials, in: url)
            }
        }
        var host = ""
        var port = 5432
        if let colon = hostAndPort.lastIndex(of: ":"), !hostAndPort.hasSuffix("]") {
            guard let number = Int(hostAndPort[hostAndPort.index(after: colon)...]), (1...65_535).contains(number)
            else {
                throw StoreError.badLocation(
                    location: Self.masked(url), reason: "the port is not a number from 1 to 65535")
            }
            port = number
            host = String(hostAndPort[..<colon])
        } else {
            host = hostAndPort
        }
        host = try Self.decoded(host, in: url)
        var tls = TLSMode.prefer
        for parameter in query.split(separator: "&") where !parameter.isEmpty {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = try Self.decoded(parts.count > 1 ? String(parts[1]) : "", in: url)
            switch name {
            case "host": host = value
            case "port":
                guard let number = Int(value), (1...65_535).contains(number) else {
                    throw StoreError.badLocation(
                        location: Self.masked(url), reason: "port= is not a number from 1 to 65535")
                }
                port = number
            case "user": user = value
            case "password": password = value
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw StoreError.badLocation(
                        location: Self.masked(url),
                        reason: "sslmode=\(value) is not one Hamlet supports (disable, prefer, require)")
                }
                tls = mode
            default:
                throw StoreError.badLocation(location: Self.masked(url), reason: "unknown parameter \(name)")
            }
        }
        if host.isEmpty { host = "/var/run/postgresql" }
        // Over a Unix socket there is nothing to encrypt: libpq does not try.
        if host.hasPrefix("/") { tls = .disable }
        self.user = user ?? environment("PGUSER") ?? environment("USER") ?? "postgres"
        self.password = password ?? environment("PGPASSWORD")
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    /// The server's socket file, when the host is a folder.
    public var socketPath: String? {
        host.hasPrefix("/") ? host + "/.s.PGSQL.\(port)" : nil
    }

    /// The location as a URL with no password in it, for messages and logs.
    public var description: String {
        let place = host.hasPrefix("/") ? "/\(database)?host=\(host)" : "\(host):\(port)/\(database)"
        return "postgresql://\(user)\(password == nil ? "" : ":***")@" + place
    }

    public static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// `url` with any password replaced, for an error about a URL that could not be read.
    static func masked(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"),
            let at = url[schemeEnd.upperBound...].firstIndex(of: "@"),
            let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":")
        else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }

    /// `text` with its %XX escapes decoded.
    static func decoded(_ text: String, in url: String) throws -> String {
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard input.count >= 2, let value = UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16)
            else {
                throw StoreError.badLocation(location: masked(url), reason: "a % escape is not two hex digits")
            }
            bytes.append(value)
            input = input.dropFirst(2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
