import HamletKit
import HamletServer
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// The parts of the requests that NIO's HTTP decoder reads from the fuzzer's bytes.
final class RequestCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    var requests: [(head: HTTPRequestHead, body: [UInt8])] = []
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let value):
            head = value
            body = []
        case .body(var bytes): body += bytes.readBytes(length: bytes.readableBytes) ?? []
        case .end:
            if let head { requests.append((head, body)) }
            head = nil
        }
    }
}

/// A scanner without a store: every check answers that the message cannot be scored, and learning is refused, so
/// the fuzzer exercises reading and routing rather than the model.
let responder = RspamdResponder(
    scanner: MessageScanner(configuration: HamletConfiguration(), storePath: "/nonexistent/hamlet-fuzz/store.sqlite"))

/// Feeds arbitrary bytes to the daemon's HTTP pipeline (NIO's decoder, as the daemon configures it) and answers
/// every request decoded from them as the daemon would: nothing may crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRspamdRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let channel = EmbeddedChannel()
    let collector = RequestCollector()
    do {
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
        try channel.pipeline.syncOperations.addHandler(collector)
        try channel.writeInbound(channel.allocator.buffer(bytes: UnsafeBufferPointer(start: data, count: size)))
    } catch {}
    for request in collector.requests {
        let reply = responder.reply(
            method: request.head.method.rawValue, path: request.head.uri,
            headers: request.head.headers.map { ($0.name, $0.value) }, body: request.body)
        if reply.status < 200 || reply.status > 599 { fatalError("an HTTP status out of range: \(reply.status)") }
    }
    _ = try? channel.finish()
    return 0
}
