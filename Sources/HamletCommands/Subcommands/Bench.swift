import ArgumentParser
import HamletKit
import MailParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure parsing and feature extraction speed on messages held in memory (one core).",
        discussion: """
            Reads every message under PATH into memory once, then times warm passes on one thread: `parse` \
            (headers, MIME, transfer and charset decoding, no tokenizing), `digest` (the message's SHA-256 identity), \
            `pipeline` (parse, HTML to text, tokenize, count: everything `classify` does before the model) and \
            `+digest` (the pipeline and the digest: everything `train` does before the store). Prints the median MB/s \
            and messages/s of the passes.
            """)

    @Argument(help: "A folder, mailbox or message file.")
    var path: String

    @Option(help: "Warm passes to time (the median is reported).")
    var passes: Int = 5

    func run() throws {
        var messages: [SourcedMessage] = []
        try Mailbox.read(path) { messages.append($0) }
        let bytes = messages.reduce(0) { $0 + $1.bytes.count }
        let settings = FeatureSettings()
        var sink = 0
        func time(_ body: () -> Void) -> Double {
            var durations: [Double] = []
            for _ in 0..<max(1, passes) {
                let start = monotonicSeconds()
                body()
                durations.append(monotonicSeconds() - start)
            }
            return durations.sorted()[durations.count / 2]
        }
        let parse = time {
            for message in messages {
                let parsed = MailMessage.parse(message.bytes, limits: settings.parseLimits)
                for leaf in parsed.root.leaves where leaf.isText { sink &+= leaf.text.utf8.count }
            }
        }
        let digest = time {
            for message in messages { sink &+= settings.digest.digest(of: message.bytes).utf8.count }
        }
        let pipeline = time {
            for message in messages {
                sink &+= MessageAnalysis(message, settings: settings, withDigest: false).tokens.distinctCount
            }
        }
        let training = time {
            for message in messages { sink &+= MessageAnalysis(message, settings: settings).tokens.distinctCount }
        }
        let megabytes = Double(bytes) / 1_000_000
        Output.line(
            "\(messages.count) messages, \(formatFixed(megabytes, decimals: 1)) MB, median of \(passes) warm passes, one core"
        )
        for (name, seconds) in [("parse", parse), ("digest", digest), ("pipeline", pipeline), ("+digest", training)] {
            Output.line(
                "\(name)\(String(repeating: " ", count: 10 - name.count))\(formatFixed(megabytes / seconds, decimals: 1)) MB/s  "
                    + "\(Int(Double(messages.count) / seconds)) messages/s  (\(formatFixed(seconds, decimals: 3)) s a pass)"
            )
        }
        if sink == 42 { Output.line("") }  // keeps the work from being optimised away
    }
}
