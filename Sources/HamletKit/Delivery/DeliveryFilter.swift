import Learning
import MailParser
import SpamStore
import TextFeatures

/// What `hamlet filter` writes and how it exits.
public struct FilterOutcome {
    /// The bytes for stdout; nil means write nothing (a temporary failure the mail system will retry).
    public var output: [UInt8]?
    public var status: Int32
    public var classification: Classification?
    /// Why the message was passed through unchanged, if it was.
    public var error: Error?
}

/// The delivery-path contract: score one message and return it with Hamlet's header fields, or, on any internal
/// error, the message unchanged (or nothing, with `tempfail`). Exit statuses:
///
/// | mode | spam | ham | unsure | internal error |
/// |---|---|---|---|---|
/// | pass-through (default) | 0 | 0 | 0 | 0, message unchanged; with tempfail: 75 and nothing written |
/// | exit-code | 0 | 1 | 2 | 3; with tempfail: 75 |
public struct DeliveryFilter {
    public static let temporaryFailure: Int32 = 75

    public var configuration: HamletConfiguration
    public var storePath: String

    public init(configuration: HamletConfiguration, storePath: String) {
        self.configuration = configuration
        self.storePath = storePath
    }

    /// Scores `input` by reading only its own tokens' rows from the store (one process per message).
    public func run(_ input: [UInt8]) -> FilterOutcome {
        let store: any HamletStore
        do {
            store = try configuration.openStore(at: storePath, create: false, readOnly: true)
            store.skipMaintenanceOnClose()
        } catch {
            return Self.failure(input, error: error, mode: configuration.exitMode, tempfail: configuration.tempfail)
        }
        let base = configuration.modelOptions, limits = configuration.thresholds.examplesCounted
        return run(input) { try SingleMessageScorer.score($0, store: store, base: base, countingExamplesUpTo: limits) }
    }

    /// The filter's contract with the scoring supplied by the caller (the daemon scores with a model it holds in
    /// memory): `score` gives the message's tokens their log-odds and the store's example counts.
    public func run(_ input: [UInt8], score scoring: (TokenBag) throws -> SingleMessageScore) -> FilterOutcome {
        let start = monotonicSeconds()
        do {
            let settings = configuration.modelOptions.features
            // The digest only names a message without a Message-ID (in the verdict log).
            let analysis = MessageAnalysis(SourcedMessage(id: "-", bytes: input), settings: settings, withDigest: false)
            let score = try scoring(analysis.tokens)
            let id = analysis.messageID ?? "sha256:" + settings.digest.digest(of: input)
            let result = Classification(
                id: id, logit: score.logit,
                verdicts: StoreVerdicts(
                    configuration.thresholds, spamExamples: score.spamExamples, hamExamples: score.hamExamples))
            var note: String? = nil
            if result.inTraining {
                note =
                    "in training (\(score.spamExamples) spam, \(score.hamExamples) ham; calls nothing spam before "
                    + "\(StoreVerdicts.minimumExamplesPerLabel) of each)"
            }
            let fields = headers(for: result, modelID: score.modelID, note: note)
            let owned = Set(configuration.headerNames.all.map { $0.lowercased() })
            let output = FilterRewriter.rewrite(
                input, adding: fields, removing: { FilterRewriter.isHamletField($0) || owned.contains($0) },
                subjectTag: result.verdict == .spam ? configuration.subjectTag : nil)
            if let log = configuration.verdictLog {
                try? VerdictLog(destination: log).record(
                    messageID: result.id, verdict: result.verdict.rawValue,
                    probability: result.probability,
                    milliseconds: (monotonicSeconds() - start) * 1000)
            }
            return FilterOutcome(
                output: output, status: status(for: result.verdict), classification: result, error: nil)
        } catch {
            return Self.failure(input, error: error, mode: configuration.exitMode, tempfail: configuration.tempfail)
        }
    }

    /// The outcome of an internal error (also used for usage and configuration errors).
    public static func failure(_ input: [UInt8], error: Error, mode: FilterExitMode, tempfail: Bool) -> FilterOutcome {
        if tempfail { return FilterOutcome(output: nil, status: temporaryFailure, classification: nil, error: error) }
        return FilterOutcome(output: input, status: mode == .exitCode ? 3 : 0, classification: nil, error: error)
    }

    func status(for verdict: Verdict) -> Int32 {
        guard configuration.exitMode == .exitCode else { return 0 }
        switch verdict {
        case .spam: return 0
        case .ham: return 1
        case .unsure: return 2
        }
    }

    func headers(for result: Classification, modelID: Int64, note: String?) -> [(name: String, value: String)] {
        let names = configuration.headerNames
        let isSpam = result.verdict == .spam
        let p = formatFixed(result.probability, decimals: 3)
        var verdict =
            "\(result.verdict.rawValue); p=\(p); threshold=\(formatFixed(result.spamThreshold, decimals: 3)); "
            + "log-odds=\(formatFixed(result.logit, decimals: 4)); model=\(modelID)"
        if let note { verdict += "; note=\(note)" }
        let score = SpamAssassinScore(result)
        let status =
            "\(isSpam ? "Yes" : "No"), score=\(score.text) required=\(SpamAssassinScore.requiredText)"
            + " tests=HAMLET_\(result.verdict.rawValue.uppercased()) autolearn=no version=\(HamletInfo.version)-hamlet"
        return [
            (names.flag, isSpam ? "YES" : "NO"), (names.status, status), (names.level, score.stars),
            (names.verdict, verdict)
        ]
    }
}
