import Learning
import MailParser
import SpamStore
import TextFeatures

import Platform

/// One line of a score file: `id<TAB>gold<TAB>log-odds<TAB>verdict`.
public struct ScoreLine: Sendable, Equatable {
    public var id: String
    public var isSpam: Bool
    public var logit: Double
    public var verdict: Verdict

    public var tsv: String {
        "\(id)\t\(isSpam ? "spam" : "ham")\t\(formatFixed(logit, decimals: 6))\t\(verdict.rawValue)"
    }
}

/// What `hamlet evaluate` measured.
public struct EvaluationResult: Sendable {
    public var mode: String
    public var metrics: EvaluationMetrics
    public var lines: [ScoreLine]
    public var trainedExamples: Int
    public var lossPerEpoch: [Double]
    public var seconds: Double
    /// Non-zero parameters of the (largest) model fitted, for size comparisons; 0 when not measured.
    public var modelParameters: Int = 0
    /// On-line runs: how many of the trains refitted from every example.
    public var refits: Int = 0
}

/// Measures Hamlet the TREC way, never touching the user's store: `trainTest` fits in a temporary store and
/// scores a test list; `online` scores each message of an index in order and then teaches it with its true
/// label through `train`'s own code and learning policy.
public struct Evaluator {
    public var options: ModelOptions
    public var thresholds: Thresholds
    public var jobs: Int

    public init(
        options: ModelOptions = ModelOptions(), thresholds: Thresholds = .standard, jobs: Int = availableProcessors()
    ) {
        self.options = options
        self.thresholds = thresholds
        self.jobs = jobs
    }

    public func trainTest(train: IndexFile, test: IndexFile) throws -> EvaluationResult {
        let start = monotonicSeconds()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try StoreOpener.scratch(in: folder.path, name: "evaluate")
        let trainer = Trainer(store: store, options: options, jobs: jobs)
        let report = try trainer.train(
            train.entries.map { LabeledPath(path: $0.resolvedPath, isSpam: $0.isSpam) }, fullFit: true)
        let classifier = BulkClassifier(
            snapshot: try ModelSnapshot.load(from: store), verdicts: try verdicts(for: store), jobs: jobs)
        var lines: [ScoreLine] = []
        lines.reserveCapacity(test.entries.count)
        try forEachMessageBatch(test) { entries, messages in
            for (entry, result) in zip(entries, classifier.classify(messages)) {
                lines.append(
                    ScoreLine(id: entry.path, isSpam: entry.isSpam, logit: result.logit, verdict: result.verdict))
            }
        }
        return EvaluationResult(
            mode: "train-test", metrics: metrics(lines), lines: lines,
            trainedExamples: report.added + report.relabeled + report.unchanged,
            lossPerEpoch: report.lossPerEpoch, seconds: monotonicSeconds() - start,
            modelParameters: classifier.snapshot.model.nonZeroParameterCount)
    }

    /// Scores a test list with an existing store's current model, read-only (the store is not changed).
    public func score(_ test: IndexFile, store: any HamletStore) throws -> EvaluationResult {
        let start = monotonicSeconds()
        let snapshot = try ModelSnapshot.load(from: store, base: options)
        let classifier = BulkClassifier(snapshot: snapshot, verdicts: try verdicts(for: store), jobs: jobs)
        var lines: [ScoreLine] = []
        try forEachMessageBatch(test) { entries, messages in
            for (entry, result) in zip(entries, classifier.classify(messages)) {
                lines.append(
                    ScoreLine(id: entry.path, isSpam: entry.isSpam, logit: result.logit, verdict: result.verdict))
            }
        }
        let trained = try store.read { try store.exampleCounts() }
        return EvaluationResult(
            mode: "store", metrics: metrics(lines), lines: lines, trainedExamples: trained.spam + trained.ham,
            lossPerEpoch: [], seconds: monotonicSeconds() - start)
    }

    /// On-line learning exactly as a store is used: in a temporary store, each message of the index in order is
    /// scored the way `filter` scores it (its own tokens' weights, read from the store; nothing called spam before
    /// the store holds 10 of each label), then taught to the store with its true label by `Trainer.train`, the code
    /// `hamlet train -` runs, learning policy included. Before the first model exists a message scores 0 log-odds. `policy` overrides the trainer's, for comparisons.
    public func online(_ index: IndexFile, policy: LearningPolicy? = nil) throws -> EvaluationResult {
        let start = monotonicSeconds()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try StoreOpener.scratch(in: folder.path, name: "online")
        let settings = options.features
        var trainer = Trainer(store: store, options: options, jobs: 1)
        if let policy { trainer.policy = policy }
        var lines: [ScoreLine] = []
        lines.reserveCapacity(index.entries.count)
        var refits = 0
        try forEachMessageBatch(index) { entries, messages in
            let analyses = ParallelMap.map(messages, jobs: jobs) {
                MessageAnalysis($0, settings: settings, withDigest: false)
            }
            for (entry, analysis) in zip(entries, analyses) {
                var result: Classification
                do {
                    let score = try SingleMessageScorer.score(
                        analysis.tokens, store: store, base: options,
                        countingExamplesUpTo: thresholds.examplesCounted)
                    result = Classification(
                        id: entry.path, logit: score.logit,
                        verdicts: StoreVerdicts(
                            thresholds, spamExamples: score.spamExamples, hamExamples: score.hamExamples))
                } catch HamletError.noModel {
                    result = Classification(
                        id: entry.path, logit: 0, verdicts: StoreVerdicts(thresholds, spamExamples: 0, hamExamples: 0))
                }
                lines.append(
                    ScoreLine(id: entry.path, isSpam: entry.isSpam, logit: result.logit, verdict: result.verdict))
                let report = try trainer.train([LabeledPath(path: entry.resolvedPath, isSpam: entry.isSpam)])
                if report.learning?.action == .refit { refits += 1 }
            }
        }
        let parameters = try ModelSnapshot.load(from: store, base: options).model.nonZeroParameterCount
        var result = EvaluationResult(
            mode: "online", metrics: metrics(lines), lines: lines, trainedExamples: lines.count,
            lossPerEpoch: [], seconds: monotonicSeconds() - start, modelParameters: parameters)
        result.refits = refits
        return result
    }

    /// K-fold cross-validation inside one list: messages are split into `folds` seeded folds; each fold is scored
    /// by a model fitted on the others; the scores of all folds are pooled.
    public func crossValidate(_ index: IndexFile, folds: Int) throws -> EvaluationResult {
        let start = monotonicSeconds()
        let settings = options.features
        var analyses: [MessageAnalysis] = []
        var entries: [IndexFile.Entry] = []
        try forEachMessageBatch(index) { batchEntries, messages in
            analyses += ParallelMap.map(messages, jobs: jobs) { MessageAnalysis($0, settings: settings) }
            entries += batchEntries
        }
        // Sorted by digest, as a store would hand them to a fit.
        let order = analyses.indices.sorted { analyses[$0].digest < analyses[$1].digest }
        var vocabulary = Vocabulary()
        var examples: [LabeledExample] = []
        for i in order {
            // Tokens numbered in byte order, as a store's fit numbers them.
            for (token, _) in analyses[i].tokens.tokens.sorted(by: {
                $0.token.utf8.lexicographicallyPrecedes($1.token.utf8)
            })
            where vocabulary[token] == nil {
                vocabulary.set(token, id: Int32(vocabulary.count))
            }
            examples.append(
                LabeledExample(
                    features: settings.vector(bag: analyses[i].tokens, vocabulary: vocabulary),
                    isSpam: entries[i].isSpam))
        }
        var assignment = Array(0..<examples.count)
        var random = SeededRandom(seed: options.training.seed &+ 0x5EED)
        random.shuffle(&assignment)
        var fold = [Int](repeating: 0, count: examples.count)
        for (position, exampleIndex) in assignment.enumerated() { fold[exampleIndex] = position % folds }
        var lines: [ScoreLine] = []
        var lossPerEpoch: [Double] = []
        var parameters = 0
        for k in 0..<folds {
            let training = examples.indices.filter { fold[$0] != k }.map { examples[$0] }
            let (fitted, report) = ModelFitting.fit(
                training, featureCount: vocabulary.count, options: options.training, jobs: jobs)
            let model = fitted.model
            if k == 0 { lossPerEpoch = report.lossPerEpoch }
            parameters = max(parameters, model.nonZeroParameterCount)
            let verdicts = StoreVerdicts(
                thresholds, spamExamples: training.count { $0.isSpam }, hamExamples: training.count { !$0.isSpam })
            for i in examples.indices where fold[i] == k {
                let logit = model.logit(examples[i].features)
                lines.append(
                    ScoreLine(
                        id: entries[order[i]].path, isSpam: examples[i].isSpam, logit: logit,
                        verdict: verdicts.verdict(probability: sigmoid(logit))))
            }
        }
        return EvaluationResult(
            mode: "\(folds)-fold", metrics: metrics(lines), lines: lines, trainedExamples: examples.count,
            lossPerEpoch: lossPerEpoch, seconds: monotonicSeconds() - start, modelParameters: parameters)
    }

    /// The verdict rule `filter` would apply with `store`.
    private func verdicts(for store: any HamletStore) throws -> StoreVerdicts {
        let counts = try store.read { try store.exampleCounts() }
        return StoreVerdicts(thresholds, spamExamples: counts.spam, hamExamples: counts.ham)
    }

    private func metrics(_ lines: [ScoreLine]) -> EvaluationMetrics {
        EvaluationMetrics(lines.map { ScoredExample(isSpam: $0.isSpam, score: $0.logit, verdict: $0.verdict) })
    }

    /// Reads an index's messages in batches; each entry is one message file.
    private func forEachMessageBatch(_ index: IndexFile, _ body: ([IndexFile.Entry], [SourcedMessage]) throws -> Void)
        throws
    {
        let batchSize = MessageBatches.defaultSize
        var start = 0
        while start < index.entries.count {
            let entries = Array(index.entries[start..<min(index.entries.count, start + batchSize)])
            var messages: [SourcedMessage] = []
            for entry in entries {
                let bytes = try Mailbox.first(entry.resolvedPath)?.bytes
                messages.append(SourcedMessage(id: entry.path, bytes: bytes ?? []))
            }
            try body(entries, messages)
            start += batchSize
        }
    }
}
