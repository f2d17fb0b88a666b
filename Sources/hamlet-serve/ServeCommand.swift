import ArgumentParser
import HamletKit
import HamletServer
import Learning
import Platform

/// `hamlet-serve`: the scanning daemon. It links SwiftNIO, which `hamlet` (and so `hamlet filter`) does not.
@main
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hamlet-serve",
        abstract:
            "Scan mail for MTAs and delivery agents over SpamAssassin's spamd protocol and rspamd's HTTP protocol.",
        discussion: """
            Listens on a Unix socket and answers spamc, spamass-milter, Exim's spam ACL and rspamd's spamassassin \
            scanner: CHECK, SYMBOLS, REPORT, REPORT_IFSPAM, PROCESS, HEADERS, PING, SKIP and TELL (spamc -L). PROCESS \
            returns what hamlet filter writes for the same message and store. The score is p(spam) (0 to 1) and the required \
            score the spam threshold in force: "Spam: True ; 0.998 / 0.730". With --http it also serves rspamd's \
            protocol for rspamc and rspamd's milter proxy. Resources/spamd/README.md has the recipes.
            """)

    @Option(
        help:
            "The Unix socket to listen on (a stale socket file there is replaced; default /run/hamlet/spamd.sock unless --listen or --http is given)."
    )
    var socket: String?

    @Option(help: "Also, or instead, listen on TCP at HOST:PORT (or PORT, on loopback), as spamd's --listen.")
    var listen: String?

    @Option(
        help:
            "Serve rspamd's HTTP protocol (/checkv2, /learnspam, /learnham, /ping, /metrics, /healthz) on TCP at HOST:PORT or PORT."
    )
    var http: String?

    @Option(
        help:
            "With --listen or --http: the client networks served, e.g. 127.0.0.0/8,10.0.0.0/8 (default: loopback only)."
    )
    var allow: String?

    @Option(help: "The socket's permissions, in octal (as spamd's --socketmode): who may connect.")
    var socketMode: String = "0660"

    @Option(help: "The socket's owner, a user name or id (as spamd's --socketowner; needs root).")
    var socketOwner: String?

    @Option(help: "The socket's group, a group name or id (as spamd's --socketgroup), e.g. the MTA's.")
    var socketGroup: String?

    @Flag(
        help:
            "Let clients teach: spamd's TELL (spamc -L) and rspamd's /learnspam and /learnham (as spamd's --allow-tell; off by default)."
    )
    var allowTell = false

    @Option(help: "The store to score with (default: as for hamlet).")
    var db: String?

    @Option(help: "Threads that score messages (default: the CPUs this process may run on).")
    var jobs: Int?

    /// `--listen` as host and port.
    var listenAddress: (host: String, port: Int)? { Self.hostAndPort(listen) }

    /// `HOST:PORT` or `PORT` (on loopback).
    static func hostAndPort(_ listen: String?) -> (host: String, port: Int)? {
        guard let listen else { return nil }
        guard let colon = listen.lastIndex(of: ":") else { return Int(listen).map { ("127.0.0.1", $0) } }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return Int(listen[listen.index(after: colon)...]).map { (host.isEmpty ? "127.0.0.1" : host, $0) }
    }

    func validate() throws {
        if listen != nil, listenAddress.map({ (0...65_535).contains($0.port) }) != true {
            throw ValidationError("--listen takes HOST:PORT or PORT, e.g. 127.0.0.1:7830")
        }
        if http != nil, Self.hostAndPort(http).map({ (0...65_535).contains($0.port) }) != true {
            throw ValidationError("--http takes HOST:PORT or PORT, e.g. 127.0.0.1:11333")
        }
        if let allow { _ = try AllowedNetworks(parsing: allow) }
        guard mode_t(socketMode, radix: 8) != nil else { throw ValidationError("--socket-mode takes octal, e.g. 0660") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        do {
            let configuration = try HamletConfiguration.load()
            let scanner = MessageScanner(
                configuration: configuration, storePath: configuration.resolvedStorePath(explicit: db),
                allowsLearning: allowTell)
            let server = SpamdServer(
                responder: SpamdResponder(scanner: scanner), threads: jobs ?? availableProcessors())
            if let path = socket ?? (listen == nil && http == nil ? "/run/hamlet/spamd.sock" : nil) {
                try server.bind(
                    socketPath: path, mode: mode_t(socketMode, radix: 8) ?? 0o660,
                    owner: try socketOwner.map(SocketOwnership.userID),
                    groupID: try socketGroup.map(SocketOwnership.groupID))
                StandardError.line("serve: listening on \(path)")
            }
            if let address = listenAddress {
                let allowed = try allow.map(AllowedNetworks.init(parsing:)) ?? .loopback
                let port = try server.bind(host: address.host, port: address.port, allowed: allowed)
                StandardError.line("serve: listening on \(address.host) port \(port)")
            }
            if let address = Self.hostAndPort(http) {
                let allowed = try allow.map(AllowedNetworks.init(parsing:)) ?? .loopback
                let port = try server.bindHTTP(
                    host: address.host, port: address.port, allowed: allowed,
                    responder: RspamdResponder(scanner: scanner))
                StandardError.line("serve: HTTP on \(address.host) port \(port)")
            }
            try server.wait()
        } catch {
            StandardError.line("serve: \(describe(error))")
            throw ExitCode(ExitStatus.of(error))
        }
    }
}

/// User and group names (or numeric ids) for the socket's ownership.
enum SocketOwnership {
    static func userID(_ name: String) throws -> uid_t {
        if let id = uid_t(name) { return id }
        guard let entry = getpwnam(name) else { throw ValidationError("no user named \(name)") }
        return entry.pointee.pw_uid
    }

    static func groupID(_ name: String) throws -> gid_t {
        if let id = gid_t(name) { return id }
        guard let entry = getgrnam(name) else { throw ValidationError("no group named \(name)") }
        return entry.pointee.gr_gid
    }
}
