import CSQLite

import Platform

/// Hamlet's store in one SQLite file: the vocabulary with per-label document counts, every trained example
/// (digest, label, extractor version, token counts), and versioned model weights, one row per (model, token),
/// so that scoring one message reads only its own tokens' weights. WAL mode: readers see one committed model
/// version while a writer (BEGIN IMMEDIATE, one at a time) prepares the next.
public final class SQLiteStore {
    public let database: Database
    public var path: String { database.path }
    /// Model versions kept; older ones are deleted when a new version is written.
    public var modelVersionsKept = 3
    /// Example changes made in the open write transaction, written to `example_changes` as it commits.
    private var pendingExampleChanges = 0

    /// For a connection that only reads (the delivery path): closing it neither checkpoints the WAL into the
    /// store (a writer's work: commits checkpoint past 1,000 pages, a writer's close checkpoints all) nor deletes
    /// the -wal and -shm files, which the next `filter` process (one per message) would create again.
    public func skipCheckpointOnClose() {
        _ = hamlet_sqlite_no_checkpoint_on_close(database.handle)
    }

    /// Opens the store at `path`. Without `create`, a missing file is `StoreError.notFound`. `readOnly` is for
    /// commands that only read (filter, classify, stats, checks, export): they then work on a store on a read-only
    /// file system (opened immutable there) or in a folder they cannot write (opened read-only, sharing the -wal
    /// and -shm files that writers leave in place).
    ///
    /// A store path that is a symbolic link is refused (following it let `train` add Hamlet's tables to whatever
    /// it named), and so is an SQLite file holding other tables. A new store is built under a temporary name in the
    /// same folder and linked into place complete, so a first `train` killed early leaves no half-made file.
    public convenience init(
        path: String, create: Bool, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 10_000
    ) throws {
        var link = stat()
        if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
            throw StoreError.notAStore(path: path, reason: "it is a symbolic link; name the store file itself")
        }
        if create, access(path, F_OK) != 0 { try Self.createComplete(at: path) }
        try self.init(
            opening: path, create: create, readOnly: readOnly, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// Builds an empty store beside `path` and links it into place (if another process made one meanwhile, that
    /// one stays).
    private static func createComplete(at path: String) throws {
        let temporary = path + ".new-\(getpid())"
        for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) } }
        do {
            let built = try SQLiteStore(
                opening: temporary, create: true, readOnly: false, busyTimeoutMilliseconds: 10_000)
            try built.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        if SystemCalls.link(temporary, path) != 0 && errno != EEXIST {
            throw StoreError.readOnly(path: path)
        }
    }

    private init(
        opening path: String, create: Bool, readOnly opensReadOnly: Bool, busyTimeoutMilliseconds: Int32
    ) throws {
        if !create, access(path, F_OK) != 0 { throw StoreError.notFound(path) }
        do {
            database = try Database(
                path: path, create: create && !opensReadOnly, readOnly: opensReadOnly,
                immutable: opensReadOnly && Self.isOnReadOnlyFileSystem(path))
        } catch let error as SQLiteError {
            if error.isReadOnly, create { throw StoreError.readOnly(path: path) }
            throw StoreError.notAStore(path: path, reason: error.message)
        }
        if !opensReadOnly { database.keepWALFiles() }
        database.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        do {
            // mmap: page reads become memory reads (a filter run otherwise spends most of its time in pread).
            // temp_store=MEMORY: statement journals (a multi-row insert keeps the pages it changes, in case it must
            // be undone) stay in memory; in temporary files they were 150,000 of bulk training's 180,000 writes.
            // Before anything writes: an SQLite file that is not a Hamlet store (other tables, no Hamlet version).
            if try userVersion() == 0 {
                let statement = try database.prepare("SELECT count(*) FROM sqlite_master")
                defer { statement.reset() }
                _ = try statement.step()
                if statement.int(0) > 0 {
                    throw StoreError.notAStore(path: path, reason: "an SQLite database holding other tables")
                }
            }
            // A new store frees pages incrementally (`vacuum` then compacts it in short steps); this must be set
            // before anything, the journal mode included, writes the file's first page.
            var size = stat()
            if create, stat(path, &size) == 0, size.st_size == 0 {
                try database.execute("PRAGMA auto_vacuum = INCREMENTAL")
            }
            if !opensReadOnly {
                // A WAL a bulk training run grew is cut back to 16 MB at each checkpoint.
                try database.execute(
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=16777216;")
            }
            try database.execute(
                "PRAGMA foreign_keys=ON; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;"
            )
            try migrate(create: create)
        } catch let error as SQLiteError {
            // A read-only connection in WAL mode that cannot find or make the -shm file fails on its first read.
            if opensReadOnly, error.isReadOnly { throw StoreError.unreadableWithoutSharedFiles(path: path) }
            throw Self.storeError(error, path: path)
        }
    }

    private enum SystemCalls {
        static func link(_ from: String, _ to: String) -> Int32 {
            #if canImport(Glibc)
                return Glibc.link(from, to)
            #else
                return Darwin.link(from, to)
            #endif
        }
    }

    /// Whether `path` lies on a file system mounted read-only (nothing can change the file: safe to open immutable).
    static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
        var info = statvfs()
        return statvfs(path, &info) == 0 && (info.f_flag & UInt(ST_RDONLY)) != 0
    }

    /// The StoreError a user should see for a failed SQLite call.
    static func storeError(_ error: SQLiteError, path: String) -> StoreError {
        if error.isBusy { return .busy(path: path) }
        if error.isCorrupt { return .notAStore(path: path, reason: error.message) }
        if error.isFull { return .full(path: path) }
        if error.isReadOnly { return .readOnly(path: path) }
        return .sqlite(path: path, error)
    }

    private func migrate(create: Bool) throws {
        let version = try userVersion()
        if version > Schema.currentVersion {
            throw StoreError.newerSchema(path: path, found: version, supported: Schema.currentVersion)
        }
        if version == Schema.currentVersion { return }
        if version == 0 && !create { throw StoreError.notAStore(path: path, reason: "the file holds no Hamlet store") }
        try database.writeTransaction {
            // Re-read inside the write lock: another process may have migrated meanwhile.
            let current = try userVersion()
            guard current < Schema.currentVersion else { return }
            for next in (current + 1)...Schema.currentVersion {
                guard let sql = Schema.migrations[next] else { continue }
                try database.execute(sql)
            }
            try database.execute("PRAGMA user_version = \(Schema.currentVersion)")
        }
    }

    private func userVersion() throws -> Int {
        let statement = try database.prepare("PRAGMA user_version")
        _ = try statement.step()
        let version = Int(statement.int(0))
        statement.reset()
        return version
    }

    /// Runs `body` in one write transaction (BEGIN IMMEDIATE). SQLite errors become `StoreError`.
    public func write<T>(_ body: () throws -> T) throws -> T {
        pendingExampleChanges = 0
        defer { pendingExampleChanges = 0 }
        return try mapErrors {
            try database.writeTransaction {
                let result = try body()
                try flushExampleChanges()
                return result
            }
        }
    }

    /// Runs `body` in one read snapshot.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try mapErrors { try database.readTransaction(body) }
    }

    private func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw Self.storeError(error, path: path)
        }
    }

    static func now() -> Int64 { Int64(time(nil)) }
    /// Days since 1970: the unit of a token's first and last sighting.
    static func today() -> Int64 { now() / 86_400 }

    // MARK: Settings

    public func setting(_ key: String) throws -> String? {
        let statement = try database.prepare("SELECT value FROM settings WHERE key = ?")
        statement.bind(1, key)
        defer { statement.reset() }
        return try statement.step() ? statement.string(0) : nil
    }

    public func setSetting(_ key: String, _ value: String) throws {
        try database.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)").bind(1, key).bind(2, value)
            .run()
    }

    // MARK: Vocabulary

    /// Settings holding cached flags over token ids (see `tokenFlags`) start with this.
    static let tokenFlagsPrefix = "token_flags:"

    /// Flags over every token id, true where `predicate` holds for the token's text, cached in the settings under
    /// `name` and extended only for tokens added since (call inside `write`). Ids only grow, so a flag once
    /// computed stays right; `prune`, which may free the largest ids for reuse, drops every such cache.
    public func tokenFlags(cachedAs name: String, where predicate: (UnsafeBufferPointer<UInt8>) -> Bool) throws
        -> [Bool]
    {
        let key = Self.tokenFlagsPrefix + name
        var flags = try setting(key).map(Self.decodeFlags) ?? []
        let largest = Int(try maxTokenID())
        guard flags.count <= largest else { return flags }
        let scan = try database.prepare("SELECT id, token FROM tokens WHERE id >= ? ORDER BY id")
        scan.bind(1, Int64(flags.count))
        flags += repeatElement(false, count: largest + 1 - flags.count)
        while try scan.step() {
            let id = Int(scan.int(0))
            if id < flags.count, scan.withText(1, predicate) { flags[id] = true }
        }
        scan.reset()
        // Whole hex digits only: the last partial digit is computed again next time rather than padded.
        let whole = flags.count / 4 * 4
        try setSetting(key, Self.encodeFlags(Array(flags[..<whole])))
        return flags
    }

    /// Four flags a hex digit, the first flag in the digit's lowest bit.
    static func encodeFlags(_ flags: [Bool]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: flags.count / 4)
        for i in 0..<bytes.count {
            var value = 0
            for bit in 0..<4 where flags[i * 4 + bit] { value |= 1 << bit }
            bytes[i] = digits[value]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decodeFlags(_ text: String) -> [Bool] {
        var flags: [Bool] = []
        flags.reserveCapacity(text.utf8.count * 4)
        for c in text.utf8 {
            let value = c <= 0x39 ? Int(c) - 0x30 : Int(c) - 0x61 + 10
            for bit in 0..<4 { flags.append(value & (1 << bit) != 0) }
        }
        return flags
    }

    /// The whole vocabulary, token to id (for bulk work).
    public func vocabulary() throws -> [String: Int32] {
        let statement = try database.prepare("SELECT token, id FROM tokens")
        var result: [String: Int32] = [:]
        while try statement.step() {
            if let token = statement.string(0) { result[token] = Int32(truncatingIfNeeded: statement.int(1)) }
        }
        return result
    }

    /// Hands over every vocabulary entry as its UTF-8 bytes (valid during the call) and id, in id order: loading a
    /// vocabulary of 100,000 tokens this way makes no `String`s.
    public func forEachToken(_ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void) throws {
        let statement = try database.prepare("SELECT token, id FROM tokens ORDER BY id")
        while try statement.step() {
            let id = Int32(truncatingIfNeeded: statement.int(1))
            try statement.withText(0) { try body($0, id) }
        }
    }

    /// Those of `ids` whose token matches `predicate` (given the token's UTF-8 bytes), read 500 ids a statement: the
    /// cost follows the ids asked for, not the vocabulary.
    public func tokenIDs(_ ids: [Int32], where predicate: (UnsafeBufferPointer<UInt8>) -> Bool) throws -> Set<Int32> {
        var result = Set<Int32>()
        try forEachTokenID(ids, where: predicate) { result.insert($0) }
        return result
    }

    /// Calls `found` with each of `ids` whose token text satisfies `predicate` (500 ids a statement).
    public func forEachTokenID(
        _ ids: [Int32], where predicate: (UnsafeBufferPointer<UInt8>) -> Bool,
        _ found: (Int32) -> Void
    ) throws {
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(ids.count, start + 500)]
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            // Only the full-size chunk's SQL recurs; a shorter last chunk's is not worth a place in the cache.
            let statement = try database.prepare(
                "SELECT id, token FROM tokens WHERE id IN (\(placeholders))", cached: chunk.count == 500)
            for (k, id) in chunk.enumerated() { statement.bind(Int32(k + 1), Int64(id)) }
            while try statement.step() {
                if statement.withText(1, predicate) { found(Int32(truncatingIfNeeded: statement.int(0))) }
            }
            start += 500
        }
    }

    /// Adds a token to the vocabulary (or finds it there); returns its id.
    public func insertToken(_ token: String) throws -> Int32 {
        let now = Self.today()
        try database.prepare("INSERT OR IGNORE INTO tokens(token, first_seen, last_seen) VALUES (?, ?, ?)")
            .bind(1, token).bind(2, now).bind(3, now).run()
        if database.changes == 1 { return Int32(truncatingIfNeeded: database.lastInsertRowID) }
        let select = try database.prepare("SELECT id FROM tokens WHERE token = ?")
        select.bind(1, token)
        _ = try select.step()
        let id = Int32(truncatingIfNeeded: select.int(0))
        select.reset()
        return id
    }

    public func vocabularySize() throws -> Int {
        let statement = try database.prepare("SELECT count(*) FROM tokens")
        _ = try statement.step()
        return Int(statement.int(0))
    }

    /// The largest token id in use (0 for an empty vocabulary).
    public func maxTokenID() throws -> Int32 {
        let statement = try database.prepare("SELECT coalesce(max(id), 0) FROM tokens")
        _ = try statement.step()
        let id = Int32(truncatingIfNeeded: statement.int(0))
        statement.reset()
        return id
    }

    /// Applies accumulated per-label document-count changes (call inside `write`), in id order, 64 tokens an UPDATE.
    /// Tokens in `newTokens` (ids the caller chose above `maxTokenID()` in this transaction) are inserted with
    /// their counts instead, 32 a statement, rather than inserted and then updated.
    public func applyDocumentCounts(_ deltas: DocumentCountDeltas, newTokens: [(token: String, id: Int32)] = []) throws
    {
        let now = Self.today()
        // 32 rows a statement step where there are that many.
        try database.runGrouped(
            newTokens, groupSize: 32,
            grouped: {
                "INSERT INTO tokens(id, token, spam_count, ham_count, first_seen, last_seen) VALUES "
                    + Database.placeholders(rows: $0, columns: 6)
            }, parametersPerRow: 6
        ) { statement, p, row in
            let delta = deltas.change(of: row.id)
            statement.bind(p, Int64(row.id)).bind(p + 1, row.token).bind(p + 2, max(0, delta.spam))
                .bind(p + 3, max(0, delta.ham)).bind(p + 4, now).bind(p + 5, now)
        }
        let inserted = Set(newTokens.map(\.id))
        // In id order (one pass along the table's pages instead of a random walk over them), 64 rows a statement
        // where SQLite has UPDATE ... FROM (3.33 and later): a bulk training batch updates some 30,000 tokens.
        let changes = deltas.changes.filter { !inserted.contains($0.id) }
        try database.runGrouped(
            changes, groupSize: Self.hasUpdateFrom ? 64 : 1,
            grouped: { rows in
                rows == 1
                    ? "UPDATE tokens SET spam_count = max(0, spam_count + ?3), ham_count = max(0, ham_count + ?4), "
                        + "last_seen = ?1 WHERE id = ?2"
                    : """
                    UPDATE tokens SET spam_count = max(0, spam_count + d.column2), ham_count = max(0, ham_count + d.column3),
                    last_seen = ?1 FROM (VALUES \(Database.placeholders(rows: rows, columns: 3))) AS d
                    WHERE tokens.id = d.column1
                    """
            }, firstRowParameter: 2, parametersPerRow: 3, bindShared: { $0.bind(1, now) }
        ) { statement, p, row in
            statement.bind(p, Int64(row.id)).bind(p + 1, row.spam).bind(p + 2, row.ham)
        }
    }

    /// Whether the SQLite library understands UPDATE ... FROM (version 3.33.0 and later).
    static let hasUpdateFrom = sqlite3_libversion_number() >= 3_033_000

    // MARK: Examples

    /// Stores an example (call inside `write`). The same digest is never counted twice: with the same label it
    /// is unchanged, with the other label it moves there. Document-count changes go to `deltas`; apply them with
    /// `applyDocumentCounts` before the transaction ends.
    public func putExample(
        digest: String, messageID: String?, isSpam: Bool, source: String?, extractor: String,
        counts: [(Int32, Int)], deltas: inout DocumentCountDeltas, raw: [UInt8]? = nil
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
            .bind(1, isSpam ? 1 : 0).bind(2, Self.now()).bind(3, source).bind(4, digest).run()
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
        insert.bind(1, digest).bind(2, messageID).bind(3, isSpam ? 1 : 0).bind(4, source).bind(5, Self.now())
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

    /// Deletes every model version (when no example is left to fit one on).
    public func deleteModels() throws {
        try database.execute("DELETE FROM weights; DELETE FROM models;")
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

    /// About `count` distinct stored examples chosen at random (seeded) without reading the others: each draw
    /// looks up the first digest at or after a random one, which is uniform because digests are SHA-256 values.
    public func sampleExamples(count: Int, seed: UInt64, excluding: Set<String>) throws -> [StoredExample] {
        let statement = try database.prepare(
            "SELECT digest, is_spam, features, fit_logit FROM examples WHERE digest >= ? ORDER BY digest LIMIT 1")
        let first = try database.prepare(
            "SELECT digest, is_spam, features, fit_logit FROM examples ORDER BY digest LIMIT 1")
        var generator = seed
        var chosen = Set<String>()
        var result: [StoredExample] = []
        for _ in 0..<(count * 2) where result.count < count {
            generator = generator &* 6364136223846793005 &+ 1442695040888963407
            var mixed = generator ^ (generator >> 29)
            mixed = mixed &* 0xBF58_476D_1CE4_E5B9
            let hex = String(mixed ^ (mixed >> 31), radix: 16)
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

    // MARK: Example changes

    /// How many times the stored examples have changed (added, moved, forgotten, re-extracted) since the store was
    /// made: models record the count they reflect, so a model behind it is stale.
    public func exampleChanges() throws -> Int64 {
        (Int64(try setting("example_changes") ?? "0") ?? 0) + Int64(pendingExampleChanges)
    }

    /// Counts changes to the stored examples (call inside `write`): written once, when the transaction commits.
    func countExampleChanges(_ count: Int = 1) throws {
        pendingExampleChanges += count
    }

    private func flushExampleChanges() throws {
        guard pendingExampleChanges > 0 else { return }
        try database.prepare(
            """
            INSERT INTO settings(key, value) VALUES ('example_changes', ?)
            ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value
            """
        ).bind(1, String(pendingExampleChanges)).run()
        pendingExampleChanges = 0
    }

    // MARK: Models

    public func currentModel() throws -> ModelInfo? {
        let statement = try database.prepare(
            """
            SELECT id, kind, options, extractor, bias, bias_accumulator, example_count, metrics, created_at, updated_at,
                   fit_changes, changes
            FROM models ORDER BY id DESC LIMIT 1
            """)
        guard try statement.step() else { return nil }
        let info = ModelInfo(
            id: statement.int(0), kind: statement.string(1) ?? "", options: statement.string(2) ?? "",
            extractor: statement.string(3) ?? "", bias: statement.double(4),
            biasAccumulator: statement.double(5), exampleCount: Int(statement.int(6)),
            metrics: statement.string(7) ?? "", createdAt: statement.int(8), updatedAt: statement.int(9),
            fitChanges: statement.int(10), changes: statement.int(11))
        statement.reset()
        return info
    }

    /// All weights of a model as a dense array indexed by token id (missing ids are zero).
    public func denseWeights(modelID: Int64) throws -> [Double] {
        let maxStatement = try database.prepare("SELECT coalesce(max(id), 0) FROM tokens")
        _ = try maxStatement.step()
        var weights = [Double](repeating: 0, count: Int(maxStatement.int(0)) + 1)
        maxStatement.reset()
        let statement = try database.prepare("SELECT token_id, weight FROM weights WHERE model_id = ?")
        statement.bind(1, modelID)
        while try statement.step() {
            let id = Int(statement.int(0))
            if id >= 0 && id < weights.count { weights[id] = statement.double(1) }
        }
        return weights
    }

    /// The ids and weights of just these tokens (those the store knows), for scoring one message.
    public func weights(modelID: Int64, tokens: [String]) throws -> [String: (id: Int32, weight: Double)] {
        let statement = try database.prepare(
            """
            SELECT t.id, coalesce(w.weight, 0) FROM tokens t
            LEFT JOIN weights w ON w.model_id = ? AND w.token_id = t.id WHERE t.token = ?
            """)
        var result: [String: (id: Int32, weight: Double)] = [:]
        result.reserveCapacity(tokens.count)
        for token in tokens {
            statement.reset()
            statement.bind(1, modelID).bind(2, token)
            if try statement.step() {
                result[token] = (Int32(truncatingIfNeeded: statement.int(0)), statement.double(1))
            }
        }
        return result
    }

    /// The weights and AdaGrad accumulators of these token ids in a model (ids without a stored row are absent).
    /// Calls `body` with the weight and accumulator of each of `tokenIDs` the model holds, in no particular order,
    /// reading 500 ids a statement.
    public func forEachWeight(
        modelID: Int64, tokenIDs ids: [Int32],
        _ body: (_ tokenID: Int32, _ weight: Double, _ accumulator: Double) -> Void
    ) throws {
        // Many ids: one pass over the model's rows (stored together, by token) costs less than as many look-ups.
        if ids.count > 2_000, let largest = ids.max() {
            var wanted = [Bool](repeating: false, count: Int(largest) + 1)
            for id in ids { wanted[Int(id)] = true }
            let scan = try database.prepare(
                "SELECT token_id, weight, accumulator FROM weights WHERE model_id = ? AND token_id <= ?")
            scan.bind(1, modelID).bind(2, Int64(largest))
            while try scan.step() {
                let id = Int32(truncatingIfNeeded: scan.int(0))
                if wanted[Int(id)] { body(id, scan.double(1), scan.double(2)) }
            }
            return
        }
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(ids.count, start + 500)]
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let statement = try database.prepare(
                "SELECT token_id, weight, accumulator FROM weights WHERE model_id = ? AND token_id IN (\(placeholders))",
                cached: chunk.count == 500)
            statement.bind(1, modelID)
            for (k, id) in chunk.enumerated() { statement.bind(Int32(k + 2), Int64(id)) }
            while try statement.step() {
                body(Int32(truncatingIfNeeded: statement.int(0)), statement.double(1), statement.double(2))
            }
            start += 500
        }
    }

    public func weights(modelID: Int64, tokenIDs: [Int32]) throws -> [Int32: (weight: Double, accumulator: Double)] {
        let statement = try database.prepare(
            "SELECT weight, accumulator FROM weights WHERE model_id = ? AND token_id = ?")
        var result: [Int32: (weight: Double, accumulator: Double)] = [:]
        for id in tokenIDs {
            statement.reset()
            statement.bind(1, modelID).bind(2, Int64(id))
            if try statement.step() { result[id] = (statement.double(0), statement.double(1)) }
        }
        return result
    }

    /// Writes a new model version (call inside `write`); only non-zero weights are stored. Older versions beyond
    /// `modelVersionsKept` are deleted.
    public func insertModel(
        kind: String, options: String, extractor: String, bias: Double, biasAccumulator: Double,
        exampleCount: Int, metrics: String, weights: [Double], accumulators: [Double],
        fittedChanges: Int64
    ) throws -> Int64 {
        let now = Self.now()
        try database.prepare(
            """
            INSERT INTO models(kind, options, extractor, bias, bias_accumulator, example_count, metrics, created_at, updated_at,
                               fit_changes, changes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        )
        .bind(1, kind).bind(2, options).bind(3, extractor).bind(4, bias).bind(5, biasAccumulator).bind(6, exampleCount)
        .bind(7, metrics).bind(8, now).bind(9, now).bind(10, fittedChanges).bind(11, fittedChanges).run()
        let id = database.lastInsertRowID
        // 64 rows a statement step where there are that many.
        try database.runGrouped(
            weights.indices.filter { weights[$0] != 0 }, groupSize: 64,
            grouped: {
                "INSERT INTO weights(model_id, token_id, weight, accumulator) VALUES "
                    + Database.placeholders(rows: $0, columns: 4)
            }, parametersPerRow: 4
        ) { statement, p, tokenID in
            let accumulator = tokenID < accumulators.count ? accumulators[tokenID] : 0
            statement.bind(p, id).bind(p + 1, tokenID).bind(p + 2, weights[tokenID]).bind(p + 3, accumulator)
        }
        try deleteModelVersions(upTo: id - Int64(modelVersionsKept))
        return id
    }

    /// Deletes the model versions up to `id`, weights first (call inside `write`).
    private func deleteModelVersions(upTo id: Int64) throws {
        try database.prepare("DELETE FROM weights WHERE model_id IN (SELECT id FROM models WHERE id <= ?)")
            .bind(1, id).run()
        try database.prepare("DELETE FROM models WHERE id <= ?").bind(1, id).run()
    }

    // MARK: Network models (softmax regression, MLP)

    /// Writes a new network model version (call inside `write`): one `weights` row per feature whose first-layer
    /// row is not all zero, `row` holding its weights then their AdaGrad accumulators; `parameters` holding the
    /// rest of the network then its accumulators. Older versions beyond `modelVersionsKept` are deleted.
    public func insertNetworkModel(
        kind: String, options: String, extractor: String, exampleCount: Int, metrics: String,
        width: Int, rows: [Double], rowAccumulators: [Double], tail: [Double],
        tailAccumulators: [Double], fittedChanges: Int64
    ) throws -> Int64 {
        let now = Self.now()
        try database.prepare(
            """
            INSERT INTO models(kind, options, extractor, bias, bias_accumulator, example_count, metrics, created_at, updated_at,
                               parameters, fit_changes, changes)
            VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?)
            """
        )
        .bind(1, kind).bind(2, options).bind(3, extractor).bind(4, exampleCount).bind(5, metrics).bind(6, now)
        .bind(7, now).bind(8, blob: PackedDoubles.encode(tail + tailAccumulators)).bind(9, fittedChanges)
        .bind(10, fittedChanges).run()
        let id = database.lastInsertRowID
        let insert = try database.prepare(
            "INSERT INTO weights(model_id, token_id, weight, accumulator, row) VALUES (?, ?, 0, 0, ?)")
        for feature in 0..<(rows.count / max(1, width)) {
            let range = (feature * width)..<((feature + 1) * width)
            guard rows[range].contains(where: { $0 != 0 }) else { continue }
            let accumulators =
                range.upperBound <= rowAccumulators.count
                ? Array(rowAccumulators[range]) : [Double](repeating: 0, count: width)
            insert.reset()
            try insert.bind(1, id).bind(2, feature).bind(
                3, blob: PackedDoubles.encode(Array(rows[range]) + accumulators)
            ).run()
        }
        try deleteModelVersions(upTo: id - Int64(modelVersionsKept))
        return id
    }

    /// A network model's non-row parameters followed by their accumulators.
    public func networkParameters(modelID: Int64) throws -> [Double] {
        let statement = try database.prepare("SELECT parameters FROM models WHERE id = ?")
        statement.bind(1, modelID)
        guard try statement.step() else { return [] }
        let values = PackedDoubles.decode(statement.blob(0))
        statement.reset()
        return values
    }

    /// Every stored first-layer row of a network model (weights then accumulators), by token id.
    public func networkRows(modelID: Int64) throws -> [(Int32, [Double])] {
        let statement = try database.prepare("SELECT token_id, row FROM weights WHERE model_id = ? AND row IS NOT NULL")
        statement.bind(1, modelID)
        var result: [(Int32, [Double])] = []
        while try statement.step() { result.append((Int32(statement.int(0)), PackedDoubles.decode(statement.blob(1)))) }
        return result
    }

    /// The stored rows of these token ids (ids without a row are absent).
    public func networkRows(modelID: Int64, tokenIDs: [Int32]) throws -> [Int32: [Double]] {
        let statement = try database.prepare(
            "SELECT row FROM weights WHERE model_id = ? AND token_id = ? AND row IS NOT NULL")
        var result: [Int32: [Double]] = [:]
        for id in tokenIDs {
            statement.reset()
            statement.bind(1, modelID).bind(2, Int64(id))
            if try statement.step() { result[id] = PackedDoubles.decode(statement.blob(0)) }
        }
        return result
    }

    /// The stored rows of these tokens, with their ids (tokens the vocabulary lacks are absent; known tokens
    /// without a row have an empty row).
    public func networkRows(modelID: Int64, tokens: [String]) throws -> [String: (id: Int32, row: [Double])] {
        let statement = try database.prepare(
            """
            SELECT t.id, w.row FROM tokens t
            LEFT JOIN weights w ON w.model_id = ? AND w.token_id = t.id WHERE t.token = ?
            """)
        var result: [String: (id: Int32, row: [Double])] = [:]
        for token in tokens {
            statement.reset()
            statement.bind(1, modelID).bind(2, token)
            if try statement.step() {
                result[token] = (Int32(statement.int(0)), PackedDoubles.decode(statement.blob(1)))
            }
        }
        return result
    }

    /// Updates a network model in place (call inside `write`): these rows and all other parameters.
    public func updateNetworkModel(
        id: Int64, exampleCount: Int, parameters: [Double], changedRows: [(Int32, [Double])],
        changes: Int64
    ) throws {
        let upsert = try database.prepare(
            "INSERT OR REPLACE INTO weights(model_id, token_id, weight, accumulator, row) VALUES (?, ?, 0, 0, ?)")
        for (tokenID, row) in changedRows {
            upsert.reset()
            try upsert.bind(1, id).bind(2, Int64(tokenID)).bind(3, blob: PackedDoubles.encode(row)).run()
        }
        try database.prepare(
            "UPDATE models SET parameters = ?, example_count = ?, updated_at = ?, changes = ? WHERE id = ?"
        )
        .bind(1, blob: PackedDoubles.encode(parameters)).bind(2, exampleCount).bind(3, Self.now()).bind(4, changes)
        .bind(5, id).run()
    }

    /// Updates a model version in place (call inside `write`): an incremental update touches only these weights.
    public func updateModel(
        id: Int64, bias: Double, biasAccumulator: Double, exampleCount: Int,
        changedWeights: [(tokenID: Int32, weight: Double, accumulator: Double)], changes: Int64
    ) throws {
        let upsert = try database.prepare(
            "INSERT OR REPLACE INTO weights(model_id, token_id, weight, accumulator) VALUES (?, ?, ?, ?)")
        for change in changedWeights {
            upsert.reset()
            try upsert.bind(1, id).bind(2, Int64(change.tokenID)).bind(3, change.weight).bind(4, change.accumulator)
                .run()
        }
        try database.prepare(
            """
            UPDATE models SET bias = ?, bias_accumulator = ?, example_count = ?, updated_at = ?, changes = ? WHERE id = ?
            """
        )
        .bind(1, bias).bind(2, biasAccumulator).bind(3, exampleCount).bind(4, Self.now()).bind(5, changes).bind(6, id)
        .run()
    }

    public func statistics() throws -> StoreStatistics {
        try read {
            let counts = try exampleCounts()
            return StoreStatistics(
                spamExamples: counts.spam, hamExamples: counts.ham,
                vocabularySize: try vocabularySize(), model: try currentModel(),
                exampleChanges: try exampleChanges())
        }
    }
}
