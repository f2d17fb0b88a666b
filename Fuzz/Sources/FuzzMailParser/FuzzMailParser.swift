import HamletKit
import MailParser

/// Parses arbitrary bytes as a message, decodes every part's text, and computes the digest and the raw header
/// layout: none of it may crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMailParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let message = MailMessage.parse(bytes)
    var total = 0
    for leaf in message.root.leaves { total &+= leaf.text.utf8.count }
    for field in message.headers.fields { total &+= field.decodedValue.utf8.count }
    total &+= MessageDigest().digest(of: bytes).count
    total &+= RawHeaderBlock(bytes).fields.count
    return total == -1 ? 1 : 0
}
