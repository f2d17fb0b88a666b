/// Tells a reader that holds a store's model in memory (the daemon) when the store may have changed, so that it
/// need not ask the store about every message. A store on a server announces its writes; an SQLite file on the
/// same machine has no feed (`HamletStore.changeFeed` is nil), as asking it is cheap.
public protocol StoreChangeFeed: Sendable {
    /// A count that moves whenever the store may have changed: each announced write, and each time the feed
    /// connects again after it could not hear announcements for a while.
    func generation() -> UInt64
}

extension HamletStore {
    public var changeFeed: (any StoreChangeFeed)? { nil }
}
