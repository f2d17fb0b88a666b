import ArgumentParser
import HamletKit
import MailParser

struct Tokens: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the tokens and counts a message yields (what the model sees).")

    @Argument(help: "A message file, or - for stdin.")
    var path: String = "-"

    func run() throws {
        do {
            var first = true
            try Mailbox.read(path) { message in
                guard first else { return }
                first = false
                let analysis = MessageAnalysis(message, settings: FeatureSettings())
                for (token, count) in analysis.tokens.sorted { Output.line("\(count)\t\(token)") }
            }
            Output.flush()
        } catch {
            throw ExitStatus.report(error)
        }
    }
}
