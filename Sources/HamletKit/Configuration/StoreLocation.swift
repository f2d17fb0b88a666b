import Platform

/// Where the store lives: `--db PATH`, else `$HAMLET_DB`, else `$XDG_DATA_HOME/hamlet/hamlet.sqlite`
/// (`~/.local/share/hamlet/hamlet.sqlite` when XDG_DATA_HOME is unset).
public enum StoreLocation {
    public static func resolve(explicit: String?, environment: [String: String] = ProcessEnvironment.current) -> String
    {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["HAMLET_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            dataHome = (environment["HOME"] ?? ".") + "/.local/share"
        }
        return dataHome + "/hamlet/hamlet.sqlite"
    }

    /// Creates the folder that will hold `path` (mode 0700 for folders Hamlet creates).
    public static func createParentDirectory(of path: String) throws {
        let bytes = Array(path.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "/") && index > 0 {
            let prefix = String(decoding: bytes[0..<index], as: UTF8.self)
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw HamletError.io("cannot create folder \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }
}
