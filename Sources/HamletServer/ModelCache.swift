import HamletKit
import Learning
import NIOConcurrencyHelpers
import SpamStore
import TextFeatures

/// The daemon's model of one store, held in memory and shared by its scoring threads. The model is loaded again
/// only when the store's current version or its in-place updates moved, the examples counted again only when they
/// changed. Whether to ask: an SQLite store is asked with each message (one short local read); a store on a server
/// announces its writes (`StoreChangeFeed`), and is asked only after an announcement. A store that does not exist
/// yet is opened when it first does.
///
/// While one thread asks the store, the others score with the model held; after an announcement, a thread of its
/// own asks, and no message waits for the new model. When asking fails (the server stopped, a newer schema) and a
/// model is held, the daemon keeps scoring with it, logs why, and asks again a second later. A store on a server is
/// opened afresh for each ask, so that each ask checks its schema.
final class ModelCache: @unchecked Sendable {
    private let configuration: HamletConfiguration
    private let storePath: String
    /// Told each version loaded (its id and when it was written).
    private let onLoad: @Sendable (Int64, Int64) -> Void
    /// Told why the store could not be asked while a model was held.
    private let onFailure: @Sendable (String) -> Void

    private let lock = NIOLock()
    // Guarded by `lock`.
    private var held: (model: ModelSnapshot, counts: ExampleCounts)?
    private var feed: (any StoreChangeFeed)?
    private var checkedGeneration: UInt64?
    private var asking = false
    private var askAgainAt = 0.0
    private var lastFailure: String?
    /// The feed's generation when a store on a server was found to have no model yet: not asked again until it
    /// moves (a user without a model of their own, scored by the site's).
    private var emptyAt: UInt64?

    // Guarded by `storeLock`: the connection (its statements are not shared between threads) and what was read.
    private let storeLock = NIOLock()
    private var store: (any HamletStore)?
    private var loadedVersion: (id: Int64, changes: Int64, updatedAt: Int64)?
    private var counted: (changes: Int64, counts: ExampleCounts)?

    init(
        configuration: HamletConfiguration, storePath: String,
        onLoad: @escaping @Sendable (Int64, Int64) -> Void, onFailure: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.storePath = storePath
        self.onLoad = onLoad
        self.onFailure = onFailure
    }

    /// A message's score from the model in memory: the same bits as the store-reading path.
    func score(_ tokens: TokenBag) throws -> SingleMessageScore {
        let (model, counts) = try current()
        return SingleMessageScore(
            logit: model.logit(tokens), modelID: model.modelID, bias: 0, spamExamples: counts.spam,
            hamExamples: counts.ham)
    }

    private enum Step {
        case use(ModelSnapshot, ExampleCounts)
        case ask(generation: UInt64?, fallback: (ModelSnapshot, ExampleCounts)?)
        case empty
    }

    /// The model to score with and the store's example counts, asking the store when that is due.
    private func current() throws -> (ModelSnapshot, ExampleCounts) {
        let step: Step = lock.withLock {
            let generation = feed?.generation()
            if let held {
                let announced = generation != nil && generation != checkedGeneration
                let due = (feed == nil || announced) && monotonicSeconds() >= askAgainAt
                if asking || !due { return .use(held.model, held.counts) }
                asking = true
            } else if let generation, generation == emptyAt {
                return .empty
            }
            return .ask(generation: generation, fallback: held)
        }
        switch step {
        case .use(let model, let counts):
            return (model, counts)
        case .empty:
            throw HamletError.noModel(storePath)
        case .ask(let generation, let fallback?) where generation != nil:
            // A store on a server announced a change: a thread of its own asks, so that no message waits for a
            // model's load (a tenth of a second or more under load); this one is scored with the model held.
            startThread { _ = try? self.ask(generation: generation, fallback: fallback) }
            return fallback
        case .ask(let generation, let fallback):
            return try ask(generation: generation, fallback: fallback)
        }
    }

    /// Asks the store (`read`) and holds what it gives; when that fails and a model is held, logs why and
    /// returns the held model.
    private func ask(generation: UInt64?, fallback: (ModelSnapshot, ExampleCounts)?) throws -> (
        ModelSnapshot, ExampleCounts
    ) {
        defer { if fallback != nil { lock.withLock { asking = false } } }
        do {
            let (fresh, storeFeed) = try storeLock.withLock {
                // A store on a server is opened afresh for each announcement: opening checks its schema (a
                // newer Hamlet may have migrated it meanwhile), and a connection the server dropped is gone.
                if generation != nil { store = nil }
                return (try read(), store?.changeFeed)
            }
            lock.withLock {
                held = fresh
                // A feed found only now (the first open) is read after the store: announcements in between
                // move its generation past this one, so the store is asked again.
                checkedGeneration = generation ?? 0
                if feed == nil { feed = storeFeed }
                lastFailure = nil
            }
            return fresh
        } catch HamletError.noModel(let path) where fallback == nil {
            let storeFeed = storeLock.withLock { store?.changeFeed }
            lock.withLock {
                if feed == nil { feed = storeFeed }
                emptyAt = generation ?? 0
            }
            throw HamletError.noModel(path)
        } catch {
            // A connection that failed is not used again: the next ask opens a new one.
            storeLock.withLock { store = nil }
            guard let fallback else { throw error }
            let why = describe(error)
            let report = lock.withLock {
                askAgainAt = monotonicSeconds() + 1
                defer { lastFailure = why }
                return lastFailure != why
            }
            if report { onFailure("\(StoreOpener.displayed(storePath)): scoring with the model held: \(why)") }
            return fallback
        }
    }

    /// Asks the store for its current version and example counts, loading the model when it moved (call
    /// holding `storeLock`).
    private func read() throws -> (model: ModelSnapshot, counts: ExampleCounts) {
        if store == nil {
            let opened = try configuration.openStore(at: storePath, create: false, readOnly: true)
            opened.skipMaintenanceOnClose()
            store = opened
        }
        guard let store else { throw HamletError.noModel(storePath) }
        let limits = configuration.thresholds.examplesCounted
        let (info, counts) = try store.read {
            // The counts change only with the examples, which move the store's change count: count again only then.
            let changes = try store.exampleChanges()
            if counted?.changes != changes { counted = (changes, try store.exampleCounts(upTo: limits)) }
            return (try store.currentModel(), counted!.counts)
        }
        guard let info else { throw HamletError.noModel(store.location) }
        if let held = lock.withLock({ held }), let loadedVersion,
            loadedVersion == (info.id, info.changes, info.updatedAt)
        {
            return (held.model, counts)
        }
        let loaded = try ModelSnapshot.load(from: store, base: configuration.modelOptions)
        loadedVersion = (info.id, info.changes, info.updatedAt)
        onLoad(info.id, info.updatedAt)
        return (loaded, counts)
    }
}
