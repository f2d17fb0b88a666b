import HamletServer

/// Reads arbitrary bytes as a spamd request, as the daemon does while bytes arrive (every prefix with the client's
/// side still open) and once the client has closed: the parser may refuse but must not crash, hang or hold more
/// than its limits, and a request it completes early must be the one it completes at the end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpamdRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var early: SpamdRequest?
    for cut in stride(from: 0, through: bytes.count, by: max(1, bytes.count / 8)) {
        if let request = try? SpamdRequestParser.parse(Array(bytes[..<cut]), inputClosed: false) {
            early = request
            break
        }
    }
    let final = try? SpamdRequestParser.parse(bytes, inputClosed: true)
    if let early, let final, early.headers["Content-length"] != nil, early != final {
        fatalError("a request completed early differs from the same request read to the end")
    }
    return 0
}
