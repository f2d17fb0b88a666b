import NIOCore
import PostgresNIO
import SpamStore

/// Upkeep and the text export for one owner's share: the checks `db check` runs, pruning, the export, and what
/// a shared server makes different (vacuuming is the server's own autovacuum's job; the size is the tables').
extension PostgresStore {
    /// A process that only scored leaves nothing to tidy on a server.
    public func skipMaintenanceOnClose() {}

    /// Examples or models of another extractor, document counts that disagree with the examples, examples naming
    /// unknown tokens, rows that belong to no model. Empty when all is well.
    public func check(extractor: String) throws -> [String] {
        try read {
            var problems: [String] = []
            for row in try session.query(
                """
                SELECT extractor, count(*) FROM hamlet_examples WHERE owner = \(owner) AND extractor <> \(extractor)
                GROUP BY extractor
                """)
            {
                let (other, count) = try row.decode((String, Int64).self)
                problems.append("\(count) examples were extracted by \(other), not \(extractor)")
            }
            if let model = try currentModel(), model.extractor != extractor {
                problems.append("the current model was trained on \(model.extractor) features, not \(extractor)")
            }
            var recount = DocumentRecount()
            for row in try session.query(
                "SELECT is_spam, features FROM hamlet_examples WHERE owner = \(owner)")
            {
                let (isSpam, features) = try row.decode((Bool, ByteBuffer).self)
                recount.addExample(isSpam: isSpam, counts: FeatureBlob.decode(Self.bytes(features)))
            }
            for row in try session.query(
                "SELECT id, spam_count, ham_count FROM hamlet_tokens WHERE owner = \(owner)")
            {
                let (id, spam, ham) = try row.decode((Int32, Int32, Int32).self)
                recount.compare(id: id, storedSpam: Int(spam), storedHam: Int(ham))
            }
            problems += recount.problems
            let orphans =
                try session.query(
                    """
                    SELECT count(*) FROM hamlet_weights w WHERE owner = \(owner)
                    AND NOT EXISTS (SELECT 1 FROM hamlet_models m WHERE m.owner = w.owner AND m.id = w.model_id)
                    """
                ).first?.decode(Int64.self) ?? 0
            if orphans > 0 { problems.append("\(orphans) weights belong to no model") }
            // A look-up by key for each row, whatever the planner believes: a share written a moment ago is one
            // its statistics do not know yet, and as an anti-join this was planned as a quadratic nested loop.
            let misnamed =
                try session.query(
                    """
                    SELECT count(*) FROM hamlet_weights w WHERE owner = \(owner) AND token IS NOT NULL
                    AND token IS DISTINCT FROM (SELECT t.token FROM hamlet_tokens t
                                                WHERE t.owner = w.owner AND t.id = w.token_id)
                    """
                ).first?.decode(Int64.self) ?? 0
            if misnamed > 0 {
                problems.append("\(misnamed) weights name a token the vocabulary does not hold under their id")
            }
            return problems
        }
    }

    /// The server's autovacuum gives space back; an explicit VACUUM would hold every owner's tables at once.
    @discardableResult
    public func vacuum() throws -> Bool { false }

    public func prune(minimumDocuments: Int, unseenForDays: Int?, keepModels: Int) throws -> Int {
        try write {
            let minimum = Int32(clamping: minimumDocuments)
            let seenSince = Self.today() - Int32(clamping: unseenForDays ?? 0)
            let checkSeen = unseenForDays != nil
            let doomed = Set(
                try session.query(
                    """
                    SELECT id FROM hamlet_tokens WHERE owner = \(owner) AND spam_count + ham_count < \(minimum)
                    AND (NOT \(checkSeen) OR last_seen < \(seenSince))
                    """
                ).map { try $0.decode(Int32.self) })
            if !doomed.isEmpty {
                var digests: [String] = []
                var blobs: [ByteBuffer] = []
                for row in try session.query(
                    "SELECT digest, features FROM hamlet_examples WHERE owner = \(owner)")
                {
                    let (digest, features) = try row.decode((String, ByteBuffer).self)
                    let counts = FeatureBlob.decode(Self.bytes(features))
                    let kept = counts.filter { !doomed.contains($0.0) }
                    if kept.count != counts.count {
                        digests.append(digest)
                        blobs.append(ByteBuffer(bytes: FeatureBlob.encode(kept)))
                    }
                }
                try session.query(
                    """
                    UPDATE hamlet_examples AS e SET features = u.features
                    FROM unnest(\(digests)::text[], \(blobs)::bytea[]) AS u(digest, features)
                    WHERE e.owner = \(owner) AND e.digest = u.digest
                    """)
                let ids = doomed.sorted()
                try session.query("DELETE FROM hamlet_weights WHERE owner = \(owner) AND token_id = ANY(\(ids))")
                try session.query("DELETE FROM hamlet_tokens WHERE owner = \(owner) AND id = ANY(\(ids))")
                // The largest ids may be given again to new tokens: flags kept by id are computed afresh.
                try session.query(
                    "DELETE FROM hamlet_settings WHERE owner = \(owner) AND starts_with(key, \(TokenFlagCache.prefix))")
            }
            if let current = try currentModel() {
                let cutoff = current.id - Int64(max(1, keepModels))
                try session.query("DELETE FROM hamlet_weights WHERE owner = \(owner) AND model_id <= \(cutoff)")
                try session.query("DELETE FROM hamlet_models WHERE owner = \(owner) AND id <= \(cutoff)")
            }
            return doomed.count
        }
    }

    public func export(_ line: (String) throws -> Void) throws {
        try read {
            try line(ExportFormat.header)
            for row in try session.query(
                "SELECT key, value FROM hamlet_settings WHERE owner = \(owner) ORDER BY key")
            {
                let (key, value) = try row.decode((String, String).self)
                if ExportFormat.isExported(setting: key) { try line(ExportFormat.settingLine(key: key, value: value)) }
            }
            var names: [Int32: String] = [:]
            for row in try session.query("SELECT id, token FROM hamlet_tokens WHERE owner = \(owner)") {
                let (id, token) = try row.decode((Int32, String).self)
                names[id] = token
            }
            for row in try session.query(
                """
                SELECT digest, is_spam, extractor, learned_at, coalesce(message_id, ''), coalesce(source, ''), features
                FROM hamlet_examples WHERE owner = \(owner) ORDER BY digest
                """)
            {
                let (digest, isSpam, extractor, learnedAt, messageID, source, features) = try row.decode(
                    (String, Bool, String, Int64, String, String, ByteBuffer).self)
                try line(
                    ExportFormat.exampleLine(
                        digest: digest, isSpam: isSpam, extractor: extractor, learnedAt: learnedAt,
                        messageID: messageID, source: source, counts: FeatureBlob.decode(Self.bytes(features)),
                        names: names))
            }
        }
    }

    /// The bytes of Hamlet's tables on the server, every owner's together.
    public func sizeInBytes() throws -> Int {
        Int(
            try session.query(
                """
                SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
                WHERE c.relname IN ('hamlet_settings', 'hamlet_tokens', 'hamlet_examples', 'hamlet_models',
                                    'hamlet_weights', 'hamlet_schema')
                """
            ).first?.decode(Int64.self) ?? 0)
    }
}

extension PostgresStore: HamletStore {}
