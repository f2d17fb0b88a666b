import ArgumentParser
import HamletKit
import MailParser

struct Tokens: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the tokens and counts a message yields (what the model sees).",
        discussion: """
            With one message: one line per token, `count<TAB>token`, most frequent first. With --summary (or \
            several paths): one line per message, `id<TAB>distinct tokens<TAB>total tokens`.
            """)

    @Argument(help: "Message files, folders or mailboxes; - for stdin.")
    var paths: [String] = ["-"]

    @Flag(help: "One summary line per message instead of the token list.")
    var summary = false

    func run() throws {
        let settings = try HamletConfiguration.load().model.features
        let perMessage = summary || paths.count > 1
        for path in paths {
            try Mailbox.read(path) { message in
                let analysis = MessageAnalysis(message, settings: settings)
                if perMessage {
                    Output.line("\(message.id)\t\(analysis.tokens.distinctCount)\t\(analysis.tokens.totalCount)")
                } else {
                    for (token, count) in analysis.tokens.sorted { Output.line("\(count)\t\(token)") }
                }
            }
        }
    }
}
