/// One message read from a file, mailbox or stdin, with the stable identifier `classify` prints for it:
/// the path for a message file, `path:BYTEOFFSET` for a message inside an mbox holding several,
/// the path without its `:2,FLAGS` suffix for a Maildir message, `-` for stdin.
public struct SourcedMessage: Sendable {
    public let id: String
    public let bytes: [UInt8]

    public init(id: String, bytes: [UInt8]) {
        self.id = id
        self.bytes = bytes
    }
}
