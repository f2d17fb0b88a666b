/// Opens the store a location names: an SQLite file's path, or a URL (`postgresql://…`) of a backend this program
/// registered (`StoreOpener+URLs`); another URL is refused rather than taken for a folder name.
public enum StoreOpener {
    /// Opens the store at `location`. `create` creates a missing store; `readOnly` is for commands that only read
    /// (see `SQLiteStore.init`); writers wait up to `busyTimeoutMilliseconds` for the write lock. A store on a
    /// server may take its password from `passwordFile`.
    public static func open(
        _ location: String, create: Bool, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 10_000,
        passwordFile: String? = nil
    ) throws -> any HamletStore {
        try checkLocation(location)
        if let scheme = urlScheme(location), let opener = urlOpener(scheme) {
            let options = URLStoreOptions(
                create: create, readOnly: readOnly, passwordFile: passwordFile,
                busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            return try opener(location, options)
        }
        return try SQLiteStore(
            path: location, create: create, readOnly: readOnly, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// A new store for one process's scratch work (evaluation runs) in `folder`: fast rather than durable, as its
    /// contents die with the process.
    public static func scratch(in folder: String, name: String) throws -> any HamletStore {
        let store = try SQLiteStore(path: folder + "/" + name + ".sqlite", create: true)
        try store.database.execute("PRAGMA synchronous=OFF")
        return store
    }

    /// Throws `StoreError.unsupportedLocation` for a location this Hamlet cannot open (before anything makes
    /// folders for it).
    public static func checkLocation(_ location: String) throws {
        if let scheme = urlScheme(location), urlOpener(scheme) == nil {
            throw StoreError.unsupportedLocation(location: location, scheme: scheme)
        }
    }

    /// `location` as it may be shown: a URL's password (`scheme://user:PASSWORD@…`) replaced by `***`.
    public static func displayed(_ location: String) -> String {
        guard urlScheme(location) != nil else { return location }
        let bytes = Array(location.utf8)
        // The authority runs from after "scheme://" to the next "/"; a password sits between its first ":" and its last "@".
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return location }
        let start = colon + 3
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
        guard let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")),
            let separator = bytes[start..<at].firstIndex(of: UInt8(ascii: ":"))
        else { return location }
        return String(decoding: bytes[...separator], as: UTF8.self) + "***"
            + String(decoding: bytes[at...], as: UTF8.self)
    }

    /// The scheme of a location written as a URL (`scheme://…`), nil for a path.
    static func urlScheme(_ location: String) -> String? {
        let bytes = Array(location.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: Array("://".utf8))
        else { return nil }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self)
        let allowed = scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
        return !scheme.isEmpty && allowed && scheme.first!.isLetter ? String(scheme) : nil
    }
}
