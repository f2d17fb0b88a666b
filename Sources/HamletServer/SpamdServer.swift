import HamletKit
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Platform

/// Hamlet's daemon: the spamd protocol on a Unix socket or TCP, and rspamd's HTTP protocol on TCP. spamd: each
/// connection carries one request; the reply is computed where `ScoringPlace` says (a small message on the event
/// loop that read it), written, and the connection closed, as spamd does (clients read replies to the end). A
/// client that shuts down its write side after the message, as spamc does, is served: without
/// `allowRemoteHalfClosure` NIO would close the connection at that point and spamc would pass the mail unscanned.
public final class SpamdServer: @unchecked Sendable {
    let group: MultiThreadedEventLoopGroup
    let pool: NIOThreadPool
    let registry: ConnectionRegistry
    let timeout: TimeAmount
    private let current: NIOLockedValueBox<MessageScanner>
    private let listeners = NIOLockedValueBox<[Channel]>([])
    /// Socket files this process made, removed when it stops (not those systemd passed).
    private let socketFiles = NIOLockedValueBox<[String]>([])

    /// A server scoring with `scanner` on its event loop and, for large messages and learning, on `threads` pool
    /// threads, serving at most `maxConnections` clients at once and closing a connection not answered within
    /// `timeout` seconds.
    public init(scanner: MessageScanner, threads: Int, maxConnections: Int = 500, timeout: Int = 30) {
        current = NIOLockedValueBox(scanner)
        registry = ConnectionRegistry(limit: max(1, maxConnections))
        self.timeout = .seconds(Int64(max(1, timeout)))
        // One loop: a second one would take half the connections, each a hand-over from the accepting loop, which
        // costs an idle host's delivery more than the loop's scoring saves under load (docs/BENCHMARKS.md).
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    /// The scanner requests are answered with now.
    public var scanner: MessageScanner { current.withLockedValue { $0 } }

    /// Answers the requests that arrive from now on with `scanner` (a reloaded configuration); those in flight
    /// finish with the one they started with.
    public func replaceScanner(_ scanner: MessageScanner) {
        current.withLockedValue { $0 = scanner }
    }

    /// Binds the socket at `path` (a stale socket file there is replaced) and gives it `mode`, and `owner` and
    /// `groupID` when given, so that an MTA running as its own user can connect. The socket is made under another
    /// name and renamed into place once it has its mode and owners, so that no client ever finds it with the
    /// system's defaults (and neither a client nor a script waiting for the file races the chmod).
    public func bind(socketPath path: String, mode: mode_t, owner: uid_t? = nil, groupID: gid_t? = nil) throws {
        let making = path + ".new"
        // A Unix socket's path must fit sockaddr_un (108 bytes with its NUL); a longer one is bound in place.
        let staged = making.utf8.count < 108 ? making : path
        let channel = try bootstrap(allowing: nil, http: false).bind(
            unixDomainSocketPath: staged, cleanupExistingSocketFile: true
        ).wait()
        listen(channel)
        guard chmod(staged, mode) == 0 else {
            throw HamletError.io("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
        if owner != nil || groupID != nil {
            guard chown(staged, owner ?? uid_t.max, groupID ?? gid_t.max) == 0 else {
                throw HamletError.io("cannot give \(path) its owner or group: \(String(cString: strerror(errno)))")
            }
        }
        if staged != path, rename(staged, path) != 0 {
            throw HamletError.io("cannot put the socket at \(path): \(String(cString: strerror(errno)))")
        }
        socketFiles.withLockedValue { $0.append(path) }
    }

    /// Listens on TCP at `host` and `port` for clients at the `allowed` addresses (others are disconnected at
    /// once), with the spamd protocol or, when `http`, rspamd's. Returns the port (the one the system chose for 0).
    @discardableResult
    public func bind(host: String, port: Int, allowed: AllowedNetworks, http: Bool = false) throws -> Int {
        let channel = try bootstrap(allowing: allowed, http: http).bind(host: host, port: port).wait()
        listen(channel)
        return channel.localAddress?.port ?? port
    }

    /// Serves on a listening socket systemd passed: rspamd's protocol when it is named `http`, else spamd's;
    /// clients of a TCP socket must be `allowed`.
    public func adopt(_ socket: ActivatedSocket, allowed: AllowedNetworks) throws {
        let checked = socket.isUnixDomain ? nil : allowed
        listen(try bootstrap(allowing: checked, http: socket.name == "http").withBoundSocket(socket.descriptor).wait())
    }

    private func listen(_ channel: Channel) {
        listeners.withLockedValue { $0.append(channel) }
    }

    private func bootstrap(allowing allowed: AllowedNetworks?, http: Bool) -> ServerBootstrap {
        let place = ScoringPlace(pool: pool), registry = self.registry, timeout = self.timeout, current = self.current
        let scanner: @Sendable () -> MessageScanner = { current.withLockedValue { $0 } }
        let metrics = current.withLockedValue { $0.metrics }
        return ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: !http)
            .childChannelInitializer { channel in
                if let allowed, !allowed.allows(channel.remoteAddress?.ipAddress ?? "") {
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(ConnectionGuard(registry: registry, timeout: timeout, metrics: metrics))
                    if http {
                        try operations.configureHTTPServerPipeline(withErrorHandling: true)
                        try operations.addHandler(RspamdConnection(scanner: scanner, place: place))
                    } else {
                        try operations.addHandler(SpamdConnection(scanner: scanner, place: place))
                    }
                }
            }
    }

    /// Serves until `stopListening()`.
    public func wait() throws {
        for channel in listeners.withLockedValue({ $0 }) { try channel.closeFuture.wait() }
    }

    /// Stops accepting connections (from any thread, e.g. a signal's): `wait()` returns.
    public func stopListening() {
        for channel in listeners.withLockedValue({ $0 }) { channel.close(promise: nil) }
    }

    /// After `stopListening()`: closes idle connections, lets requests in flight finish (for at most `grace`
    /// seconds), removes the socket files this process made, and releases the threads. Returns how many
    /// connections had to be cut off.
    @discardableResult
    public func finish(grace: Double) throws -> Int {
        stopListening()
        registry.closeIdle()
        let deadline = monotonicSeconds() + grace
        while registry.count > 0, monotonicSeconds() < deadline { usleep(10_000) }
        let cutOff = registry.count
        registry.closeAll()
        for path in socketFiles.withLockedValue({ $0 }) { unlink(path) }
        try pool.syncShutdownGracefully()
        try group.syncShutdownGracefully()
        return cutOff
    }

    /// Stops at once: for tests.
    public func shutDown() throws {
        try finish(grace: 0)
    }
}

/// One client connection: gathers the request, answers it once, closes.
final class SpamdConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let scanner: @Sendable () -> MessageScanner
    let place: ScoringPlace
    private var received: [UInt8] = []
    private var answered = false

    init(scanner: @escaping @Sendable () -> MessageScanner, place: ScoringPlace) {
        self.scanner = scanner
        self.place = place
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
            scanner().log.line("spamd: EX_PROTOCOL: \(reason)")
            Self.send(SpamdResponder.error(76, "EX_PROTOCOL", reason), on: channel)
            return
        }
        answered = true
        let size = received.count
        received = []
        let responder = SpamdResponder(scanner: scanner())
        let mayWait = request.verb == .tell || !responder.scanner.storesAreLocal
        place.run(size: size, mayWait: mayWait, on: context.eventLoop) { responder.reply(to: request) }
            .whenComplete { result in
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
