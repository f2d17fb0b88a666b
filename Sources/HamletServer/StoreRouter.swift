import HamletKit
import NIOConcurrencyHelpers
import SpamStore
import TextFeatures

/// Which store scores a user's mail, and the models held in memory. With `serve.user_stores` each user a client
/// names (spamd's `User`) has a store of their own (a file, or a share of a shared store); a user whose store is
/// missing, or still below the minimum of each label (`StoreVerdicts.minimumExamplesPerLabel`), is scored by the
/// site store, so a new user is protected from the first message. At most `serve.models_in_memory` users' models
/// stay loaded; the least recently used goes.
final class StoreRouter: @unchecked Sendable {
    let configuration: HamletConfiguration
    let siteStore: String
    private let lock = NIOLock()
    // Guarded by `lock`: caches by store path, most recently used last.
    private var caches: [String: ModelCache] = [:]
    private var recent: [String] = []

    let metrics: ServerMetrics
    let log: RequestLog

    init(configuration: HamletConfiguration, siteStore: String, metrics: ServerMetrics, log: RequestLog) {
        self.configuration = configuration
        self.siteStore = siteStore
        self.metrics = metrics
        self.log = log
    }

    /// The store a user's own messages are learned into: their store, or the site store without per-user stores.
    func learningStore(for user: String?) -> String {
        guard configuration.userStoreTemplate != nil, let user else { return siteStore }
        return configuration.userStore(for: user, site: siteStore) ?? siteStore
    }

    /// Scores with the user's model when their store is mature enough, else with the site's.
    func score(_ tokens: TokenBag, user: String?) throws -> SingleMessageScore {
        let own = learningStore(for: user)
        if own != siteStore, let score = try? cache(for: own).score(tokens),
            score.spamExamples >= StoreVerdicts.minimumExamplesPerLabel,
            score.hamExamples >= StoreVerdicts.minimumExamplesPerLabel
        {
            return score
        }
        return try cache(for: siteStore).score(tokens)
    }

    private func cache(for path: String) -> ModelCache {
        lock.withLock {
            if let cache = caches[path] {
                recent.removeAll { $0 == path }
                recent.append(path)
                return cache
            }
            let metrics = self.metrics, log = self.log, isSite = path == siteStore
            let cache = ModelCache(
                configuration: configuration, storePath: path,
                onLoad: { id, updatedAt in
                    if isSite { metrics.siteModelLoaded(id: id, updatedAt: updatedAt) }
                }, onFailure: { log.line($0) })
            caches[path] = cache
            recent.append(path)
            while recent.count > max(1, configuration.modelsInMemory) {
                caches[recent.removeFirst()] = nil
            }
            return cache
        }
    }
}
