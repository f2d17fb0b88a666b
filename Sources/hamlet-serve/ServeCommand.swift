import ArgumentParser
import Dispatch
import HamletKit
import HamletServer
import Learning
import Platform
import PostgresStore

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
            returns what hamlet filter writes for the same message and store. Scores are on SpamAssassin's scale, as in \
            X-Spam-Status: spam from 5.0 ("Spam: True ; 8.9 / 5.0"). With --http it also serves rspamd's \
            protocol for rspamc and rspamd's milter proxy. Under systemd the listening sockets may be passed in \
            (socket activation; Resources/systemd/hamlet-serve.socket). SIGTERM finishes the requests in flight and \
            exits; SIGHUP reads the configuration again. Resources/spamd/README.md has the recipes.
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

    @Option(
        help:
            "Score users without a store of their own with this user's (on a shared store; default: the share the --db URL names, else the Unix user's)."
    )
    var user: String?

    @Option(help: "Threads that score messages (default: the CPUs this process may run on).")
    var jobs: Int?

    @Option(help: "Clients served at once; more are disconnected at once (as if the daemon were absent).")
    var maxConnections = 500

    @Option(
        help:
            "Seconds a client has to send its request and read the reply before it is disconnected; also how long a stopping daemon waits for requests in flight."
    )
    var timeout = 30

    @Option(help: "Where each request's log line goes: stderr, syslog (the mail facility) or none.")
    var log: RequestLog = .stderr

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
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
    }

    /// A scanner with the configuration as it now reads (the server's metrics kept across reloads).
    func scanner(metrics: ServerMetrics) throws -> MessageScanner {
        let configuration = try HamletConfiguration.load()
        return MessageScanner(
            configuration: configuration, storePath: try configuration.storeLocation(explicit: db, user: user),
            allowsLearning: allowTell, metrics: metrics, log: log)
    }

    func run() throws {
        PostgresStore.registerOpener()
        log.open()
        do {
            let server = SpamdServer(
                scanner: try scanner(metrics: ServerMetrics()), threads: jobs ?? availableProcessors(),
                maxConnections: maxConnections, timeout: timeout)
            try listen(server)
            let signals = watchSignals(server)
            try server.wait()
            let cutOff = try server.finish(grace: Double(timeout))
            log.line("stopped" + (cutOff > 0 ? " (\(cutOff) connections cut off)" : ""))
            withExtendedLifetime(signals) {}
        } catch {
            StandardError.line("serve: \(describe(error))")
            throw ExitCode(ExitStatus.of(error))
        }
    }

    /// Binds the sockets systemd passed, or else those the options name.
    func listen(_ server: SpamdServer) throws {
        let allowed = try allow.map(AllowedNetworks.init(parsing:)) ?? .loopback
        let activated = ActivatedSocket.inherited()
        for socket in activated {
            try server.adopt(socket, allowed: allowed)
            log.line("listening on the socket systemd passed (\(socket.name.isEmpty ? "spamd" : socket.name))")
        }
        guard activated.isEmpty else { return }
        if let path = socket ?? (listen == nil && http == nil ? "/run/hamlet/spamd.sock" : nil) {
            try server.bind(
                socketPath: path, mode: mode_t(socketMode, radix: 8) ?? 0o660,
                owner: try socketOwner.map(SocketOwnership.userID),
                groupID: try socketGroup.map(SocketOwnership.groupID))
            log.line("listening on \(path)")
        }
        if let address = listenAddress {
            let port = try server.bind(host: address.host, port: address.port, allowed: allowed)
            log.line("listening on \(address.host) port \(port)")
        }
        if let address = Self.hostAndPort(http) {
            let port = try server.bind(host: address.host, port: address.port, allowed: allowed, http: true)
            log.line("HTTP on \(address.host) port \(port)")
        }
    }

    /// SIGTERM and SIGINT stop the server (it finishes what is in flight); SIGHUP reads the configuration again
    /// (a configuration that does not load is reported and the one in force kept).
    func watchSignals(_ server: SpamdServer) -> [DispatchSourceSignal] {
        let queue = DispatchQueue(label: "hamlet-serve.signals")
        var sources: [DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let command = self
            source.setEventHandler {
                guard number == SIGHUP else {
                    command.log.line("stopping: finishing the requests in flight")
                    server.stopListening()
                    return
                }
                do {
                    server.replaceScanner(try command.scanner(metrics: server.scanner.metrics))
                    command.log.line("configuration read again")
                } catch {
                    command.log.line("configuration not reloaded, the one in force kept: \(describe(error))")
                }
            }
            source.resume()
            sources.append(source)
        }
        return sources
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

extension RequestLog: ExpressibleByArgument {}
