/// Maintenance of the store: consistency checks, vacuum, pruning rare tokens, and a text export/import.
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
            // Recount document frequencies from the examples.
            var recount: [Int32: (spam: Int, ham: Int)] = [:]
            let examples = try database.prepare("SELECT is_spam, features FROM examples")
            while try examples.step() {
                let isSpam = examples.int(0) != 0
                for (id, _) in FeatureBlob.decode(examples.blob(1)) {
                    let old = recount[id] ?? (0, 0)
                    recount[id] = isSpam ? (old.spam + 1, old.ham) : (old.spam, old.ham + 1)
                }
            }
            var known = Set<Int32>()
            var mismatched = 0
            let tokens = try database.prepare("SELECT id, spam_count, ham_count FROM tokens")
            while try tokens.step() {
                let id = Int32(truncatingIfNeeded: tokens.int(0))
                known.insert(id)
                let counted = recount[id] ?? (0, 0)
                if counted.spam != Int(tokens.int(1)) || counted.ham != Int(tokens.int(2)) { mismatched += 1 }
            }
            if mismatched > 0 {
                problems.append("\(mismatched) tokens have document counts that disagree with the examples")
            }
            let unknown = recount.keys.filter { !known.contains($0) }.count
            if unknown > 0 { problems.append("examples name \(unknown) token ids missing from the vocabulary") }
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
                    .bind(1, Self.tokenFlagsPrefix).bind(2, Self.tokenFlagsPrefix + "\u{10FFFF}").run()
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

    // MARK: Text export and import

    /// Writes the store's settings and examples in Hamlet's text format (see docs/STORE.md), one line at a time.
    /// Models are not exported: import refits them.
    public func export(_ line: (String) throws -> Void) throws {
        try read {
            try line("# hamlet store export, format 1")
            let settings = try database.prepare("SELECT key, value FROM settings ORDER BY key")
            while try settings.step() {
                try line(
                    "setting\t\(TextField.encode(settings.string(0) ?? ""))\t\(TextField.encode(settings.string(1) ?? ""))"
                )
            }
            var names: [Int32: String] = [:]
            let tokens = try database.prepare("SELECT id, token FROM tokens")
            while try tokens.step() { names[Int32(truncatingIfNeeded: tokens.int(0))] = tokens.string(1) ?? "" }
            let examples = try database.prepare(
                """
                SELECT digest, is_spam, extractor, learned_at, coalesce(message_id, ''), coalesce(source, ''), features
                FROM examples ORDER BY digest
                """)
            while try examples.step() {
                let counts = FeatureBlob.decode(examples.blob(6)).compactMap { pair -> String? in
                    guard let token = names[pair.0] else { return nil }
                    return "\(pair.1):\(TextField.encode(token))"
                }
                try line(
                    [
                        "example", examples.string(0) ?? "", examples.int(1) != 0 ? "spam" : "ham",
                        TextField.encode(examples.string(2) ?? ""), String(examples.int(3)),
                        TextField.encode(examples.string(4) ?? ""), TextField.encode(examples.string(5) ?? ""),
                        counts.joined(separator: " ")
                    ].joined(separator: "\t"))
            }
        }
    }

    /// Reads lines written by `export` into this store (call inside `write`). Examples already stored follow the
    /// training rules: same label unchanged, other label moved. Returns the examples added or moved.
    public func importLine(
        _ line: String, number: Int, vocabulary: inout [String: Int32], deltas: inout DocumentCountDeltas
    )
        throws -> ExampleChange?
    {
        if line.isEmpty || line.hasPrefix("#") { return nil }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        func bad(_ why: String) -> StoreError { .badImportLine(number: number, reason: why) }
        switch fields[0] {
        case "setting":
            guard fields.count == 3 else { throw bad("a setting line has 3 fields") }
            try setSetting(TextField.decode(fields[1]), TextField.decode(fields[2]))
            return nil
        case "example":
            guard fields.count == 8 else { throw bad("an example line has 8 fields") }
            guard fields[1].count == 64, fields[2] == "spam" || fields[2] == "ham" else {
                throw bad("bad digest or label")
            }
            var counts: [(Int32, Int)] = []
            for item in fields[7].split(separator: " ") {
                guard let colon = item.firstIndex(of: ":"), let count = Int(item[..<colon]), count > 0 else {
                    throw bad("bad token entry '\(item.prefix(40))'")
                }
                let token = TextField.decode(String(item[item.index(after: colon)...]))
                let id: Int32
                if let known = vocabulary[token] {
                    id = known
                } else {
                    id = try insertToken(token)
                    vocabulary[token] = id
                }
                counts.append((id, count))
            }
            counts.sort { $0.0 < $1.0 }
            let messageID = TextField.decode(fields[5])
            let source = TextField.decode(fields[6])
            return try putExample(
                digest: fields[1], messageID: messageID.isEmpty ? nil : messageID,
                isSpam: fields[2] == "spam", source: source.isEmpty ? nil : source,
                extractor: TextField.decode(fields[3]), counts: counts, deltas: &deltas)
        default:
            throw bad("unknown record '\(fields[0].prefix(20))'")
        }
    }
}

/// Percent-encoding for the export format: `%`, tab, line breaks, space and other control characters.
enum TextField {
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte <= 0x20 || byte == 0x25 || byte == 0x7F {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var i = 0
        while i < input.count {
            if input[i] == 0x25, i + 2 < input.count, let hi = hexValue(input[i + 1]), let lo = hexValue(input[i + 2]) {
                bytes.append(hi << 4 | lo)
                i += 3
            } else {
                bytes.append(input[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
