/// One node of a message's MIME tree. Leaves carry their decoded body bytes; multiparts carry children;
/// `message/rfc822` parts carry the enclosed message's root part as their only child.
public struct MIMEPart: Sendable {
    public let headers: Headers
    /// `type/subtype`, lower-cased; `text/plain` when the part declares none.
    public let contentType: String
    /// The declared charset, if any (as written, not normalised).
    public let charset: String?
    /// The Content-Transfer-Encoding, lower-cased (`7bit` when absent).
    public let transferEncoding: String
    /// The file name from Content-Disposition or Content-Type, if any.
    public let filename: String?
    /// Body bytes after transfer decoding (empty for multiparts).
    public let body: [UInt8]
    public let children: [MIMEPart]

    public var isMultipart: Bool { contentType.hasPrefix("multipart/") }
    public var isText: Bool { contentType.hasPrefix("text/") }
    public var isHTML: Bool { contentType == "text/html" }
    /// Whether the part is an attachment: it has a file name or says `Content-Disposition: attachment`.
    public var isAttachment: Bool {
        filename != nil
            || (headers.first("content-disposition").map { HeaderParameters($0.rawValue[...]).value == "attachment" }
                ?? false)
    }

    /// The charset the body is decoded with: the declared one, else for HTML the one its `<meta>` tag names.
    public var effectiveCharset: String? {
        charset ?? (isHTML ? Charset.htmlMetaCharset(body) : nil)
    }

    /// The body converted to a String from its charset (best effort, never fails).
    public var text: String { Charset.decode(body, charset: effectiveCharset) }

    /// Every leaf below this part (itself if it is a leaf), depth first, in message order.
    public var leaves: [MIMEPart] {
        if children.isEmpty { return [self] }
        return children.flatMap(\.leaves)
    }
}
