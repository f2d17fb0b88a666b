import Platform

/// The environment variables Hamlet reads, as a dictionary (without Foundation). Only these are looked up: a
/// delivery agent's environment can be long, and hashing every entry of it showed in `filter`'s profile.
public enum ProcessEnvironment {
    /// Every variable any part of Hamlet reads; a new one must be added here.
    public static let names = [
        "HAMLET_CONFIG", "HAMLET_DB", "HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME"
    ]

    public static var current: [String: String] {
        var result: [String: String] = [:]
        result.reserveCapacity(names.count)
        for name in names {
            if let value = getenv(name) { result[name] = String(cString: value) }
        }
        return result
    }
}
