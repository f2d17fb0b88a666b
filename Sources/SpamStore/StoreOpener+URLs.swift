import Synchronization

/// Opens the store a URL names.
public typealias StoreURLOpener = @Sendable (_ location: String, _ options: URLStoreOptions) throws -> any HamletStore

/// How a store named by a URL is opened.
public struct URLStoreOptions: Sendable {
    /// Make what is missing.
    public var create: Bool
    /// Only read (a role that may not write).
    public var readOnly: Bool
    /// A file holding the password, used when the URL and the environment give none.
    public var passwordFile: String?
    /// How long a writer waits for another writer to finish (`store.busy_timeout`).
    public var busyTimeoutMilliseconds: Int32
}

/// Backends for stores named by URLs. A program that links one registers it at start (`hamlet-pg` and
/// `hamlet-serve` register PostgreSQL's); `hamlet` itself links none, so that `hamlet filter` never loads one.
extension StoreOpener {
    private static let urlOpeners = Mutex<[String: StoreURLOpener]>([:])

    /// Opens stores whose location starts with `scheme://` with `opener` from now on.
    public static func register(scheme: String, _ opener: @escaping StoreURLOpener) {
        urlOpeners.withLock { $0[scheme] = opener }
    }

    /// Whether `location` is a URL (`scheme://…`) rather than a file's path.
    public static func isURL(_ location: String) -> Bool { urlScheme(location) != nil }

    /// Whether this program can open the URL `location`.
    public static func canOpen(_ location: String) -> Bool {
        guard let scheme = urlScheme(location) else { return true }
        return urlOpeners.withLock { $0[scheme] } != nil
    }

    static func urlOpener(_ scheme: String) -> StoreURLOpener? { urlOpeners.withLock { $0[scheme] } }
}

extension StoreOpener {
    /// The URL parameter naming whose share of a shared store a location is (`…?hamlet_user=NAME`).
    public static let userParameter = "hamlet_user"

    /// `url` naming `user`'s share of the same database: its `hamlet_user` parameter set (replaced if present).
    public static func share(of url: String, user: String) -> String {
        let bytes = Array(url.utf8)
        let mark = bytes.firstIndex(of: UInt8(ascii: "?"))
        let base = String(decoding: bytes[..<(mark ?? bytes.count)], as: UTF8.self)
        var parameters =
            mark.map { String(decoding: bytes[($0 + 1)...], as: UTF8.self).split(separator: "&").map(String.init) }
            ?? []
        parameters.removeAll { $0.hasPrefix(userParameter + "=") || $0.isEmpty }
        parameters.append(userParameter + "=" + PercentEncoding.escaped(user))
        return base + "?" + parameters.joined(separator: "&")
    }
}
