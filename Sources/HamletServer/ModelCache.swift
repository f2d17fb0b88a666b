import HamletKit
import NIOConcurrencyHelpers
import SpamStore
import TextFeatures

/// The daemon's model, held in memory and shared by its scoring threads. Each message asks the store (one short
/// read) which version is current and how often the examples changed; the model is loaded again only when the
/// version or its in-place updates moved, the examples counted again only when they changed. A store that does not exist yet is opened when it first does.
final class ModelCache: @unchecked Sendable {
    private let configuration: HamletConfiguration
    private let storePath: String
    private let lock = NIOLock()
    // Guarded by `lock`: the connection (its statements are not shared between threads) and the loaded model.
    private var store: (any HamletStore)?
    private var snapshot: ModelSnapshot?
    private var loadedVersion: (id: Int64, changes: Int64, updatedAt: Int64)?
    private var counted: (changes: Int64, counts: ExampleCounts)?
    /// Told each version loaded (its id and when it was written).
    private let onLoad: @Sendable (Int64, Int64) -> Void

    init(configuration: HamletConfiguration, storePath: String, onLoad: @escaping @Sendable (Int64, Int64) -> Void) {
        self.configuration = configuration
        self.storePath = storePath
        self.onLoad = onLoad
    }

    /// A message's score from the model in memory: the same bits as the store-reading path.
    func score(_ tokens: TokenBag) throws -> SingleMessageScore {
        let (model, counts) = try lock.withLock { try current() }
        return SingleMessageScore(
            logit: model.logit(tokens), modelID: model.modelID, bias: 0, spamExamples: counts.spam,
            hamExamples: counts.ham)
    }

    /// The current model and the store's example counts (call holding `lock`).
    private func current() throws -> (ModelSnapshot, ExampleCounts) {
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
        if let snapshot, let loadedVersion,
            loadedVersion == (info.id, info.changes, info.updatedAt)
        {
            return (snapshot, counts)
        }
        let loaded = try ModelSnapshot.load(from: store, base: configuration.modelOptions)
        snapshot = loaded
        loadedVersion = (info.id, info.changes, info.updatedAt)
        onLoad(info.id, info.updatedAt)
        return (loaded, counts)
    }
}
