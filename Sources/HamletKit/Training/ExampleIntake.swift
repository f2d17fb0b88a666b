import SpamStore
import TextFeatures

/// The storing half of a `train` run: writes each analysed message as a stored example (its label and token
/// counts), batch by batch inside the caller's write transactions, and keeps what the learning half needs: the
/// run's example changes (for an in-place update) and the counts for the report.
struct ExampleIntake {
    let trainer: Trainer
    /// Refuse a store whose model was fitted on another extractor's features (not when a full fit follows).
    let checksExtractor: Bool
    private(set) var report = TrainReport()
    /// This run's changes, for an in-place update; nil once there are more than `Trainer.inPlaceLimit`.
    private(set) var updates: [ExampleUpdate]? = []
    private(set) var changes = 0

    private var vocabulary = Vocabulary(capacity: 0)
    private var loaded = false
    private var vocabularyComplete = false
    private var lastTokenID: Int32 = 0  // the largest token id after the previous batch
    private var labelsThisRun: [String: Bool] = [:]  // digest -> label given earlier in this run

    init(trainer: Trainer, checksExtractor: Bool) {
        self.trainer = trainer
        self.checksExtractor = checksExtractor
    }

    private var store: any HamletStore { trainer.store }

    /// Stores one batch (call inside `write`).
    mutating func store(_ batch: [LabeledMessage], _ analyses: [MessageAnalysis]) throws {
        if !loaded { try loadVocabulary(forBatchOf: batch.count) }
        // With the whole vocabulary in hand, new tokens get the next ids here and are written once, with their
        // counts, at the end of the batch. Tokens another writer added between two batches (trainers at once on
        // a shared store) are read in first; a vocabulary that shrank meanwhile (a prune) ends that.
        var newTokens: [(token: String, id: Int32)]? = nil
        if vocabularyComplete {
            let largest = try store.maxTokenID()
            if largest > lastTokenID {
                try store.forEachToken(above: lastTokenID) { vocabulary.set($0, id: $1) }
                lastTokenID = largest
            }
            if largest == lastTokenID { newTokens = [] } else { vocabularyComplete = false }
        }
        let settings = trainer.options.features
        var deltas = DocumentCountDeltas()
        var examples: [NewExample] = []
        for (analysis, item) in zip(analyses, batch) {
            let isSpam = item.isSpam ?? false
            if let earlier = labelsThisRun[analysis.digest], earlier != isSpam {
                report.conflicting.append(item.message.id)
                continue
            }
            labelsThisRun[analysis.digest] = isSpam
            let counts = try trainer.intern(
                analysis.tokens, vocabulary: &vocabulary, newTokens: &newTokens, lastID: &lastTokenID)
            examples.append(
                NewExample(
                    digest: analysis.digest, messageID: analysis.messageID, isSpam: isSpam, source: item.message.id,
                    extractor: settings.extractorVersion, counts: counts,
                    raw: trainer.keepRaw ? item.message.bytes : nil))
        }
        for (example, change) in zip(examples, try store.putExamples(examples, deltas: &deltas)) {
            record(change, digest: example.digest, counts: example.counts, isSpam: example.isSpam)
        }
        try store.applyDocumentCounts(deltas, newTokens: newTokens ?? [])
        if !vocabularyComplete { lastTokenID = try store.maxTokenID() }
    }

    /// Bulk training reads the whole vocabulary once; teaching a few messages looks tokens up one by one, so that
    /// it costs what the messages cost, not what the store holds. Also checks the extractor, once per run.
    private mutating func loadVocabulary(forBatchOf count: Int) throws {
        loaded = true
        vocabularyComplete = count >= 64
        vocabulary = Vocabulary(capacity: vocabularyComplete ? try store.vocabularySize() : 1024)
        if vocabularyComplete { try store.forEachToken { vocabulary.set($0, id: $1) } }
        lastTokenID = try store.maxTokenID()
        let extractor = trainer.options.features.extractorVersion
        if checksExtractor, let model = try store.currentModel(), model.extractor != extractor {
            throw StoreError.mixedFeatureSpaces(stored: model.extractor, current: extractor)
        }
    }

    private mutating func record(_ change: ExampleChange, digest: String, counts: [(Int32, Int)], isSpam: Bool) {
        switch change {
        case .added: report.added += 1
        case .relabeled: report.relabeled += 1
        case .unchanged:
            report.unchanged += 1
            return
        }
        changes += 1
        if changes > Trainer.inPlaceLimit { updates = nil }
        updates?.append(
            ExampleUpdate(digest: digest, counts: counts, before: change == .added ? nil : !isSpam, after: isSpam))
    }
}
