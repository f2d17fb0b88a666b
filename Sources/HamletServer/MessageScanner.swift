import HamletKit
import MailParser

/// What every protocol the daemon speaks asks of it: score a message as `hamlet filter` would (with the model of
/// the user's store, or the site's), and learn or forget a message as `hamlet train` and `hamlet forget` would.
public struct MessageScanner: Sendable {
    public let configuration: HamletConfiguration
    /// The site store, which scores every user without a mature store of their own.
    public let storePath: String
    let stores: StoreRouter
    public let metrics: ServerMetrics

    public init(configuration: HamletConfiguration, storePath: String, metrics: ServerMetrics = ServerMetrics()) {
        self.configuration = configuration
        self.storePath = storePath
        self.metrics = metrics
        stores = StoreRouter(configuration: configuration, siteStore: storePath)
    }

    /// The filter's outcome for `message`: its output is what `hamlet filter` writes with the same store.
    public func scan(_ message: [UInt8], user: String?) -> FilterOutcome {
        let start = monotonicSeconds()
        let stores = self.stores
        let outcome = DeliveryFilter(configuration: configuration, storePath: storePath).run(message) {
            try stores.score($0, user: user)
        }
        if let result = outcome.classification {
            metrics.scored(verdict: result.verdict.rawValue, seconds: monotonicSeconds() - start)
        } else {
            metrics.failed()
        }
        return outcome
    }

    /// Forgets the message (`forget`), then teaches it with a label (`asSpam`), in the user's own store; says which
    /// happened (a message that was not stored is not removed).
    public func learn(_ message: [UInt8], user: String?, asSpam: Bool?, forget: Bool) throws -> (
        set: Bool, removed: Bool
    ) {
        let store = try configuration.openStore(at: stores.learningStore(for: user), create: true)
        var trainer = Trainer(store: store, options: configuration.modelOptions, jobs: 1)
        trainer.keepRaw = configuration.keepRaw
        let sourced = SourcedMessage(id: "daemon", bytes: message)
        var removed = false
        if forget {
            do {
                _ = try trainer.forget(messages: [sourced])
                removed = true
            } catch HamletError.unknownMessage {
                // Not stored: nothing to remove.
            }
        }
        if let asSpam { _ = try trainer.train(messages: [sourced], asSpam: asSpam) }
        return (asSpam != nil, removed)
    }
}
