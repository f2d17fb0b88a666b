import MailParser
import TextFeatures

/// Everything Hamlet needs from one message, computed once: its identity and its tokens.
public struct MessageAnalysis: Sendable {
    public let id: String
    /// SHA-256 of the message's identity bytes (see `MessageDigest`); empty when not asked for.
    public let digest: String
    public let messageID: String?
    public let tokens: TokenBag

    /// Parses and tokenizes a message. The digest covers the whole message; the tokens come from its first
    /// `settings.sizeLimit` bytes. Scoring alone does not need the digest: `withDigest: false` skips it (about a
    /// sixth of the work per message).
    public init(_ message: SourcedMessage, settings: FeatureSettings, withDigest: Bool = true) {
        id = message.id
        digest = withDigest ? settings.digest.digest(of: message.bytes) : ""
        let bytes =
            message.bytes.count > settings.sizeLimit ? Array(message.bytes[0..<settings.sizeLimit]) : message.bytes
        let parsed = MailMessage.parse(bytes, limits: settings.parseLimits)
        messageID = parsed.headers.first("message-id").flatMap { MessageAnalysis.normalizedMessageID($0.rawValue) }
        tokens = settings.extractor.tokens(of: parsed)
    }

    /// A Message-ID as stored and looked up: the header value without surrounding white space, nil if empty.
    public static func normalizedMessageID<C: Collection>(_ raw: C) -> String? where C.Element == UInt8 {
        var bytes = Array(raw)
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A { bytes.removeLast() }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
