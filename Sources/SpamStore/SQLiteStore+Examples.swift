import CSQLite
import Learning

import Platform

/// Trained examples: digest, label, extractor and token counts (and, when kept, the message).
extension SQLiteStore {
    /// Stores an example (call inside `write`). The same digest is never counted twice: with the same label it
    /// is unchanged, with the other label it moves there. Document-count changes go to `deltas`; apply them with
    /// `applyDocumentCounts` before the transaction ends.
    public func putExample(
        digest: String, messageID: String?, isSpam: Bool, source: String?, extractor: String,
        counts: [(Int32, Int)], deltas: inout DocumentCountDeltas, raw: [UInt8]? = nil, learnedAt: Int64? = nil
    ) throws -> ExampleChange {
        let existing = try database.prepare("SELECT is_spam FROM examples WHERE digest = ?")
        existing.bind(1, digest)
        if try existing.step() {
            let wasSpam = existing.int(0) != 0
            existing.reset()
            if wasSpam == isSpam { return .unchanged }
            try database.prepare(
                "UPDATE examples SET is_spam = ?, learned_at = ?, source = coalesce(?, source) WHERE digest = ?"
            )
            .bind(1, isSpam ? 1 : 0).bind(2, learnedAt ?? Self.now()).bind(3, source).bind(4, digest).run()
            try countExampleChanges()
            let stored = try example(digest: digest)?.counts ?? counts
            deltas.add(stored, spam: isSpam ? 1 : -1, ham: isSpam ? -1 : 1)
            return .relabeled
        }
        let insert = try database.prepare(
            """
            INSERT INTO examples(digest, message_id, is_spam, source, learned_at, extractor, features, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insert.bind(1, digest).bind(2, messageID).bind(3, isSpam ? 1 : 0).bind(4, source)
            .bind(5, learnedAt ?? Self.now())
            .bind(6, extractor).bind(7, blob: FeatureBlob.encode(counts))
        if let raw {
            guard let kept = Compression.compress(raw) else { throw StoreError.cannotKeepMessage(path: path) }
            insert.bind(8, blob: kept)
        }
        try insert.run()
        try countExampleChanges()
        deltas.add(counts, spam: isSpam ? 1 : 0, ham: isSpam ? 0 : 1)
        return .added
    }

    /// Gives a stored example the other label (call inside `write`); nil if the digest is not stored.
    public func setLabel(digest: String, isSpam: Bool, deltas: inout DocumentCountDeltas) throws -> (
        ExampleChange, StoredExample
    )? {
        guard let stored = try example(digest: digest) else { return nil }
        if stored.isSpam == isSpam { return (.unchanged, stored) }
        try database.prepare("UPDATE examples SET is_spam = ?, learned_at = ? WHERE digest = ?")
            .bind(1, isSpam ? 1 : 0).bind(2, Self.now()).bind(3, digest).run()
        try countExampleChanges()
        deltas.add(stored.counts, spam: isSpam ? 1 : -1, ham: isSpam ? -1 : 1)
        var moved = stored
        moved.isSpam = isSpam
        return (.relabeled, moved)
    }

    /// Deletes a stored example (call inside `write`); returns what it was, nil if the digest is not stored.
    public func deleteExample(digest: String, deltas: inout DocumentCountDeltas) throws -> StoredExample? {
        guard let stored = try example(digest: digest) else { return nil }
        try database.prepare("DELETE FROM examples WHERE digest = ?").bind(1, digest).run()
        try countExampleChanges()
        deltas.add(stored.counts, spam: stored.isSpam ? -1 : 0, ham: stored.isSpam ? 0 : -1)
        return stored
    }

    /// The digests of stored examples with this Message-ID.
    public func digests(messageID: String) throws -> [String] {
        let statement = try database.prepare("SELECT digest FROM examples WHERE message_id = ? ORDER BY digest")
        statement.bind(1, messageID)
        var result: [String] = []
        while try statement.step() { if let digest = statement.string(0) { result.append(digest) } }
        return result
    }

    /// How many stored examples were extracted by another extractor, and how many of those kept their raw message.
    public func examplesNotExtracted(by extractor: String) throws -> (total: Int, withRaw: Int) {
        let statement = try database.prepare("SELECT count(*), count(raw) FROM examples WHERE extractor <> ?")
        statement.bind(1, extractor)
        _ = try statement.step()
        let result = (Int(statement.int(0)), Int(statement.int(1)))
        statement.reset()
        return result
    }

    /// Calls `body` with the digest and raw message of every example that kept one and was extracted by another
    /// extractor than `extractor`, one at a time.
    public func forEachRawExample(notExtractedBy extractor: String, _ body: (String, [UInt8]) throws -> Void) throws {
        let statement = try database.prepare(
            "SELECT digest, raw FROM examples WHERE raw IS NOT NULL AND extractor <> ?")
        statement.bind(1, extractor)
        var pending: [(String, [UInt8])] = []
        while try statement.step() { pending.append((statement.string(0) ?? "", statement.blob(1))) }
        for (digest, compressed) in pending {
            guard let raw = Compression.decompress(compressed) else {
                throw StoreError.notAStore(path: path, reason: "the kept message of sha256:\(digest) is damaged")
            }
            try body(digest, raw)
        }
    }

    /// Replaces an example's features with ones from another extractor (call inside `write`).
    public func replaceFeatures(
        digest: String, extractor: String, counts: [(Int32, Int)], deltas: inout DocumentCountDeltas
    ) throws {
        guard let old = try example(digest: digest) else { return }
        deltas.add(old.counts, spam: old.isSpam ? -1 : 0, ham: old.isSpam ? 0 : -1)
        deltas.add(counts, spam: old.isSpam ? 1 : 0, ham: old.isSpam ? 0 : 1)
        try database.prepare("UPDATE examples SET extractor = ?, features = ? WHERE digest = ?")
            .bind(1, extractor).bind(2, blob: FeatureBlob.encode(counts)).bind(3, digest).run()
        try countExampleChanges()
    }

    public func example(digest: String) throws -> StoredExample? {
        let statement = try database.prepare("SELECT is_spam, features FROM examples WHERE digest = ?")
        statement.bind(1, digest)
        guard try statement.step() else { return nil }
        let example = StoredExample(
            digest: digest, isSpam: statement.int(0) != 0, counts: FeatureBlob.decode(statement.blob(1)))
        statement.reset()
        return example
    }

    /// Every stored example, sorted by digest. Throws if any was extracted by another feature extractor.
    public func allExamples(extractor: String) throws -> [StoredExample] {
        let other = try database.prepare("SELECT extractor FROM examples WHERE extractor <> ? LIMIT 1")
        other.bind(1, extractor)
        if try other.step() {
            let stored = other.string(0) ?? "?"
            other.reset()
            throw StoreError.mixedFeatureSpaces(stored: stored, current: extractor)
        }
        let statement = try database.prepare("SELECT digest, is_spam, features FROM examples ORDER BY digest")
        var result: [StoredExample] = []
        while try statement.step() {
            result.append(
                StoredExample(
                    digest: statement.string(0) ?? "", isSpam: statement.int(1) != 0,
                    counts: FeatureBlob.decode(statement.blob(2))))
        }
        return result
    }

    /// Records each example's log-odds under a model just fitted over it (call inside `write`).
    public func setFitLogits(_ logits: [(digest: String, logit: Double)]) throws {
        let statement = try database.prepare("UPDATE examples SET fit_logit = ? WHERE digest = ?")
        for (digest, logit) in logits {
            statement.reset()
            try statement.bind(1, logit).bind(2, digest).run()
        }
    }

    /// An example's log-odds under the model last fitted over it; nil if none was recorded.
    public func fitLogit(digest: String) throws -> Double? {
        let statement = try database.prepare(
            "SELECT fit_logit FROM examples WHERE digest = ? AND fit_logit IS NOT NULL")
        statement.bind(1, digest)
        guard try statement.step() else { return nil }
        let value = statement.double(0)
        statement.reset()
        return value
    }

    public func fitLogits() throws -> [String: Double] {
        let statement = try database.prepare("SELECT digest, fit_logit FROM examples WHERE fit_logit IS NOT NULL")
        var logits: [String: Double] = [:]
        while try statement.step() { logits[statement.string(0) ?? ""] = statement.double(1) }
        statement.reset()
        return logits
    }

    /// About `count` distinct stored examples chosen at random (seeded) without reading the others: each draw
    /// looks up the first digest at or after a random one, which is uniform because digests are SHA-256 values.
    public func sampleExamples(count: Int, seed: UInt64, excluding: Set<String>) throws -> [StoredExample] {
        let statement = try database.prepare(
            "SELECT digest, is_spam, features, fit_logit FROM examples WHERE digest >= ? ORDER BY digest LIMIT 1")
        let first = try database.prepare(
            "SELECT digest, is_spam, features, fit_logit FROM examples ORDER BY digest LIMIT 1")
        var random = SeededRandom(seed: seed)
        var chosen = Set<String>()
        var result: [StoredExample] = []
        for _ in 0..<(count * 2) where result.count < count {
            let hex = String(random.next(), radix: 16)
            let start = String(repeating: "0", count: 16 - hex.count) + hex
            statement.reset()
            statement.bind(1, start)
            let row: Statement
            if try statement.step() {
                row = statement
            } else {
                first.reset()
                guard try first.step() else { break }
                row = first
            }
            let digest = row.string(0) ?? ""
            if excluding.contains(digest) || !chosen.insert(digest).inserted { continue }
            result.append(
                StoredExample(
                    digest: digest, isSpam: row.int(1) != 0, counts: FeatureBlob.decode(row.blob(2)),
                    fitLogit: row.isNull(3) ? nil : row.double(3)))
        }
        statement.reset()
        first.reset()
        return result
    }

    /// Examples of each label, counted only up to `limits` (the delivery path asks whether there are enough, and
    /// counting every entry of a large store's label index would cost more than scoring the message).
    public func exampleCounts(upTo limits: ExampleCounts) throws -> ExampleCounts {
        let statement = try database.prepare("SELECT count(*) FROM (SELECT 1 FROM examples WHERE is_spam = ? LIMIT ?)")
        var counts: [Int] = []
        for (label, limit) in [(1, limits.spam), (0, limits.ham)] {
            statement.reset()
            statement.bind(1, label).bind(2, limit)
            _ = try statement.step()
            counts.append(Int(statement.int(0)))
        }
        statement.reset()
        return (counts[0], counts[1])
    }

    public func exampleCounts() throws -> ExampleCounts {
        // Two counts over the label index, never a scan of the examples (the delivery path asks for these).
        let statement = try database.prepare("SELECT count(*) FROM examples WHERE is_spam = ?")
        statement.bind(1, 1)
        _ = try statement.step()
        let spam = Int(statement.int(0))
        statement.reset()
        statement.bind(1, 0)
        _ = try statement.step()
        let ham = Int(statement.int(0))
        statement.reset()
        return (spam, ham)
    }
}
