import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SpamStore

/// One connection to a PostgreSQL server, used synchronously: Hamlet's store protocol is synchronous (see
/// docs/ARCHITECTURE.md), so each call waits on postgres-nio's future from the calling thread. Every call has its
/// own deadline: without one, a wrong socket path or a server that stopped answering leaves postgres-nio waiting
/// for ever. After a deadline passes the connection is closed and every later call fails at once.
public final class PostgresSession: @unchecked Sendable {
    public let location: PostgresLocation
    /// How long one call (connecting, a statement) may take.
    public let deadline: TimeAmount
    /// `deadline` in seconds.
    public var deadlineSeconds: Double { Double(deadline.nanoseconds) / 1e9 }
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let logger = Logger(label: "hamlet.postgres") { _ in SwiftLogNoOpLogHandler() }
    private var connection: PostgresConnection?
    /// Becomes true when the connection closes, for whatever reason.
    private let closed = ConditionLock(value: false)

    /// Connects to the server at `location`, giving each call at most `seconds`.
    public init(location: PostgresLocation, deadline seconds: Double = 10) throws {
        self.location = location
        self.deadline = .milliseconds(Int64(max(0.001, seconds) * 1000))
        do {
            var configuration = try Self.configuration(for: location)
            // The server gives up on a statement a little after this side does, rather than finishing work no one
            // waits for any more (a query planned badly can run for minutes).
            let serverLimit = Int64(max(0.001, seconds) * 1000) + 1000
            configuration.options.additionalStartupParameters = [("statement_timeout", String(serverLimit))]
            connection = try wait(
                PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger),
                doing: "connecting")
            let closed = self.closed
            connection?.closeFuture.whenComplete { _ in
                closed.lock()
                closed.unlock(withValue: true)
            }
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    deinit { close() }

    /// Runs `query` (its interpolations are sent as parameters, never spliced in) and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery, deadline seconds: Double? = nil) throws -> [PostgresRow] {
        // A statement sent on a connection the server has closed may never be answered: fail it at once.
        guard let connection, !closed.value else {
            throw StoreError.unreachable(location: location.description, reason: "the connection was closed")
        }
        let limit = seconds.map { TimeAmount.milliseconds(Int64($0 * 1000)) } ?? deadline
        return try wait(connection.query(query, logger: logger), doing: "running a statement", limit: limit).rows
    }

    /// Runs `sql`, which has no parameters (schema statements).
    public func execute(_ sql: String) throws {
        try query(PostgresQuery(unsafeSQL: sql))
    }

    /// Runs `body` in one transaction (opened with `begin`): committed when it returns, rolled back when it throws.
    public func transaction<T>(begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Calls `handler` with the payload of every notification on `channel` from now on (on the connection's
    /// thread); returns once the server listens.
    public func listen(to channel: String, _ handler: @escaping @Sendable (String) -> Void) throws {
        guard let connection else {
            throw StoreError.unreachable(location: location.description, reason: "the connection was closed")
        }
        connection.addListener(channel: channel) { _, notification in handler(notification.payload) }
        // Statements run in order on a connection: once this one is answered, the LISTEN before it is in force.
        try execute("SELECT 1")
    }

    /// Waits up to `seconds` for the connection to close (the server stopped, the network failed); returns
    /// whether it did.
    public func waitUntilClosed(seconds: Double) -> Bool {
        guard closed.lock(whenValue: true, timeoutSeconds: seconds) else { return false }
        closed.unlock()
        return true
    }

    /// Closes the connection (waiting at most the deadline) and stops its thread.
    public func close() {
        if let connection {
            let closed: EventLoopFuture<Void> = connection.close()
            _ = try? wait(closed, doing: "closing")
        }
        connection = nil
        try? group.syncShutdownGracefully()
    }

    /// `future`'s value, or an error once the deadline has passed (the connection is then closed).
    private func wait<T: Sendable>(_ future: EventLoopFuture<T>, doing what: String, limit: TimeAmount? = nil)
        throws -> T
    {
        let loop = future.eventLoop
        let promise = loop.makePromise(of: T.self)
        let settled = NIOLockedValueBox(false)
        let settle: @Sendable (Result<T, Error>) -> Void = { result in
            let first = settled.withLockedValue { done in
                defer { done = true }
                return !done
            }
            if first { promise.completeWith(result) }
        }
        let limit = limit ?? deadline
        let timer = loop.scheduleTask(in: limit) { settle(.failure(DeadlinePassed())) }
        future.whenComplete { result in
            timer.cancel()
            settle(result)
        }
        do {
            return try promise.futureResult.wait()
        } catch is DeadlinePassed {
            if let connection {
                self.connection = nil
                // Held until the close completes: postgres-nio requires a connection to be closed before it is
                // freed (a debug build stops the process otherwise).
                let closing: EventLoopFuture<Void> = connection.close()
                closing.whenComplete { _ in withExtendedLifetime(connection) {} }
            }
            let seconds = Double(limit.nanoseconds) / 1e9
            throw StoreError.unreachable(
                location: location.description, reason: "no answer within \(seconds) s while \(what)")
        } catch let error as PSQLError {
            throw translated(error)
        }
    }

    /// postgres-nio's error as the store's: the server's refusal with its message and SQLSTATE, anything else as
    /// a server that could not be reached.
    private func translated(_ error: PSQLError) -> StoreError {
        if let info = error.serverInfo, let message = info[.message] {
            let code = info[.sqlState] ?? "?"
            // Class 08 is a connection exception, 57P is the server shutting down: both mean "try again later".
            if code.hasPrefix("08") || code.hasPrefix("57P") {
                return .unreachable(location: location.description, reason: message)
            }
            // lock_not_available: another writer held the lock past lock_timeout.
            if code == "55P03" { return .busy(path: location.description) }
            // query_canceled: past statement_timeout (set just beyond the deadline), or cancelled by an operator.
            if code == "57014" { return .unreachable(location: location.description, reason: message) }
            return .server(location: location.description, message: message, code: code)
        }
        if error.code == .authMechanismRequiresPassword {
            return .server(
                location: location.description,
                message: "the server asks for a password: give it in the URL, in PGPASSWORD or in store.password_file",
                code: "28000")
        }
        let reason = error.underlying.map { "\($0)" } ?? "\(error.code)"
        return .unreachable(location: location.description, reason: reason)
    }

    private static func configuration(for location: PostgresLocation) throws -> PostgresConnection.Configuration {
        if let socket = location.socketPath {
            return .init(
                unixSocketPath: socket, username: location.user, password: location.password,
                database: location.database)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        // libpq's `require` and `prefer` encrypt without checking the server's certificate.
        tls.certificateVerification = .none
        let mode: PostgresConnection.Configuration.TLS
        switch location.tls {
        case .disable: mode = .disable
        case .prefer: mode = .prefer(try NIOSSLContext(configuration: tls))
        case .require: mode = .require(try NIOSSLContext(configuration: tls))
        }
        return .init(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: mode)
    }
}

/// A call's deadline passed before the server answered.
private struct DeadlinePassed: Error {}
