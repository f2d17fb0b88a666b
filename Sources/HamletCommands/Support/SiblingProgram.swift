import ArgumentParser
import Platform
import SpamStore

/// Programs installed beside `hamlet` that it hands a command over to, replacing itself: `hamlet-serve` (the
/// daemon, which links SwiftNIO) and `hamlet-pg` (these same commands with the PostgreSQL store, which links
/// postgres-nio). Keeping them apart keeps `hamlet filter` from loading either.
enum SiblingProgram {
    /// Replaces this process with `name` from this program's folder, given `arguments`; returns only by throwing
    /// (exit 69) when it cannot be run.
    static func execute(_ name: String, arguments: [String]) throws -> Never {
        let program = path(name)
        var pointers = ([program] + arguments).map { strdup($0) } + [nil]
        execv(program, &pointers)
        let reason = String(cString: strerror(errno))
        Output.error("cannot run \(program): \(reason) (\(name) is installed beside hamlet)")
        throw ExitCode(69)
    }

    /// `name` in the folder this program was started from.
    static func path(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let me = length > 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        guard let slash = me.lastIndex(of: "/") else { return name }
        return String(me[...slash]) + name
    }

    /// Hands this very command to `hamlet-pg` when `location` is a PostgreSQL URL this program cannot open; does
    /// nothing otherwise.
    static func handOverIfNeeded(for location: String) throws {
        guard StoreOpener.isURL(location), !StoreOpener.canOpen(location),
            location.hasPrefix("postgresql://") || location.hasPrefix("postgres://"),
            access(path("hamlet-pg"), X_OK) == 0
        else { return }
        try execute("hamlet-pg", arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
