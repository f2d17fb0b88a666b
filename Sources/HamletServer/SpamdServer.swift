import HamletKit
import NIOCore
import NIOHTTP1
import NIOPosix
import Platform

/// Hamlet's daemon: the spamd protocol on a Unix socket or TCP, and rspamd's HTTP protocol on TCP. spamd: each connection carries one request; the reply is computed on a
/// thread pool (scoring reads the store, which must not block an event loop), written, and the connection closed,
/// as spamd does (clients read replies to the end). A client that shuts down its write side after the message,
/// as spamc does, is served: without `allowRemoteHalfClosure` NIO would close the connection at that point and
/// spamc would pass the mail unscanned.
public final class SpamdServer {
    let responder: SpamdResponder
    let group: MultiThreadedEventLoopGroup
    let pool: NIOThreadPool
    var channels: [Channel] = []

    public init(responder: SpamdResponder, threads: Int) {
        self.responder = responder
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    /// Binds the socket at `path` (a stale socket file there is replaced) and gives it `mode`, and `owner` and
    /// `groupID` when given, so that an MTA running as its own user can connect.
    public func bind(socketPath path: String, mode: mode_t, owner: uid_t? = nil, groupID: gid_t? = nil) throws {
        channels.append(
            try bootstrap(allowing: nil).bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).wait())
        guard chmod(path, mode) == 0 else {
            throw HamletError.io("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
        if owner != nil || groupID != nil {
            guard chown(path, owner ?? uid_t.max, groupID ?? gid_t.max) == 0 else {
                throw HamletError.io("cannot give \(path) its owner or group: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Listens on TCP at `host` and `port` for clients at the `allowed` addresses; others are disconnected at once.
    /// Returns the port (the one the system chose for port 0).
    @discardableResult
    public func bind(host: String, port: Int, allowed: AllowedNetworks) throws -> Int {
        let channel = try bootstrap(allowing: allowed).bind(host: host, port: port).wait()
        channels.append(channel)
        return channel.localAddress?.port ?? port
    }

    /// Serves rspamd's HTTP protocol with `responder` on TCP at `host` and `port`, for the `allowed` clients.
    @discardableResult
    public func bindHTTP(host: String, port: Int, allowed: AllowedNetworks, responder: RspamdResponder) throws -> Int {
        let pool = self.pool
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                if !allowed.allows(channel.remoteAddress?.ipAddress ?? "") { return channel.close() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(RspamdConnection(responder: responder, pool: pool))
                }
            }
            .bind(host: host, port: port).wait()
        channels.append(channel)
        return channel.localAddress?.port ?? port
    }

    private func bootstrap(allowing allowed: AllowedNetworks?) -> ServerBootstrap {
        let responder = self.responder, pool = self.pool
        return ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                if let allowed, !allowed.allows(channel.remoteAddress?.ipAddress ?? "") {
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SpamdConnection(responder: responder, pool: pool))
                }
            }
    }

    /// Serves until the listening sockets are closed.
    public func wait() throws {
        for channel in channels { try channel.closeFuture.wait() }
    }

    /// Stops listening and releases the threads.
    public func shutDown() throws {
        for channel in channels { try channel.close().wait() }
        try pool.syncShutdownGracefully()
        try group.syncShutdownGracefully()
    }
}

/// One client connection: gathers the request, answers it once, closes.
final class SpamdConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let responder: SpamdResponder
    let pool: NIOThreadPool
    private var received: [UInt8] = []
    private var answered = false

    init(responder: SpamdResponder, pool: NIOThreadPool) {
        self.responder = responder
        self.pool = pool
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { received += bytes }
        answerIfComplete(context, inputClosed: false)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            answerIfComplete(context, inputClosed: true)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func answerIfComplete(_ context: ChannelHandlerContext, inputClosed: Bool) {
        guard !answered else { return }
        let channel = context.channel
        let request: SpamdRequest
        do {
            guard let complete = try SpamdRequestParser.parse(received, inputClosed: inputClosed) else { return }
            request = complete
        } catch {
            answered = true
            let reason = (error as? SpamdProtocolError)?.message ?? describe(error)
            Self.send(SpamdResponder.error(76, "EX_PROTOCOL", reason), on: channel)
            return
        }
        answered = true
        received = []
        let responder = self.responder
        pool.runIfActive(eventLoop: context.eventLoop) { responder.reply(to: request) }.whenComplete { result in
            switch result {
            case .success(let reply?): Self.send(reply, on: channel)
            case .success(nil): channel.close(promise: nil)
            case .failure: Self.send(SpamdResponder.error(75, "EX_TEMPFAIL", "the server is stopping"), on: channel)
            }
        }
    }

    static func send(_ bytes: [UInt8], on channel: Channel) {
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
