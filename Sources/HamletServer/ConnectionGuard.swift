import NIOConcurrencyHelpers
import NIOCore

/// The daemon's open client connections: at most `limit` at once (one more is closed at once), and the list a
/// stopping daemon closes or waits for.
final class ConnectionRegistry: @unchecked Sendable {
    let limit: Int
    private let lock = NIOLock()
    // Guarded by `lock`: each open connection and whether it has sent anything yet.
    private var open: [ObjectIdentifier: (channel: Channel, started: Bool)] = [:]

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { lock.withLock { open.count } }

    func admit(_ channel: Channel) -> Bool {
        lock.withLock {
            guard open.count < limit else { return false }
            open[ObjectIdentifier(channel)] = (channel, false)
            return true
        }
    }

    func started(_ channel: Channel) {
        lock.withLock { open[ObjectIdentifier(channel)]?.started = true }
    }

    func remove(_ channel: Channel) {
        _ = lock.withLock { open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Closes the connections that have not sent a byte: a stopping daemon has nothing of theirs to finish.
    func closeIdle() {
        for channel in lock.withLock({ open.values.filter { !$0.started }.map(\.channel) }) {
            channel.close(promise: nil)
        }
    }

    /// Closes every connection still open.
    func closeAll() {
        for channel in lock.withLock({ open.values.map(\.channel) }) { channel.close(promise: nil) }
    }
}

/// The first handler of every client connection, for either protocol: admits it under the connection limit and
/// closes it when it has not been answered within `timeout` (a request that has not arrived, or a reply the client
/// does not read), so that a slow or vanished client holds nothing for long. The event loop never waits for a
/// client, so one slow client does not delay others.
final class ConnectionGuard: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let registry: ConnectionRegistry
    let timeout: TimeAmount
    let metrics: ServerMetrics
    private var deadline: Scheduled<Void>?
    private var started = false

    init(registry: ConnectionRegistry, timeout: TimeAmount, metrics: ServerMetrics) {
        self.registry = registry
        self.timeout = timeout
        self.metrics = metrics
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        guard registry.admit(channel) else {
            metrics.refusedConnection()
            context.close(promise: nil)
            return
        }
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            channel.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !started {
            started = true
            registry.started(context.channel)
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        registry.remove(context.channel)
        context.fireChannelInactive()
    }
}
