#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the store lives: `--db PATH`, else `$HAMLET_DB`, else `$XDG_DATA_HOME/hamlet/hamlet.sqlite`
/// (`~/.local/share/hamlet/hamlet.sqlite` when XDG_DATA_HOME is unset).
public enum StoreLocation {
    public static func resolve(explicit: String?, environment: [String: String] = ProcessEnvironment.current) -> String {
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

/// The process environment as a dictionary (without Foundation).
public enum ProcessEnvironment {
    public static var current: [String: String] {
        var result: [String: String] = [:]
        var count = 0
        while environ[count] != nil { count += 1 }
        result.reserveCapacity(count)  // grown step by step, it cost a `filter` run a quarter of a million instructions
        var pointer = environ
        while let entry = pointer.pointee {
            // Split at the first `=` on the bytes (a delivery agent's environment can be long).
            if let equals = strchr(entry, 0x3D) {
                let nameLength = entry.distance(to: equals)
                let name = entry.withMemoryRebound(to: UInt8.self, capacity: nameLength) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: nameLength), as: UTF8.self)
                }
                result[name] = String(cString: equals + 1)
            }
            pointer += 1
        }
        return result
    }
}
