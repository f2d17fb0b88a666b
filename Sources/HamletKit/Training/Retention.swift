import Platform
import SpamStore

/// How long a store keeps what it was taught (`store.keep_days`, `store.keep_examples`; 0 is no limit): a store
/// must not grow for ever, and mail from years ago says little about today's. The trainer expires examples (never
/// the delivery path) and refits, so that nothing of them stays in the model. Expiry runs in batches: once the
/// oldest example is a slack past the age limit, or the store a slack past the count limit, everything beyond the
/// limit goes at once, so that a steady stream of training refits now and then rather than on every run.
public struct Retention: Sendable, Equatable {
    /// Examples learned longer ago than this many days are expired; 0 keeps them.
    public var maximumAgeDays = 0
    /// At most this many examples are kept, the most recently learned; 0 keeps all.
    public var maximumExamples = 0

    public init(maximumAgeDays: Int = 0, maximumExamples: Int = 0) {
        self.maximumAgeDays = maximumAgeDays
        self.maximumExamples = maximumExamples
    }

    public var limitsGrowth: Bool { maximumAgeDays > 0 || maximumExamples > 0 }

    /// Past the age limit by this many days before a batch expires: a thirtieth of the limit, at least a day.
    var ageSlackDays: Int { max(1, maximumAgeDays / 30) }
    /// Past the count limit by this many examples before a batch expires: a hundredth of it, at least 10.
    var countSlack: Int { max(10, maximumExamples / 100) }

    /// The examples to expire now from `store` (call inside `write`), none when no batch is due.
    func due(in store: any HamletStore, now: Int64) throws -> [String] {
        guard limitsGrowth else { return [] }
        var cutoff: Int64? = nil
        if maximumAgeDays > 0, let oldest = try store.oldestExampleLearnedAt(),
            oldest < now - Int64(maximumAgeDays + ageSlackDays) * 86_400
        {
            cutoff = now - Int64(maximumAgeDays) * 86_400
        }
        var newest: Int? = nil
        if maximumExamples > 0 {
            let counts = try store.exampleCounts()
            if counts.spam + counts.ham > maximumExamples + countSlack { newest = maximumExamples }
        }
        guard cutoff != nil || newest != nil else { return [] }
        return try store.digestsToExpire(learnedBefore: cutoff, keepingNewest: newest)
    }

    /// How `hamlet stats`, `train` and `retrain` describe the limits.
    public var summary: String {
        var parts: [String] = []
        if maximumAgeDays > 0 { parts.append("examples learned more than \(maximumAgeDays) days ago expire") }
        if maximumExamples > 0 { parts.append("at most \(maximumExamples) examples, the newest, are kept") }
        return parts.isEmpty
            ? "none: the store keeps every example (store.keep_days, store.keep_examples)"
            : parts.joined(separator: "; ")
    }
}

extension Trainer {
    /// Expires what `retention` says is due, keeping the document counts in step (one write transaction);
    /// returns how many examples went. The caller refits.
    public func expire(now: Int64 = Int64(time(nil))) throws -> Int {
        guard retention.limitsGrowth else { return 0 }
        return try store.write {
            let digests = try retention.due(in: store, now: now)
            var deltas = DocumentCountDeltas()
            for digest in digests { _ = try store.deleteExample(digest: digest, deltas: &deltas) }
            try store.applyDocumentCounts(deltas)
            return digests.count
        }
    }
}
