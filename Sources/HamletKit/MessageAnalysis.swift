import MailParser
import TextFeatures

/// Everything Hamlet needs from one message, computed once: its identity and its tokens.
public struct MessageAnalysis: Sendable {
    public let id: String
    /// SHA-256 of the message's identity bytes (see `MessageDigest`).
    public let digest: String
    public let messageID: String?
    public let tokens: TokenBag

    /// Parses and tokenizes a message. The digest covers the whole message; the tokens come from its first
    /// `settings.sizeLimit` bytes.
    public init(_ message: SourcedMessage, settings: FeatureSettings) {
        id = message.id
        digest = settings.digest.digest(of: message.bytes)
        let bytes = message.bytes.count > settings.sizeLimit ? Array(message.bytes[0..<settings.sizeLimit]) : message.bytes
        let parsed = MailMessage.parse(bytes, limits: settings.parseLimits)
        messageID = parsed.headers.first("message-id").map { String(decoding: $0.rawValue, as: UTF8.self) }
        tokens = FeatureExtractor().tokens(of: parsed)
    }
}
