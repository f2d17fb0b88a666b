import Learning
import NIOCore
import PostgresNIO
import SpamStore

/// The owner's trained examples: label, dates, token counts (`FeatureBlob`, as the SQLite store keeps them), the
/// kept message and the recorded log-odds.
extension PostgresStore {
    public func putExample(
        digest: String, messageID: String?, isSpam: Bool, source: String?, extractor: String,
        counts: [(Int32, Int)], deltas: inout DocumentCountDeltas, raw: [UInt8]? = nil, learnedAt: Int64? = nil
    ) throws -> ExampleChange {
        let when = learnedAt ?? Self.now()
        var kept: ByteBuffer? = nil
        if let raw {
            guard let compressed = Compression.compress(raw) else {
                throw StoreError.cannotKeepMessage(path: location)
            }
            kept = ByteBuffer(bytes: compressed)
        }
        let features = ByteBuffer(bytes: FeatureBlob.encode(counts))
        // One round trip for a new example, the common case; a digest already stored is looked at after.
        let inserted = try session.query(
            """
            INSERT INTO hamlet_examples (owner, digest, message_id, is_spam, source, learned_at, extractor, features, raw)
            VALUES (\(owner), \(digest), \(messageID), \(isSpam), \(source), \(when), \(extractor), \(features), \(kept))
            ON CONFLICT (owner, digest) DO NOTHING RETURNING 1
            """)
        if !inserted.isEmpty {
            countExampleChanges()
            deltas.add(counts, spam: isSpam ? 1 : 0, ham: isSpam ? 0 : 1)
            return .added
        }
        let existing = try session.query(
            "SELECT is_spam FROM hamlet_examples WHERE owner = \(owner) AND digest = \(digest)")
        guard let row = existing.first else {
            throw StoreError.server(location: location, message: "an example was neither added nor found", code: "?")
        }
        if try row.decode(Bool.self) == isSpam { return .unchanged }
        try session.query(
            """
            UPDATE hamlet_examples SET is_spam = \(isSpam), learned_at = \(when), source = coalesce(\(source), source)
            WHERE owner = \(owner) AND digest = \(digest)
            """)
        countExampleChanges()
        let stored = try example(digest: digest)?.counts ?? counts
        deltas.add(stored, spam: isSpam ? 1 : -1, ham: isSpam ? -1 : 1)
        return .relabeled
    }

    /// The new examples in one statement; those already stored (a relabel, or nothing to do) one by one after.
    public func putExamples(_ examples: [NewExample], deltas: inout DocumentCountDeltas) throws -> [ExampleChange] {
        guard examples.count > 1 else { return try examples.map { try put($0, deltas: &deltas) } }
        let now = Self.now()
        var features: [ByteBuffer] = [], kept: [ByteBuffer] = []
        for example in examples {
            features.append(ByteBuffer(bytes: FeatureBlob.encode(example.counts)))
            guard let raw = example.raw else {
                kept.append(ByteBuffer())
                continue
            }
            guard let compressed = Compression.compress(raw) else { throw StoreError.cannotKeepMessage(path: location) }
            kept.append(ByteBuffer(bytes: compressed))
        }
        // Arrays cannot hold a missing value here: an empty string or bytea stands for none (neither is valid).
        let digests = examples.map(\.digest), messageIDs = examples.map { $0.messageID ?? "" }
        let labels = examples.map(\.isSpam), sources = examples.map { $0.source ?? "" }
        let extractors = examples.map(\.extractor), times = examples.map { $0.learnedAt ?? now }
        let inserted = Set(
            try session.query(
                """
                INSERT INTO hamlet_examples
                    (owner, digest, message_id, is_spam, source, learned_at, extractor, features, raw)
                SELECT \(owner), d, nullif(m, ''), s, nullif(src, ''), t, x, f, nullif(r, ''::bytea)
                FROM unnest(\(digests)::text[], \(messageIDs)::text[], \(labels)::boolean[], \(sources)::text[],
                    \(times)::bigint[], \(extractors)::text[], \(features)::bytea[], \(kept)::bytea[])
                    AS e(d, m, s, src, t, x, f, r)
                ON CONFLICT (owner, digest) DO NOTHING RETURNING digest
                """
            ).map { try $0.decode(String.self) })
        var changes: [ExampleChange] = []
        var done = Set<String>()
        for example in examples {
            // A digest twice in one batch is inserted once; the second is then an example already stored.
            if inserted.contains(example.digest), done.insert(example.digest).inserted {
                countExampleChanges()
                deltas.add(example.counts, spam: example.isSpam ? 1 : 0, ham: example.isSpam ? 0 : 1)
                changes.append(.added)
            } else {
                changes.append(try put(example, deltas: &deltas))
            }
        }
        return changes
    }

    private func put(_ example: NewExample, deltas: inout DocumentCountDeltas) throws -> ExampleChange {
        try putExample(
            digest: example.digest, messageID: example.messageID, isSpam: example.isSpam, source: example.source,
            extractor: example.extractor, counts: example.counts, deltas: &deltas, raw: example.raw,
            learnedAt: example.learnedAt)
    }

    public func setLabel(digest: String, isSpam: Bool, deltas: inout DocumentCountDeltas) throws -> (
        ExampleChange, StoredExample
    )? {
        guard let stored = try example(digest: digest) else { return nil }
        if stored.isSpam == isSpam { return (.unchanged, stored) }
        let now = Self.now()
        try session.query(
            """
            UPDATE hamlet_examples SET is_spam = \(isSpam), learned_at = \(now)
            WHERE owner = \(owner) AND digest = \(digest)
            """)
        countExampleChanges()
        deltas.add(stored.counts, spam: isSpam ? 1 : -1, ham: isSpam ? -1 : 1)
        var moved = stored
        moved.isSpam = isSpam
        return (.relabeled, moved)
    }

    public func deleteExample(digest: String, deltas: inout DocumentCountDeltas) throws -> StoredExample? {
        guard let stored = try example(digest: digest) else { return nil }
        try session.query("DELETE FROM hamlet_examples WHERE owner = \(owner) AND digest = \(digest)")
        countExampleChanges()
        deltas.add(stored.counts, spam: stored.isSpam ? -1 : 0, ham: stored.isSpam ? 0 : -1)
        return stored
    }

    public func digests(messageID: String) throws -> [String] {
        try session.query(
            "SELECT digest FROM hamlet_examples WHERE owner = \(owner) AND message_id = \(messageID) ORDER BY digest"
        ).map { try $0.decode(String.self) }
    }

    public func example(digest: String) throws -> StoredExample? {
        guard
            let row = try session.query(
                "SELECT is_spam, features FROM hamlet_examples WHERE owner = \(owner) AND digest = \(digest)"
            ).first
        else { return nil }
        let (isSpam, features) = try row.decode((Bool, ByteBuffer).self)
        return StoredExample(digest: digest, isSpam: isSpam, counts: FeatureBlob.decode(Self.bytes(features)))
    }

    public func allExamples(extractor: String) throws -> [StoredExample] {
        if let other = try session.query(
            "SELECT extractor FROM hamlet_examples WHERE owner = \(owner) AND extractor <> \(extractor) LIMIT 1"
        ).first {
            throw StoreError.mixedFeatureSpaces(stored: try other.decode(String.self), current: extractor)
        }
        return try session.query(
            "SELECT digest, is_spam, features FROM hamlet_examples WHERE owner = \(owner) ORDER BY digest"
        ).map { row in
            let (digest, isSpam, features) = try row.decode((String, Bool, ByteBuffer).self)
            return StoredExample(digest: digest, isSpam: isSpam, counts: FeatureBlob.decode(Self.bytes(features)))
        }
    }

    public func exampleCounts(upTo limits: ExampleCounts) throws -> ExampleCounts {
        let spam = Int64(limits.spam), ham = Int64(limits.ham)
        let row = try session.query(
            """
            SELECT (SELECT count(*) FROM (SELECT 1 FROM hamlet_examples WHERE owner = \(owner) AND is_spam LIMIT \(spam)) s),
                   (SELECT count(*) FROM (SELECT 1 FROM hamlet_examples WHERE owner = \(owner) AND NOT is_spam LIMIT \(ham)) h)
            """
        ).first
        guard let row else { return (0, 0) }
        let (spamCount, hamCount) = try row.decode((Int64, Int64).self)
        return (Int(spamCount), Int(hamCount))
    }

    public func exampleCounts() throws -> ExampleCounts {
        let row = try session.query(
            """
            SELECT count(*) FILTER (WHERE is_spam), count(*) FILTER (WHERE NOT is_spam)
            FROM hamlet_examples WHERE owner = \(owner)
            """
        ).first
        guard let row else { return (0, 0) }
        let (spam, ham) = try row.decode((Int64, Int64).self)
        return (Int(spam), Int(ham))
    }

    public func setFitLogits(_ logits: [(digest: String, logit: Double)]) throws {
        guard !logits.isEmpty else { return }
        let digests = logits.map(\.digest), values = logits.map(\.logit)
        try session.query(
            """
            UPDATE hamlet_examples e SET fit_logit = d.logit
            FROM unnest(\(digests)::text[], \(values)::double precision[]) AS d(digest, logit)
            WHERE e.owner = \(owner) AND e.digest = d.digest
            """)
    }

    public func fitLogit(digest: String) throws -> Double? {
        try session.query(
            "SELECT fit_logit FROM hamlet_examples WHERE owner = \(owner) AND digest = \(digest)"
        ).first?.decode(Double?.self)
    }

    public func fitLogits() throws -> [String: Double] {
        var logits: [String: Double] = [:]
        for row in try session.query(
            "SELECT digest, fit_logit FROM hamlet_examples WHERE owner = \(owner) AND fit_logit IS NOT NULL")
        {
            let (digest, logit) = try row.decode((String, Double).self)
            logits[digest] = logit
        }
        return logits
    }

    public func oldestExampleLearnedAt() throws -> Int64? {
        try session.query("SELECT min(learned_at) FROM hamlet_examples WHERE owner = \(owner)").first?
            .decode(Int64?.self)
    }

    public func digestsToExpire(learnedBefore cutoff: Int64?, keepingNewest newest: Int?) throws -> [String] {
        let before = cutoff ?? Int64.min
        let keep = newest.map(Int64.init)
        return try session.query(
            """
            SELECT digest FROM hamlet_examples e WHERE owner = \(owner) AND (learned_at < \(before)
                OR (\(keep)::bigint IS NOT NULL AND digest NOT IN (
                    SELECT digest FROM hamlet_examples WHERE owner = \(owner)
                    ORDER BY learned_at DESC, digest DESC LIMIT \(keep))))
            ORDER BY learned_at, digest
            """
        ).map { try $0.decode(String.self) }
    }

    public func examplesLearned(since times: [Int64]) throws -> [Int] {
        try times.map { time in
            Int(
                try session.query(
                    "SELECT count(*) FROM hamlet_examples WHERE owner = \(owner) AND learned_at >= \(time)"
                ).first?.decode(Int64.self) ?? 0)
        }
    }
}

extension PostgresStore {
    /// About `count` distinct examples drawn at random (seeded): each draw is the first digest at or after a
    /// random one, uniform because digests are SHA-256 values (as the SQLite store draws).
    public func sampleExamples(count: Int, seed: UInt64, excluding: Set<String>) throws -> [StoredExample] {
        var random = SeededRandom(seed: seed)
        var chosen = Set<String>()
        var result: [StoredExample] = []
        for _ in 0..<(count * 2) where result.count < count {
            let hex = String(random.next(), radix: 16)
            let start = String(repeating: "0", count: 16 - hex.count) + hex
            let row =
                try session.query(
                    """
                    SELECT digest, is_spam, features, fit_logit FROM hamlet_examples
                    WHERE owner = \(owner) AND digest >= \(start) ORDER BY digest LIMIT 1
                    """
                ).first
                ?? session.query(
                    """
                    SELECT digest, is_spam, features, fit_logit FROM hamlet_examples
                    WHERE owner = \(owner) ORDER BY digest LIMIT 1
                    """
                ).first
            guard let row else { break }
            let (digest, isSpam, features, logit) = try row.decode((String, Bool, ByteBuffer, Double?).self)
            if excluding.contains(digest) || !chosen.insert(digest).inserted { continue }
            result.append(
                StoredExample(
                    digest: digest, isSpam: isSpam, counts: FeatureBlob.decode(Self.bytes(features)), fitLogit: logit))
        }
        return result
    }

    public func examplesNotExtracted(by extractor: String) throws -> (total: Int, withRaw: Int) {
        guard
            let row = try session.query(
                "SELECT count(*), count(raw) FROM hamlet_examples WHERE owner = \(owner) AND extractor <> \(extractor)"
            ).first
        else { return (0, 0) }
        let (total, withRaw) = try row.decode((Int64, Int64).self)
        return (Int(total), Int(withRaw))
    }

    public func forEachRawExample(notExtractedBy extractor: String, _ body: (String, [UInt8]) throws -> Void) throws {
        let rows = try session.query(
            """
            SELECT digest, raw FROM hamlet_examples
            WHERE owner = \(owner) AND raw IS NOT NULL AND extractor <> \(extractor)
            """)
        for row in rows {
            let (digest, compressed) = try row.decode((String, ByteBuffer).self)
            guard let raw = Compression.decompress(Self.bytes(compressed)) else {
                throw StoreError.notAStore(path: location, reason: "the kept message of sha256:\(digest) is damaged")
            }
            try body(digest, raw)
        }
    }

    public func replaceFeatures(
        digest: String, extractor: String, counts: [(Int32, Int)], deltas: inout DocumentCountDeltas
    ) throws {
        guard let old = try example(digest: digest) else { return }
        deltas.add(old.counts, spam: old.isSpam ? -1 : 0, ham: old.isSpam ? 0 : -1)
        deltas.add(counts, spam: old.isSpam ? 1 : 0, ham: old.isSpam ? 0 : 1)
        let features = ByteBuffer(bytes: FeatureBlob.encode(counts))
        try session.query(
            """
            UPDATE hamlet_examples SET extractor = \(extractor), features = \(features)
            WHERE owner = \(owner) AND digest = \(digest)
            """)
        countExampleChanges()
    }
}
