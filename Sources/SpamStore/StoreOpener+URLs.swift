import Synchronization

/// Opens the store a URL names (`create`: make what is missing; `readOnly`: only read).
public typealias StoreURLOpener =
    @Sendable (_ location: String, _ create: Bool, _ readOnly: Bool) throws -> any HamletStore

/// Backends for stores named by URLs. A program that links one registers it at start (`hamlet-pg` registers
/// PostgreSQL's); `hamlet` itself links none, so that `hamlet filter` never loads one.
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
