import ArgumentParser
import HamletKit
import Learning
import SpamStore

import Platform

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Hamlet on labelled mail (TREC spam-track index files), never touching your store.",
        discussion: """
            --train LIST --test LIST fits a model in a temporary store and scores the test list. \
            --online LIST scores each message in index order as filter does, then teaches it with its true label \
            through train's own code and learning policy (TREC immediate feedback). LIST holds lines `spam PATH` or `ham PATH`, PATH relative to the index's folder. \
            --test LIST --db STORE scores an existing store read-only (the one mode that takes --db). \
            --scores FILE writes id<TAB>gold<TAB>log-odds<TAB>verdict per scored message; --roc FILE.svg draws the \
            ROC curve; --target-fpr RATE prints the spam threshold that keeps ham misclassified at or under RATE.
            """)

    @Option(help: "Index of training messages.")
    var train: String?

    @Option(help: "Index of test messages (with --train).")
    var test: String?

    @Option(help: "Index to run on-line, in order: score each message, then learn it.")
    var online: String?

    @Option(help: "With --train alone: K-fold cross-validation inside the training list.")
    var folds: Int?

    @Option(help: "Write one line per scored message: id, gold, log-odds, verdict.")
    var scores: String?

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @Option(name: .customLong("db"), help: "With --test alone: score this existing store, read-only.")
    var db: String?

    @Option(help: "Draw the ROC curve of the scored messages to this SVG file.")
    var roc: String?

    @Option(
        name: .customLong("target-fpr"),
        help: "Print the threshold that keeps this share of ham (e.g. 0.001) from being called spam.")
    var targetFPR: Double?

    @Option(
        name: .customLong("refit-share"),
        help: ArgumentHelp("With --online: the learning policy's refit share (experiments).", visibility: .hidden))
    var refitShare: Double?

    @Option(
        name: .customLong("refit-always-up-to"),
        help: ArgumentHelp(
            "With --online: refit stores up to this size after every change (experiments).", visibility: .hidden))
    var refitAlwaysUpTo: Int?

    @OptionGroup var model: ModelOptionGroup
    @OptionGroup var jobs: JobsOption

    func validate() throws {
        if db != nil {
            if test == nil || train != nil || online != nil || folds != nil {
                throw ValidationError(
                    "--db goes with --test LIST alone: evaluate fits in a temporary store in every other mode")
            }
            return
        }
        if let targetFPR, !(targetFPR >= 0 && targetFPR < 1) {
            throw ValidationError("--target-fpr is a rate between 0 and 1")
        }
        if online != nil && (train != nil || test != nil) {
            throw ValidationError("use either --online LIST or --train LIST --test LIST")
        }
        if let folds {
            if folds < 2 { throw ValidationError("--folds must be at least 2") }
            if train == nil || test != nil || online != nil {
                throw ValidationError("--folds K goes with --train LIST alone")
            }
        } else if online == nil && (train == nil || test == nil) {
            throw ValidationError("give --train LIST --test LIST, --train LIST --folds K, or --online LIST")
        }
    }

    func run() throws {
        let configuration = try HamletConfiguration.load()
        let evaluator = Evaluator(
            options: model.apply(to: configuration.modelOptions), thresholds: configuration.thresholds,
            jobs: jobs.count)
        let result: EvaluationResult
        if let db {
            let store = try configuration.openStore(at: db, create: false, readOnly: true)
            result = try evaluator.score(try IndexFile(path: test!), store: store)
        } else if let folds {
            result = try evaluator.crossValidate(try IndexFile(path: train!), folds: folds)
        } else if let online {
            var policy = LearningPolicy()
            if let refitShare { policy.refitShare = refitShare }
            if let refitAlwaysUpTo { policy.refitAlwaysUpTo = refitAlwaysUpTo }
            result = try evaluator.online(try IndexFile(path: online), policy: policy)
        } else {
            result = try evaluator.trainTest(train: try IndexFile(path: train!), test: try IndexFile(path: test!))
        }
        if let scores { try writeScores(result.lines, to: scores) }
        let scored = result.lines.map { ScoredExample(isSpam: $0.isSpam, score: $0.logit, verdict: $0.verdict) }
        if let roc {
            try write(
                ROCPlot.svg(
                    scored,
                    title:
                        "Hamlet: \(result.mode), \((test ?? online ?? train ?? "").split(separator: "/").last.map(String.init) ?? "")"
                ), to: roc)
        }
        Output.write(format == .json ? Self.json(result) : Self.text(result))
        if let targetFPR, let threshold = EvaluationMetrics.threshold(forFalsePositiveRate: targetFPR, scored) {
            Output.line(
                "threshold for at most \(formatFixed(100 * targetFPR, decimals: 2))% ham called spam: log-odds "
                    + "\(formatFixed(threshold, decimals: 4)), p(spam) \(formatFixed(sigmoid(threshold), decimals: 6))"
            )
        }
        Output.flush()
    }

    private func writeScores(_ lines: [ScoreLine], to path: String) throws {
        try write(lines.map { $0.tsv + "\n" }.joined(), to: path)
    }

    private func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else {
            throw HamletError.io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        var text = text
        let written = text.withUTF8 { buffer in fwrite(buffer.baseAddress, 1, buffer.count, file) }
        let closed = fclose(file)
        if written != text.utf8.count || closed != 0 { throw HamletError.io("cannot write \(path)") }
    }

    static func percent(_ value: Double) -> String { formatFixed(100 * value, decimals: 2) + "%" }

    static func text(_ result: EvaluationResult) -> String {
        let m = result.metrics
        var rows: [(String, String)] = [
            ("mode", result.mode),
            ("messages", "\(m.n) (\(m.spam) spam, \(m.ham) ham)"),
            ("accuracy", percent(m.accuracy)),
            ("precision", percent(m.precision)),
            ("recall", percent(m.recall)),
            ("F1", formatFixed(m.f1, decimals: 4)),
            ("false positives", "\(m.falsePositives) (\(percent(m.falsePositiveRate)) of ham)"),
            ("false negatives", "\(m.falseNegatives) (\(percent(m.falseNegativeRate)) of spam, unsure included)"),
            ("unsure", "\(m.unsure)"),
            ("1-ROCA%", formatFixed(m.oneMinusROCAPercent, decimals: 4)),
            ("ROC area", formatFixed(m.rocArea, decimals: 6)),
            ("log loss", formatFixed(m.logLoss, decimals: 4) + " (= mean KL divergence from the true labels)"),
            (
                "hm%@sm=1%",
                formatFixed(m.hamMisclassifiedAtOnePercentSpamMissed, decimals: 4)
                    + " (ham called spam when 1% of spam gets through)"
            ),
            (
                "sm%@hm=0.1%",
                formatFixed(m.spamMissedAtTenthPercentHamMisclassified, decimals: 4)
                    + " (spam missed when 0.1% of ham is called spam)"
            ),
            (
                "confusion",
                "spam called spam \(m.truePositives), spam not \(m.falseNegatives), ham called spam \(m.falsePositives), ham not \(m.trueNegatives)"
            )
        ]
        if result.mode == "train-test" || result.mode == "store" {
            rows.insert(("trained on", "\(result.trainedExamples) messages"), at: 1)
        }
        if !result.lossPerEpoch.isEmpty {
            rows.append(
                (
                    "loss per epoch",
                    result.lossPerEpoch.map { formatFixed($0, decimals: 5) }.joined(separator: " ")
                        + (result.mode.hasSuffix("-fold") ? " (first fold)" : "")
                ))
        }
        if result.modelParameters > 0 { rows.append(("model size", "\(result.modelParameters) non-zero parameters")) }
        if result.mode == "online" {
            rows.append(("refits", "\(result.refits) of \(result.trainedExamples) trains fitted from every example"))
        }
        rows.append(("time", formatFixed(result.seconds, decimals: 2) + " s"))
        return rows.map { $0.0 + String(repeating: " ", count: max(1, 17 - $0.0.count)) + $0.1 }.joined(separator: "\n")
            + "\n"
    }

    static func json(_ result: EvaluationResult) -> String {
        let m = result.metrics
        let fields: [(String, String)] = [
            ("mode", jsonString(result.mode)), ("n", "\(m.n)"), ("spam", "\(m.spam)"), ("ham", "\(m.ham)"),
            ("accuracy", formatFixed(m.accuracy, decimals: 6)), ("precision", formatFixed(m.precision, decimals: 6)),
            ("recall", formatFixed(m.recall, decimals: 6)), ("f1", formatFixed(m.f1, decimals: 6)),
            ("false_positives", "\(m.falsePositives)"), ("false_negatives", "\(m.falseNegatives)"),
            ("false_positive_rate", formatFixed(m.falsePositiveRate, decimals: 6)),
            ("false_negative_rate", formatFixed(m.falseNegativeRate, decimals: 6)),
            ("unsure", "\(m.unsure)"), ("roc_area", formatFixed(m.rocArea, decimals: 8)),
            ("one_minus_roca_percent", formatFixed(m.oneMinusROCAPercent, decimals: 6)),
            ("log_loss", formatFixed(m.logLoss, decimals: 6)),
            ("mean_kl_divergence", formatFixed(m.logLoss, decimals: 6)),
            ("hm_pct_at_sm_1", formatFixed(m.hamMisclassifiedAtOnePercentSpamMissed, decimals: 6)),
            ("sm_pct_at_hm_0.1", formatFixed(m.spamMissedAtTenthPercentHamMisclassified, decimals: 6)),
            (
                "confusion",
                "{\"spam_as_spam\":\(m.truePositives),\"spam_as_other\":\(m.falseNegatives),\"ham_as_spam\":\(m.falsePositives),\"ham_as_other\":\(m.trueNegatives)}"
            ),
            (
                "loss_per_epoch",
                "[" + result.lossPerEpoch.map { formatFixed($0, decimals: 8) }.joined(separator: ",") + "]"
            ),
            ("model_parameters", "\(result.modelParameters)"),
            ("trained", "\(result.trainedExamples)"), ("refits", "\(result.refits)"),
            ("seconds", formatFixed(result.seconds, decimals: 3))
        ]
        return "{" + fields.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}\n"
    }
}

/// `evaluate`'s report formats (a score file is `--scores`, not a format).
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
