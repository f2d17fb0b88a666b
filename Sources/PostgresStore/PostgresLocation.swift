import Platform
import SpamStore

/// Where a PostgreSQL store lives, from a URL in libpq's form:
/// `postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DBNAME[?host=/socket/dir&sslmode=disable|prefer|require]`.
/// A host that is a folder (it starts with `/`, in the authority or in `host=`) means the server's Unix socket in
/// that folder, `.s.PGSQL.PORT`, as libpq reads it. The password comes from the URL, else from `PGPASSWORD`; the
/// user from the URL, else `PGUSER`, else the Unix user. A password file (`store.password_file`) is read only when
/// neither gives a password: its first line is the password, and it must not be open to other users (as libpq
/// refuses a `.pgpass` that is). Hamlet's own parameter `hamlet_user=NAME` names whose
/// share of the database the location is (`StoreOpener.share(of:user:)`). `description` never shows the password.
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
    /// Whose share of the database (`hamlet_user=`); nil: the default owner.
    public var owner: String?

    /// Whether `location` is a URL this type reads (`postgresql://` or `postgres://`).
    public static func isPostgresURL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Reads `url`; `environment` stands in for the process's (for `PGPASSWORD`, `PGUSER`, `USER`).
    public init(
        parsing url: String, environment: (String) -> String? = PostgresLocation.processEnvironment,
        passwordFile: String? = nil
    ) throws {
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
        var owner: String? = nil
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
            case StoreOpener.userParameter: owner = value
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
        self.password = try password ?? environment("PGPASSWORD") ?? passwordFile.map { try Self.password(from: $0) }
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
        self.owner = owner
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

    /// The first line of the password file at `path`.
    static func password(from path: String) throws -> String {
        func refused(_ reason: String) -> StoreError {
            .badLocation(location: path, reason: "the password file " + reason)
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw refused("cannot be read: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw refused("is open to other users: give it mode 0600 (chmod 600 \(path))")
        }
        guard let file = fopen(path, "r") else {
            throw refused("cannot be read: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        while true {
            let c = getc(file)
            if c == EOF || c == 0x0A { break }
            bytes.append(UInt8(truncatingIfNeeded: c))
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw refused("is empty") }
        return String(decoding: bytes, as: UTF8.self)
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
