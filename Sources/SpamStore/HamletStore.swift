/// What Hamlet keeps, whatever keeps it: the vocabulary with per-label document counts, every trained example,
/// versioned models, a few settings, and the maintenance and export a store needs. `SQLiteStore` is the first
/// implementation; HamletKit sees only this protocol, so a store on a database server can stand in.
///
/// The calls are synchronous (docs/ARCHITECTURE.md says why): `hamlet filter` runs one message per process and must
/// not pay for an event loop. Methods marked "inside `write`" must run in `write`'s body, the rest in `read`'s or
/// `write`'s. Every failure is a `StoreError`.
public protocol HamletStore: AnyObject {
    /// Names the store in messages to the user (a file's path; a database's address without its password).
    var location: String { get }

    // MARK: Transactions

    /// Runs `body` in one write transaction: all of its changes are kept or none. Writers take turns.
    func write<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` in one read snapshot: it sees one committed state however writers proceed meanwhile.
    func read<T>(_ body: () throws -> T) throws -> T
    /// For a connection that only reads one message's scores and closes (the delivery path): leave the upkeep a
    /// writer's close would do to the writers.
    func skipMaintenanceOnClose()
    /// Announcements of this store's changes for a reader that holds its model (`StoreChangeFeed`); nil when
    /// the store should simply be asked.
    var changeFeed: (any StoreChangeFeed)? { get }

    // MARK: Settings

    func setting(_ key: String) throws -> String?
    func setSetting(_ key: String, _ value: String) throws

    // MARK: Vocabulary

    /// The whole vocabulary, token to id (for bulk work).
    func vocabulary() throws -> [String: Int32]
    /// Hands over every token as its UTF-8 bytes (valid during the call) and id, in id order.
    func forEachToken(_ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void) throws
    /// Hands over the tokens whose id is above `lowest`, in id order: those added since a reader last looked.
    func forEachToken(above lowest: Int32, _ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void) throws
    /// Those of `ids` whose token text (its UTF-8 bytes) satisfies `predicate`; the cost follows `ids`.
    func tokenIDs(_ ids: [Int32], where predicate: (UnsafeBufferPointer<UInt8>) -> Bool) throws -> Set<Int32>
    /// Adds a token (or finds it); returns its id (inside `write`).
    func insertToken(_ token: String) throws -> Int32
    func vocabularySize() throws -> Int
    /// The largest token id in use (0 for an empty vocabulary).
    func maxTokenID() throws -> Int32
    /// Applies per-label document-count changes; `newTokens` (ids the caller chose above `maxTokenID()` in this
    /// transaction) are inserted with their counts (inside `write`).
    func applyDocumentCounts(_ deltas: DocumentCountDeltas, newTokens: [(token: String, id: Int32)]) throws

    // MARK: Examples

    /// Stores an example; the same digest is never counted twice: with the same label it is unchanged, with the
    /// other it moves there. It is dated `learnedAt` (seconds since 1970; nil: now), which an import keeps from
    /// the export. Count changes go to `deltas` (inside `write`).
    func putExample(
        digest: String, messageID: String?, isSpam: Bool, source: String?, extractor: String,
        counts: [(Int32, Int)], deltas: inout DocumentCountDeltas, raw: [UInt8]?, learnedAt: Int64?
    ) throws -> ExampleChange
    /// Stores many examples, with `putExample`'s meaning for each, in order (inside `write`): a store on a server
    /// writes the new ones in one statement.
    func putExamples(_ examples: [NewExample], deltas: inout DocumentCountDeltas) throws -> [ExampleChange]
    /// Gives a stored example the other label; nil if the digest is not stored (inside `write`).
    func setLabel(digest: String, isSpam: Bool, deltas: inout DocumentCountDeltas) throws -> (
        ExampleChange, StoredExample
    )?
    /// Deletes a stored example; returns what it was, nil if it is not stored (inside `write`).
    func deleteExample(digest: String, deltas: inout DocumentCountDeltas) throws -> StoredExample?
    /// The digests of stored examples with this Message-ID.
    func digests(messageID: String) throws -> [String]
    func example(digest: String) throws -> StoredExample?
    /// Every stored example, sorted by digest; throws if any was extracted by another feature extractor.
    func allExamples(extractor: String) throws -> [StoredExample]
    /// About `count` distinct stored examples drawn at random (seeded), without reading the others.
    func sampleExamples(count: Int, seed: UInt64, excluding: Set<String>) throws -> [StoredExample]
    /// Examples of each label, counted only up to `limits` (cheap on a large store).
    func exampleCounts(upTo limits: ExampleCounts) throws -> ExampleCounts
    func exampleCounts() throws -> ExampleCounts
    /// How many times the stored examples have changed since the store was made (models record the count they
    /// reflect).
    func exampleChanges() throws -> Int64
    /// When the oldest stored example was learned (or last moved to a label), in seconds since 1970; nil for none.
    func oldestExampleLearnedAt() throws -> Int64?
    /// The digests retention removes: the examples learned before `cutoff`, and all but the `newest` most
    /// recently learned (nil: no such limit), oldest first.
    func digestsToExpire(learnedBefore cutoff: Int64?, keepingNewest newest: Int?) throws -> [String]
    /// How many stored examples were learned at or after each of `times` (seconds since 1970).
    func examplesLearned(since times: [Int64]) throws -> [Int]
    /// Records each example's log-odds under a model just fitted or updated over it (inside `write`).
    func setFitLogits(_ logits: [(digest: String, logit: Double)]) throws
    /// An example's recorded log-odds; nil if none was recorded.
    func fitLogit(digest: String) throws -> Double?
    /// Every recorded log-odds, by digest (for copying a store).
    func fitLogits() throws -> [String: Double]
    /// How many stored examples another extractor made, and how many of those kept their message.
    func examplesNotExtracted(by extractor: String) throws -> (total: Int, withRaw: Int)
    /// Calls `body` with the digest and kept message of each example another extractor made.
    func forEachRawExample(notExtractedBy extractor: String, _ body: (String, [UInt8]) throws -> Void) throws
    /// Replaces an example's features with another extractor's (inside `write`).
    func replaceFeatures(
        digest: String, extractor: String, counts: [(Int32, Int)], deltas: inout DocumentCountDeltas) throws

    // MARK: Models

    /// The newest model version's header; nil when there is none.
    func currentModel() throws -> ModelInfo?
    /// Writes a new model version; older ones beyond the few kept are deleted (inside `write`).
    func insertModel(_ header: ModelHeader, rows: ModelRows, parameters: [Double]) throws -> Int64
    /// Changes a model version in place: its header's counts, its other parameters, and these rows (inside
    /// `write`).
    func updateModel(
        id: Int64, exampleCount: Int, changes: Int64, layout: RowLayout, parameters: [Double],
        changedRows: [(tokenID: Int32, row: [Double])]
    ) throws
    /// Calls `body` with every stored row of a model (weights, then their accumulators), in no particular order.
    func forEachModelRow(modelID: Int64, _ body: (Int32, UnsafeBufferPointer<Double>) throws -> Void) throws
    /// Hands over, as `forEachToken` does, the tokens model `modelID` scores with: at least every token that has
    /// a row in it, in id order. A token without a row adds nothing to any score, so a store may hand over its
    /// whole vocabulary instead (the SQLite store does: reading it is cheap there).
    func forEachScoredToken(modelID: Int64, _ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void) throws
    /// Calls `body` with the stored rows of these token ids (ids without a row are skipped).
    func forEachModelRow(
        modelID: Int64, tokenIDs: [Int32], _ body: (Int32, UnsafeBufferPointer<Double>) throws -> Void) throws
    /// Calls `body` with each of `tokens` the vocabulary knows, its id and its row (empty when the model has none).
    func forEachModelRow(
        modelID: Int64, tokens: [String], _ body: (String, Int32, UnsafeBufferPointer<Double>) throws -> Void)
        throws
    /// Deletes every model version (when no example is left to fit one on; inside `write`).
    func deleteModels() throws

    // MARK: Maintenance and export

    /// Problems found (empty when all is well): the store's own integrity, examples or models of another
    /// extractor, document counts that disagree with the examples, rows that belong to nothing.
    func check(extractor: String) throws -> [String]
    /// Gives free space back; returns whether that took a one-time conversion of an old store.
    @discardableResult func vacuum() throws -> Bool
    /// Removes rare tokens from the vocabulary, the examples and every model; keeps `keepModels` versions.
    func prune(minimumDocuments: Int, unseenForDays: Int?, keepModels: Int) throws -> Int
    /// Writes the settings and examples in Hamlet's text format (docs/STORE.md), one line at a time.
    func export(_ line: (String) throws -> Void) throws
    /// Counts for `hamlet stats`.
    func statistics() throws -> StoreStatistics
    /// The bytes the store occupies (an SQLite store: its file with the -wal and -shm files).
    func sizeInBytes() throws -> Int
}

extension HamletStore {
    public func putExamples(_ examples: [NewExample], deltas: inout DocumentCountDeltas) throws -> [ExampleChange] {
        try examples.map {
            try putExample(
                digest: $0.digest, messageID: $0.messageID, isSpam: $0.isSpam, source: $0.source,
                extractor: $0.extractor, counts: $0.counts, deltas: &deltas, raw: $0.raw, learnedAt: $0.learnedAt)
        }
    }

    /// `token`'s id from `vocabulary` (the store's, held by the caller), or a new one the store gives it, which
    /// `vocabulary` then holds too (inside `write`).
    public func tokenID(_ token: String, in vocabulary: inout [String: Int32]) throws -> Int32 {
        if let known = vocabulary[token] { return known }
        let id = try insertToken(token)
        vocabulary[token] = id
        return id
    }

    public func forEachScoredToken(modelID: Int64, _ body: (UnsafeBufferPointer<UInt8>, Int32) throws -> Void)
        throws
    {
        try forEachToken(body)
    }

    public func applyDocumentCounts(_ deltas: DocumentCountDeltas) throws {
        try applyDocumentCounts(deltas, newTokens: [])
    }

    public func statistics() throws -> StoreStatistics {
        try read {
            let counts = try exampleCounts()
            return StoreStatistics(
                spamExamples: counts.spam, hamExamples: counts.ham, vocabularySize: try vocabularySize(),
                model: try currentModel(), exampleChanges: try exampleChanges())
        }
    }
}
