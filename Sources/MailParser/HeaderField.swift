/// One header field as it appeared in the message: its name and its unfolded raw value
/// (line breaks of folded lines removed, encoded words not yet decoded).
public struct HeaderField: Sendable, Equatable {
    public let name: String
    /// The name folded to ASCII lower case, for case-insensitive lookup.
    public let lowercasedName: String
    public let rawValue: [UInt8]

    public init(name: String, rawValue: [UInt8]) {
        self.name = name
        var name = name
        self.lowercasedName = name.withUTF8 { asciiLowercased($0) }
        self.rawValue = rawValue
    }

    /// The value with RFC 2047 encoded words decoded and charsets converted to UTF-8.
    public var decodedValue: String { EncodedWords.decode(rawValue[...]) }

    /// The same, with raw 8-bit text that is not UTF-8 read in `fallbackCharset` (see `EncodedWords`).
    public func decodedValue(fallbackCharset: @autoclosure () -> String?) -> String {
        EncodedWords.decode(rawValue[...], fallbackCharset: fallbackCharset())
    }
}

/// The header block of a message or a MIME part, with case-insensitive lookup.
public struct Headers: Sendable {
    public private(set) var fields: [HeaderField] = []

    public init(_ fields: [HeaderField] = []) { self.fields = fields }

    mutating func append(_ field: HeaderField) { fields.append(field) }

    /// The first field with this name (case-insensitive), raw.
    public func first(_ name: String) -> HeaderField? {
        let key = name.lowercased()
        return fields.first { $0.lowercasedName == key }
    }

    /// Every field with this name (case-insensitive), in message order.
    public func all(_ name: String) -> [HeaderField] {
        let key = name.lowercased()
        return fields.filter { $0.lowercasedName == key }
    }

    /// The decoded value of the first field with this name.
    public subscript(_ name: String) -> String? { first(name)?.decodedValue }
}

/// Field names are ASCII: lower-case them byte by byte (String.lowercased() is Unicode-aware and slow).
@inline(__always) func asciiLowercased(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: bytes.count) { out in
        for i in 0..<bytes.count { out[i] = ASCII.lower(bytes[i]) }
        return bytes.count
    }
}
