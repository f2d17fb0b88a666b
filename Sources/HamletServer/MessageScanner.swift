import HamletKit
import MailParser
import SpamStore

/// What every protocol the daemon speaks asks of it: score a message as `hamlet filter` would (with the model of
/// the user's store, or the site's), and learn or forget a message as `hamlet train` and `hamlet forget` would.
public struct MessageScanner: Sendable {
    public let configuration: HamletConfiguration
    /// The site store, which scores every user without a mature store of their own.
    public let storePath: String
    let stores: StoreRouter
    public let metrics: ServerMetrics
    /// Whether clients may teach (spamd's TELL, rspamd's /learnspam and /learnham), as spamd's `--allow-tell`:
    /// off by default, since any client that can connect could otherwise train the store.
    public let allowsLearning: Bool
    /// Where each request's line goes.
    public let log: RequestLog

    public init(
        configuration: HamletConfiguration, storePath: String, allowsLearning: Bool = false,
        metrics: ServerMetrics = ServerMetrics(), log: RequestLog = .none
    ) {
        self.configuration = configuration
        self.storePath = storePath
        self.allowsLearning = allowsLearning
        self.metrics = metrics
        self.log = log
        stores = StoreRouter(configuration: configuration, siteStore: storePath, metrics: metrics, log: log)
    }

    /// Whether every store this scanner reads is a file on this machine, quick to ask; else (a store on a server)
    /// scoring may wait for the network and is kept off the event loop.
    public var storesAreLocal: Bool {
        !StoreOpener.isURL(storePath) && !(configuration.userStoreTemplate.map(StoreOpener.isURL) ?? false)
    }

    /// The filter's outcome for `message`: its output is what `hamlet filter` writes with the same store. `request`
    /// names the request in the log line written for it.
    public func scan(_ message: [UInt8], user: String?, request: String = "scan") -> FilterOutcome {
        let start = monotonicSeconds()
        let stores = self.stores
        let outcome = DeliveryFilter(configuration: configuration, storePath: storePath).run(message) {
            try stores.score($0, user: user)
        }
        let seconds = monotonicSeconds() - start
        let who = "\(request) user=\(user ?? "-") bytes=\(message.count)"
        if let result = outcome.classification {
            metrics.scored(verdict: result.verdict.rawValue, seconds: seconds)
            log.line(
                "\(who) \(result.verdict.rawValue) p=\(formatFixed(result.probability, decimals: 3))"
                    + "/\(formatFixed(result.spamThreshold, decimals: 3)) ms=\(formatFixed(seconds * 1000, decimals: 2))"
            )
        } else {
            metrics.failed()
            log.line("\(who) not scored: \(outcome.error.map { describe($0) } ?? "unknown")")
        }
        return outcome
    }

    /// Forgets the message (`forget`), then teaches it with a label (`asSpam`), in the user's own store; says which
    /// happened (a message that was not stored is not removed). Refused unless learning is allowed, and, with
    /// per-user stores, for a user name that cannot name a store (it must not fall through to the site's).
    public func learn(
        _ message: [UInt8], user: String?, asSpam: Bool?, forget: Bool, request: String = "learn"
    ) throws -> (set: Bool, removed: Bool) {
        let what = "\(request) user=\(user ?? "-") bytes=\(message.count) "
        do {
            let done = try applyLearning(message, user: user, asSpam: asSpam, forget: forget)
            let learned = asSpam.map { $0 ? "learned spam" : "learned ham" } ?? ""
            log.line(what + (done.removed ? "removed " : "") + learned)
            return done
        } catch {
            log.line(what + "refused: " + describe(error))
            throw error
        }
    }

    private func applyLearning(_ message: [UInt8], user: String?, asSpam: Bool?, forget: Bool) throws -> (
        set: Bool, removed: Bool
    ) {
        guard allowsLearning else {
            throw LearningRefused(reason: "learning is not enabled (hamlet-serve --allow-tell)")
        }
        if configuration.userStoreTemplate != nil, !(user.map(HamletConfiguration.isSafeUserName) ?? false) {
            throw LearningRefused(reason: "no store can be named for user \(user ?? "(none)")")
        }
        let store = try configuration.openStore(at: stores.learningStore(for: user), create: true)
        let trainer = configuration.trainer(for: store, jobs: 1)
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

/// Why the daemon would not learn a message.
public struct LearningRefused: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
