import Learning
import Platform
import SpamStore
import Synchronization

/// Announcements of writes to the stores on one PostgreSQL server, for a daemon that holds models in memory:
/// every write transaction of a `PostgresStore` sends its owner on `hamlet_changes` (NOTIFY, delivered when it
/// commits). The feed listens on a connection of its own, so that scoring never waits for the server to say
/// nothing changed. While the server cannot be reached it tries again every second; each connection it makes
/// counts as a change of every owner, since announcements may have been missed meanwhile. One feed per server,
/// shared by every owner's store in the process, living as long as the process.
final class PostgresChangeFeed: Sendable {
    static let channel = "hamlet_changes"
    private static let feeds = Mutex<[String: PostgresChangeFeed]>([:])

    private struct Heard {
        var connections: UInt64 = 0
        var writes: [String: UInt64] = [:]
    }
    private let heard = Mutex(Heard())
    private let location: PostgresLocation

    private init(location: PostgresLocation) {
        self.location = location
    }

    /// The feed of the server `location` names, started on first use.
    static func shared(for location: PostgresLocation) -> PostgresChangeFeed {
        var server = location
        server.owner = nil
        return feeds.withLock { feeds in
            if let feed = feeds[server.description] { return feed }
            let feed = PostgresChangeFeed(location: server)
            feeds[server.description] = feed
            // A thread of its own: it blocks for the process's life, which on one of Dispatch's pool threads
            // would take a core from every `concurrentPerform` (a fit after a lesson).
            startThread { feed.listenForever() }
            return feed
        }
    }

    /// Moves with every announced write of `owner` and every new connection.
    func generation(of owner: String) -> UInt64 {
        heard.withLock { $0.connections &+ ($0.writes[owner] ?? 0) }
    }

    private func listenForever() {
        while true {
            if let session = try? PostgresSession(location: location) {
                do {
                    try session.listen(to: Self.channel) { [self] owner in
                        heard.withLock { $0.writes[owner, default: 0] &+= 1 }
                    }
                    heard.withLock { $0.connections &+= 1 }
                    // A network that fails silently closes nothing: ask now and then.
                    while !session.waitUntilClosed(seconds: 30) { try session.execute("SELECT 1") }
                } catch {}
                session.close()
            }
            sleep(1)
        }
    }
}

/// One owner's view of its server's feed.
struct PostgresOwnerFeed: StoreChangeFeed {
    let feed: PostgresChangeFeed
    let owner: String

    func generation() -> UInt64 { feed.generation(of: owner) }
}
