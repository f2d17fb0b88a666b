import MailParser

/// A path to read mail from, with the label to train it under (nil when classifying).
public struct LabeledPath: Sendable, Equatable {
    public var path: String
    public var isSpam: Bool?

    public init(path: String, isSpam: Bool?) {
        self.path = path
        self.isSpam = isSpam
    }
}

/// A message read from a labelled path.
public struct LabeledMessage: Sendable {
    public var message: SourcedMessage
    public var isSpam: Bool?
}

/// Reads messages from paths in order and hands them over in batches, so that a huge mailbox is never held in
/// memory whole and each batch can be analysed on every core.
enum MessageBatches {
    static let defaultSize = 256

    /// Fails early, before anything is read or written, when a path is neither a file nor a message id.
    static func checkPathsExist(_ paths: [LabeledPath]) throws {
        for item in paths where item.path != "-" {
            var info = stat()
            if stat(item.path, &info) != 0, try Mailbox.readByID(item.path) == nil {
                throw MailboxError.notFound(item.path)
            }
        }
    }

    static func forEach(_ paths: [LabeledPath], batchSize: Int = defaultSize,
                        _ body: ([LabeledMessage]) throws -> Void) throws
    {
        var batch: [LabeledMessage] = []
        batch.reserveCapacity(batchSize)
        for item in paths {
            try Mailbox.read(item.path) { message in
                batch.append(LabeledMessage(message: message, isSpam: item.isSpam))
                if batch.count >= batchSize {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try body(batch) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
