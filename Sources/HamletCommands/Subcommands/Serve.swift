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
        try SiblingProgram.execute("hamlet-serve", arguments: options)
    }
}
