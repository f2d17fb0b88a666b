import Platform

/// Upkeep: consistency checks, giving free space back, pruning rare tokens.
extension SQLiteStore {
    /// Problems found: SQLite's own integrity check, examples from another feature extractor, document counts
    /// that disagree with the examples, examples naming unknown tokens, models from another extractor.
    /// Empty when all is well.
    public func check(extractor: String) throws -> [String] {
        try read {
            var problems: [String] = []
            let integrity = try database.prepare("PRAGMA integrity_check")
            while try integrity.step() {
                if let line = integrity.string(0), line != "ok" { problems.append("integrity: \(line)") }
            }
            let other = try database.prepare(
                "SELECT extractor, count(*) FROM examples WHERE extractor <> ? GROUP BY extractor")
            other.bind(1, extractor)
            while try other.step() {
                problems.append(
                    "\(other.int(1)) examples were extracted by \(other.string(0) ?? "?"), not \(extractor)")
            }
            if let model = try currentModel(), model.extractor != extractor {
                problems.append("the current model was trained on \(model.extractor) features, not \(extractor)")
            }
            var recount = DocumentRecount()
            let examples = try database.prepare("SELECT is_spam, features FROM examples")
            while try examples.step() {
                recount.addExample(isSpam: examples.int(0) != 0, counts: FeatureBlob.decode(examples.blob(1)))
            }
            let tokens = try database.prepare("SELECT id, spam_count, ham_count FROM tokens")
            while try tokens.step() {
                recount.compare(
                    id: Int32(truncatingIfNeeded: tokens.int(0)), storedSpam: Int(tokens.int(1)),
                    storedHam: Int(tokens.int(2)))
            }
            problems += recount.problems
            let orphans = try database.prepare(
                "SELECT count(*) FROM weights WHERE model_id NOT IN (SELECT id FROM models)")
            _ = try orphans.step()
            if orphans.int(0) > 0 { problems.append("\(orphans.int(0)) weights belong to no model") }
            orphans.reset()
            return problems
        }
    }

    /// Gives the store's free pages back to the file system. A store in incremental auto-vacuum mode (every store
    /// made since schema 5) is compacted in steps of a few hundred pages, each its own short write transaction, so
    /// that filters and trains never wait long for the lock; an older store gets one full VACUUM that switches it
    /// to that mode (the only time vacuum holds the lock for the whole rebuild). Returns whether it was that
    /// conversion. VACUUM builds its copy as a temporary database: in a file, not in memory as other temporary data.
    @discardableResult
    public func vacuum() throws -> Bool {
        do {
            let mode = try database.prepare("PRAGMA auto_vacuum")
            _ = try mode.step()
            let incremental = mode.int(0) == 2
            mode.reset()
            if !incremental {
                try database.execute(
                    """
                    PRAGMA auto_vacuum = INCREMENTAL; PRAGMA temp_store=FILE; PRAGMA wal_checkpoint(PASSIVE); VACUUM;
                    PRAGMA wal_checkpoint(PASSIVE); PRAGMA temp_store=MEMORY;
                    """)
                return true
            }
            let free = try database.prepare("PRAGMA freelist_count")
            while true {
                _ = try free.step()
                let pages = free.int(0)
                free.reset()
                if pages == 0 { break }
                try database.writeTransaction { try database.execute("PRAGMA incremental_vacuum(500)") }
            }
            try database.execute("PRAGMA wal_checkpoint(PASSIVE)")
            return false
        } catch let error as SQLiteError {
            throw Self.storeError(error, path: path)
        }
    }

    /// Removes tokens found in fewer than `minimumDocuments` stored messages (and, with `unseenForDays`, not seen
    /// for that long) from the vocabulary, from every example and from every model version; deletes model
    /// versions beyond `keepModels`. Returns how many tokens went.
    public func prune(minimumDocuments: Int, unseenForDays: Int?, keepModels: Int) throws -> Int {
        try write {
            var sql = "SELECT id FROM tokens WHERE spam_count + ham_count < ?"
            if unseenForDays != nil { sql += " AND last_seen < ?" }
            let select = try database.prepare(sql)
            select.bind(1, minimumDocuments)
            if let days = unseenForDays { select.bind(2, Self.today() - Int64(days)) }
            var doomed = Set<Int32>()
            while try select.step() { doomed.insert(Int32(truncatingIfNeeded: select.int(0))) }
            if !doomed.isEmpty {
                // Rewrite the examples that name a doomed token.
                let examples = try database.prepare("SELECT digest, features FROM examples")
                var rewrites: [(String, [UInt8])] = []
                while try examples.step() {
                    let counts = FeatureBlob.decode(examples.blob(1))
                    let kept = counts.filter { !doomed.contains($0.0) }
                    if kept.count != counts.count {
                        rewrites.append((examples.string(0) ?? "", FeatureBlob.encode(kept)))
                    }
                }
                let update = try database.prepare("UPDATE examples SET features = ? WHERE digest = ?")
                for (digest, blob) in rewrites {
                    update.reset()
                    try update.bind(1, blob: blob).bind(2, digest).run()
                }
                // Weights are keyed by (model, token): one look-up per model and token, never a scan per token.
                var models: [Int64] = []
                let modelIDs = try database.prepare("SELECT id FROM models")
                while try modelIDs.step() { models.append(modelIDs.int(0)) }
                try database.prepare("DELETE FROM settings WHERE key >= ? AND key < ?")
                    .bind(1, TokenFlagCache.prefix).bind(2, TokenFlagCache.prefix + "\u{10FFFF}").run()
                let deleteToken = try database.prepare("DELETE FROM tokens WHERE id = ?")
                let deleteWeight = try database.prepare("DELETE FROM weights WHERE model_id = ? AND token_id = ?")
                for id in doomed.sorted() {
                    deleteToken.reset()
                    try deleteToken.bind(1, Int64(id)).run()
                    for model in models {
                        deleteWeight.reset()
                        try deleteWeight.bind(1, model).bind(2, Int64(id)).run()
                    }
                }
            }
            if let current = try currentModel() {
                let cutoff = current.id - Int64(max(1, keepModels))
                try database.prepare("DELETE FROM weights WHERE model_id <= ?").bind(1, cutoff).run()
                try database.prepare("DELETE FROM models WHERE id <= ?").bind(1, cutoff).run()
            }
            return doomed.count
        }
    }

    public func sizeInBytes() throws -> Int {
        var size = 0
        for suffix in ["", "-wal", "-shm"] {
            var info = stat()
            if stat(path + suffix, &info) == 0 { size += Int(info.st_size) }
        }
        return size
    }
}
