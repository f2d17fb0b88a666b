import MailParser
import SpamStore

import Platform

/// A message named on the command line, resolved to the digest the store knows it by.
public struct ResolvedMessage: Sendable {
    /// The argument as the user wrote it (or `ARG[n]` for the n-th message of a mailbox).
    public var name: String
    public var digest: String
}

/// Resolves the names users give messages, in this order: an existing file or folder (every message in it, by
/// digest); `sha256:HEX` (a digest); `<message-id>` (stored examples with that Message-ID); `MBOX:BYTEOFFSET` for
/// a message inside an existing mbox; a Maildir id as `classify` prints it (the path without `:2,FLAGS`);
/// `-` (one message from stdin). A name that matches nothing is an error naming it.
public struct MessageResolver {
    public let store: any HamletStore
    public let settings: FeatureSettings

    public init(store: any HamletStore, settings: FeatureSettings) {
        self.store = store
        self.settings = settings
    }

    public func resolve(_ names: [String]) throws -> [ResolvedMessage] {
        var result: [ResolvedMessage] = []
        for name in names { result += try resolve(name) }
        return result
    }

    public func resolve(_ name: String) throws -> [ResolvedMessage] {
        var info = stat()
        if name == "-" || stat(name, &info) == 0 {
            var found: [ResolvedMessage] = []
            try Mailbox.read(name) { message in
                found.append(ResolvedMessage(name: message.id, digest: settings.digest.digest(of: message.bytes)))
            }
            return found
        }
        if name.hasPrefix("sha256:") {
            let hex = String(name.dropFirst(7)).lowercased()
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                throw HamletError.usage("\(name): a digest is sha256: followed by 64 hex digits")
            }
            return [ResolvedMessage(name: name, digest: hex)]
        }
        if name.hasPrefix("<") && name.hasSuffix(">") {
            let digests = try store.read { try store.digests(messageID: name) }
            guard !digests.isEmpty else {
                throw HamletError.unknownMessage(name, "no stored message has this Message-ID")
            }
            return digests.map { ResolvedMessage(name: name, digest: $0) }
        }
        if let message = try Mailbox.readByID(name) {
            return [ResolvedMessage(name: name, digest: settings.digest.digest(of: message.bytes))]
        }
        throw HamletError.unknownMessage(
            name, "not a file, a digest (sha256:HEX), a <message-id>, MBOX:OFFSET or a Maildir id")
    }
}
