import ArgumentParser
import HamletKit
import Platform

/// `hamlet serve` starts the daemon, `hamlet-serve`, installed beside `hamlet`: the daemon is its own program so
/// that `hamlet` (and every `hamlet filter` a mail system starts) does not load the networking libraries it links.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scanning daemon (spamd's and rspamd's protocols); hamlet-serve --help lists its options.",
        discussion: """
            Runs hamlet-serve, installed beside hamlet, with the same arguments: it holds the model in memory and \
            answers spamc, Exim's spam ACL, spamass-milter, rspamd and hamletc. See hamlet-serve(1).
            """)

    @Argument(parsing: .captureForPassthrough, help: "hamlet-serve's options, e.g. --socket /run/hamlet/spamd.sock")
    var options: [String] = []

    func run() throws {
        let program = Self.daemonPath()
        let arguments = [program] + options
        var pointers = arguments.map { strdup($0) } + [nil]
        execv(program, &pointers)
        let reason = String(cString: strerror(errno))
        Output.error("cannot run \(program): \(reason) (hamlet-serve is installed beside hamlet)")
        throw ExitCode(69)
    }

    /// `hamlet-serve` in the folder this program was started from.
    static func daemonPath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let me = length > 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        guard let slash = me.lastIndex(of: "/") else { return "hamlet-serve" }
        return String(me[...slash]) + "hamlet-serve"
    }
}
