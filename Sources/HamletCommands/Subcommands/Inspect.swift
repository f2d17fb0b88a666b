import ArgumentParser
import HamletKit
import MailParser
import TextFeatures

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how Hamlet reads a message: its decoded headers, its MIME tree and the text the tokenizer sees."
    )

    @Argument(help: "A message file, an id as classify prints it, or - for stdin.")
    var message: String = "-"

    @Option(help: "Show at most this many characters of each part's text.")
    var width: Int = 2000

    @Flag(
        help: ArgumentHelp(
            "For every message under the path, one TSV line of decoding checks instead.",
            discussion:
                "Columns: id, non-UTF-8 charset declared (0/1), U+FFFD %, base64 lines left, =3D/=20 runs left, mojibake pairs, CJK/Cyrillic parts without their script."
        ))
    var report = false

    func run() throws {
        let settings = try HamletConfiguration.load().modelOptions.features
        if report {
            try Mailbox.read(message) { source in
                let parsed = MailMessage.parse(source.bytes, limits: settings.parseLimits)
                Output.line(DecodingReport(parsed).tsv(id: source.id))
            }
            return
        }
        guard let source = try Mailbox.first(message) else { throw HamletError.io("\(message): no message") }
        let bytes =
            source.bytes.count > settings.sizeLimit ? Array(source.bytes[0..<settings.sizeLimit]) : source.bytes
        let parsed = MailMessage.parse(bytes, limits: settings.parseLimits)
        Output.line(
            "message: \(source.id) (\(source.bytes.count) bytes\(source.bytes.count > settings.sizeLimit ? ", read up to \(settings.sizeLimit)" : ""))"
        )
        Output.line("digest: sha256:\(settings.digest.digest(of: source.bytes))")
        Output.line("\nheaders (decoded):")
        for field in parsed.headers.fields { Output.line("  \(field.name): \(oneLine(field.decodedValue))") }
        for name in ["from", "to", "cc", "reply-to"] {
            for field in parsed.headers.all(name) {
                for address in Address.list(field.decodedValue) {
                    Output.line(
                        "  \(field.name) address: \(address.email ?? "-")  name: \(address.displayName ?? "-")  domain: \(address.domain ?? "-")"
                    )
                }
            }
        }
        Output.line("\nMIME tree:")
        tree(parsed.root, depth: 1)
        Output.line("\ntext the tokenizer sees:")
        var index = 0
        for part in parsed.root.leaves {
            index += 1
            guard let readable = FeatureExtractor.readableText(of: part, htmlLimit: settings.htmlLimit) else {
                Output.line("  [\(index) \(part.contentType)] not read as text")
                continue
            }
            Output.line("  [\(index) \(part.contentType)] \(clip(readable.text))")
            if !readable.hidden.isEmpty {
                Output.line("  [\(index) hidden from the reader] \(clip(readable.hidden))")
            }
            for url in readable.urls.prefix(50) { Output.line("  [\(index) link] \(oneLine(url))") }
        }
        let analysis = MessageAnalysis(source, settings: settings)
        Output.line(
            "\ntokens: \(analysis.tokens.distinctCount) distinct, \(analysis.tokens.totalCount) in all (hamlet tokens lists them)"
        )
    }

    private func tree(_ part: MIMEPart, depth: Int) {
        var facts = [part.contentType]
        if let charset = part.charset { facts.append("charset=\(charset)") }
        if part.charset == nil, let meta = part.effectiveCharset { facts.append("charset=\(meta) (from <meta>)") }
        if part.transferEncoding != "7bit" { facts.append(part.transferEncoding) }
        if let name = part.filename { facts.append("file \(oneLine(name))") }
        if part.children.isEmpty { facts.append("\(part.body.count) bytes decoded") }
        Output.line(String(repeating: "  ", count: depth) + facts.joined(separator: "; "))
        for child in part.children { tree(child, depth: depth + 1) }
    }

    private func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }

    private func clip(_ text: String) -> String {
        let flat = oneLine(text).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return flat.count > width ? String(flat.prefix(width)) + " ..." : flat
    }
}
