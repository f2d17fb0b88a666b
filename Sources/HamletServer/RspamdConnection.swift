import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP connection: gathers a request, answers it (where `ScoringPlace` says), closes the connection (rspamc and the
/// proxy open one per message).
final class RspamdConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let scanner: @Sendable () -> MessageScanner
    let place: ScoringPlace
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(scanner: @escaping @Sendable () -> MessageScanner, place: ScoringPlace) {
        self.scanner = scanner
        self.place = place
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(var bytes):
            if let read = bytes.readBytes(length: bytes.readableBytes) { body += read }
            if body.count > SpamdRequestParser.maximumSize { context.close(promise: nil) }
        case .end:
            guard let head else { return }
            self.head = nil
            let responder = RspamdResponder(scanner: scanner()), channel = context.channel, request = body
            body = []
            let headers = head.headers.map { ($0.name, $0.value) }
            let method = head.method.rawValue, path = head.uri, version = head.version
            let mayWait = path.hasPrefix("/learn") || !responder.scanner.storesAreLocal
            place.run(size: request.count, mayWait: mayWait, on: context.eventLoop) {
                responder.reply(method: method, path: path, headers: headers, body: request)
            }.whenComplete { result in
                let reply =
                    (try? result.get())
                    ?? RspamdResponder.Reply(status: 503, contentType: "text/plain", body: Array("stopping\n".utf8))
                var fields = HTTPHeaders()
                fields.add(name: "Content-Type", value: reply.contentType)
                fields.add(name: "Content-Length", value: String(reply.body.count))
                fields.add(name: "Connection", value: "close")
                let responseHead = HTTPResponseHead(
                    version: version, status: HTTPResponseStatus(statusCode: reply.status), headers: fields)
                channel.write(HTTPServerResponsePart.head(responseHead), promise: nil)
                channel.write(
                    HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: reply.body))), promise: nil)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
