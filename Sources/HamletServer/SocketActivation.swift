#if canImport(Glibc)
    import Glibc
#endif

/// Listening sockets handed over by systemd (socket activation): `LISTEN_FDS` descriptors from 3 on, meant for
/// this process (`LISTEN_PID`), named by `LISTEN_FDNAMES` (a socket unit's `FileDescriptorName=`). The variables
/// are removed so that processes the daemon starts do not take the sockets for theirs.
public struct ActivatedSocket: Sendable, Equatable {
    public var descriptor: Int32
    public var name: String
    /// Whether the socket is a Unix-domain one (no client address to check against `--allow`).
    public var isUnixDomain: Bool

    /// The sockets systemd passed, none when the daemon was started otherwise.
    public static func inherited() -> [ActivatedSocket] {
        defer {
            for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
        }
        guard let pid = environment("LISTEN_PID").flatMap(Int32.init), pid == getpid(),
            let count = environment("LISTEN_FDS").flatMap(Int32.init), count > 0
        else { return [] }
        let names = (environment("LISTEN_FDNAMES") ?? "").split(separator: ":", omittingEmptySubsequences: false)
        return (0..<count).map { index in
            let descriptor = 3 + index
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let family = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    getsockname(descriptor, pointer, &length) == 0 ? Int32(pointer.pointee.sa_family) : -1
                }
            }
            let name = Int(index) < names.count ? String(names[Int(index)]) : ""
            return ActivatedSocket(descriptor: descriptor, name: name, isUnixDomain: family == AF_UNIX)
        }
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
