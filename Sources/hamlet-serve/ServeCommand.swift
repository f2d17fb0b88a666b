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
        abstract: "Scan mail for MTAs and delivery agents over SpamAssassin's spamd protocol.",
        discussion: """
            Listens on a Unix socket and answers spamc, spamass-milter, Exim's spam ACL and rspamd's spamassassin \
            scanner: CHECK, SYMBOLS, REPORT, REPORT_IFSPAM, PROCESS, HEADERS, PING, SKIP and TELL (spamc -L). PROCESS \
            returns what hamlet filter writes for the same message and store. The score is p(spam) (0 to 1) and the required \
            score the spam threshold in force: "Spam: True ; 0.998 / 0.730".
            """)

    @Option(help: "The Unix socket to listen on (a stale socket file there is replaced).")
    var socket: String = "/run/hamlet/spamd.sock"

    @Option(help: "The socket's permissions, in octal (as spamd's --socketmode): who may connect.")
    var socketMode: String = "0660"

    @Option(help: "The socket's owner, a user name or id (as spamd's --socketowner; needs root).")
    var socketOwner: String?

    @Option(help: "The socket's group, a group name or id (as spamd's --socketgroup), e.g. the MTA's.")
    var socketGroup: String?

    @Option(help: "The store to score with (default: as for hamlet).")
    var db: String?

    @Option(help: "Threads that score messages (default: the CPUs this process may run on).")
    var jobs: Int?

    func validate() throws {
        guard mode_t(socketMode, radix: 8) != nil else { throw ValidationError("--socket-mode takes octal, e.g. 0660") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        do {
            let configuration = try HamletConfiguration.load()
            let responder = SpamdResponder(
                configuration: configuration, storePath: configuration.resolvedStorePath(explicit: db))
            let server = SpamdServer(responder: responder, threads: jobs ?? availableProcessors())
            try server.bind(
                socketPath: socket, mode: mode_t(socketMode, radix: 8) ?? 0o660,
                owner: try socketOwner.map(SocketOwnership.userID),
                groupID: try socketGroup.map(SocketOwnership.groupID))
            StandardError.line("serve: listening on \(socket)")
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
