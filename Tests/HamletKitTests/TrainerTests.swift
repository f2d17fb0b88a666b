import Foundation
import HamletTestSupport
import Learning
import MailParser
import SpamStore
import TextFeatures
import XCTest

@testable import HamletKit

final class TrainerTests: XCTestCase {
    var folder: URL!
    var storePath: String { folder.appendingPathComponent("hamlet.sqlite").path }
    var spam: String { TestSupport.sampleCorpus.appendingPathComponent("spam").path }
    var ham: String { TestSupport.sampleCorpus.appendingPathComponent("ham").path }

    override func setUpWithError() throws { folder = try TestSupport.temporaryDirectory("trainer") }
    override func tearDown() { TestSupport.remove(folder) }

    private func trainedStore() throws -> SQLiteStore {
        let store = try SQLiteStore(path: storePath, create: true)
        let report = try Trainer(store: store, jobs: 2).train([
            LabeledPath(path: spam, isSpam: true), LabeledPath(path: ham, isSpam: false)
        ])
        XCTAssertEqual(report.added, 132)
        XCTAssertTrue(report.fullFit)
        return store
    }

    func testTrainingTwiceCountsNothingTwiceAndTheOtherLabelMovesAMessage() throws {
        let store = try trainedStore()
        let again = try Trainer(store: store).train([LabeledPath(path: spam, isSpam: true)])
        XCTAssertEqual(again.added, 0)
        XCTAssertEqual(again.unchanged, 66)
        let one = TestSupport.sampleCorpus.appendingPathComponent("ham/ham-000.eml").path
        var inPlace = Trainer(store: store)
        inPlace.policy = LearningPolicy(refitAlwaysUpTo: 0, refitShare: 0.5)
        let moved = try inPlace.train([LabeledPath(path: one, isSpam: true)])
        XCTAssertEqual(moved.relabeled, 1)
        XCTAssertFalse(moved.fullFit)
        XCTAssertEqual(moved.learning?.action, .updateInPlace)
        XCTAssertEqual(moved.spamExamples, 67)
        XCTAssertEqual(moved.hamExamples, 65)
    }

    func testIncrementalTrainingMovesTheScoreOfTheTaughtMessage() throws {
        let store = try trainedStore()
        let one = TestSupport.sampleCorpus.appendingPathComponent("ham/ham-001.eml").path
        let before = try scoreOf(one, store: store)
        _ = try Trainer(store: store).train([LabeledPath(path: one, isSpam: true)])
        XCTAssertGreaterThan(try scoreOf(one, store: store), before)
    }

    func testInPlaceUpdatesLearnTheVectorThatScoringBuilds() throws {
        // An in-place update builds vectors from stored ids and counts, asking the store which ids are signs;
        // scoring builds them from the message's tokens. The log-odds the update records for the message it
        // learned must be exactly what scoring then computes, new tokens and signs included.
        let store = try trainedStore()
        let path = folder.appendingPathComponent("new.eml").path
        try Data(
            """
            From: Quentin Zarwell <quentin@zarwell-unique.example>\r
            Subject: Zarwellian prize for you\r
            Content-Type: text/html\r
            \r
            <p>Claim your ZARWELLIAN prize now!!! <a href="http://prize.zarwell-unique.example/x">here</a></p>\r

            """.utf8
        ).write(to: URL(fileURLWithPath: path))
        let settings = FeatureSettings()
        let analysis = MessageAnalysis(
            SourcedMessage(id: path, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path)))),
            settings: settings)
        XCTAssertTrue(analysis.tokens.tokens.contains { TokenKind.of($0.token) == .sign })
        XCTAssertTrue(analysis.tokens.tokens.contains { TokenKind.of($0.token) == .word })
        let before = try scoreOf(path, store: store)
        var trainer = Trainer(store: store)
        trainer.policy = LearningPolicy(refitAlwaysUpTo: 0, refitShare: 0.5)
        let report = try trainer.train([LabeledPath(path: path, isSpam: true)])
        XCTAssertEqual(report.learning?.action, .updateInPlace)
        let recorded = try XCTUnwrap(try store.read { try store.fitLogit(digest: analysis.digest) })
        let scored = try SingleMessageScorer.score(analysis.tokens, store: store).logit
        XCTAssertEqual(recorded, scored, accuracy: 1e-9)
        XCTAssertGreaterThan(scored, before)
    }

    private func scoreOf(_ path: String, store: SQLiteStore) throws -> Double {
        var result = 0.0
        try BulkClassifier(snapshot: try ModelSnapshot.load(from: store)).classify([path]) { result = $0.logit }
        return result
    }

    func testSampleCorpusIsClassifiedCorrectlyAndSingleMessageScoringMatchesBulk() throws {
        let store = try trainedStore()
        let classifier = BulkClassifier(snapshot: try ModelSnapshot.load(from: store), jobs: 2)
        var results: [Classification] = []
        try classifier.classify([spam, ham]) { results.append($0) }
        XCTAssertEqual(results.count, 132)
        XCTAssertEqual(results.prefix(66).filter { $0.verdict == .spam }.count, 66)
        XCTAssertEqual(results.suffix(66).filter { $0.verdict == .ham }.count, 66)
        // Input order is kept.
        XCTAssertEqual(results.map(\.id), results.prefix(66).map(\.id).sorted() + results.suffix(66).map(\.id).sorted())
        XCTAssertTrue(results[0].id.hasSuffix("spam/spam-000.eml"))
        for result in results.prefix(5) + results.suffix(5) {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: result.id)))
            let analysis = MessageAnalysis(SourcedMessage(id: result.id, bytes: bytes), settings: FeatureSettings())
            let single = try SingleMessageScorer.score(analysis.tokens, store: store)
            XCTAssertEqual(single.logit, result.logit, "\(result.id)")
        }
    }

    func testResultsAreTheSameForEveryJobCount() throws {
        let store = try trainedStore()
        let snapshot = try ModelSnapshot.load(from: store)
        var one: [Classification] = [], two: [Classification] = []
        try BulkClassifier(snapshot: snapshot, jobs: 1).classify([ham]) { one.append($0) }
        try BulkClassifier(snapshot: snapshot, jobs: 3).classify([ham]) { two.append($0) }
        XCTAssertEqual(one, two)
    }

    func testFullFitDependsOnlyOnTheExamplesNotTheirOrder() throws {
        let a = try trainedStore()
        let other = folder.appendingPathComponent("other.sqlite").path
        let b = try SQLiteStore(path: other, create: true)
        _ = try Trainer(store: b, jobs: 1).train([
            LabeledPath(path: ham, isSpam: false), LabeledPath(path: spam, isSpam: true)
        ])
        var scoresA: [Double] = [], scoresB: [Double] = []
        try BulkClassifier(snapshot: try ModelSnapshot.load(from: a)).classify([ham]) { scoresA.append($0.logit) }
        try BulkClassifier(snapshot: try ModelSnapshot.load(from: b)).classify([ham]) { scoresB.append($0.logit) }
        // Token ids differ between the two stores, so sums may round differently in the last bits.
        for (x, y) in zip(scoresA, scoresB) { XCTAssertEqual(x, y, accuracy: 1e-9) }
    }

    func testEveryModelKindIsSavedAndLoadedToTheSameScoresWhateverTheStorageOrder() throws {
        for kind in Learning.ModelKind.allCases {
            var options = ModelOptions()
            options.training.model = kind
            options.training.hidden = [4]
            options.training.epochs = 5
            let a = try SQLiteStore(path: folder.appendingPathComponent("a-\(kind).sqlite").path, create: true)
            let b = try SQLiteStore(path: folder.appendingPathComponent("b-\(kind).sqlite").path, create: true)
            _ = try Trainer(store: a, options: options, jobs: 2).train([
                LabeledPath(path: spam, isSpam: true), LabeledPath(path: ham, isSpam: false)
            ])
            _ = try Trainer(store: b, options: options, jobs: 1).train([
                LabeledPath(path: ham, isSpam: false), LabeledPath(path: spam, isSpam: true)
            ])
            XCTAssertEqual(try a.read { try a.currentModel()?.kind }, kind.rawValue)
            let snapshotA = try ModelSnapshot.load(from: a), snapshotB = try ModelSnapshot.load(from: b)
            var scoresA: [Classification] = [], scoresB: [Classification] = []
            try BulkClassifier(snapshot: snapshotA, jobs: 2).classify([spam, ham]) { scoresA.append($0) }
            try BulkClassifier(snapshot: snapshotB, jobs: 2).classify([spam, ham]) { scoresB.append($0) }
            XCTAssertEqual(scoresA.prefix(66).filter { $0.verdict == .spam }.count, 66, "\(kind)")
            for (x, y) in zip(scoresA, scoresB) { XCTAssertEqual(x.logit, y.logit, accuracy: 1e-9, "\(kind) \(x.id)") }
            for result in scoresA.prefix(3) + scoresA.suffix(3) {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: result.id)))
                let analysis = MessageAnalysis(SourcedMessage(id: result.id, bytes: bytes), settings: FeatureSettings())
                // The model as fitted in memory gave this score; the stored and reloaded one gives the same.
                let fitted = try a.read { try a.fitLogit(digest: analysis.digest) }
                XCTAssertEqual(fitted ?? .nan, result.logit, accuracy: 1e-9, "\(kind)")
                // The delivery path reads only the message's own rows and gives the same bits as the bulk path.
                XCTAssertEqual(
                    try SingleMessageScorer.score(analysis.tokens, store: a, base: options).logit, result.logit,
                    "\(kind)")
            }
            // Incremental learning and relabelling continue the stored kind.
            let one = TestSupport.sampleCorpus.appendingPathComponent("ham/ham-002.eml").path
            let before = try scoreOf(one, store: a)
            _ = try Trainer(store: a).train([LabeledPath(path: one, isSpam: true)])
            XCTAssertGreaterThan(try scoreOf(one, store: a), before, "\(kind)")
            XCTAssertEqual(try a.read { try a.currentModel()?.kind }, kind.rawValue)
        }
    }

    func testAMessageGivenWithBothLabelsInOneRunKeepsTheFirst() throws {
        let store = try SQLiteStore(path: storePath, create: true)
        let report = try Trainer(store: store).train([
            LabeledPath(path: spam, isSpam: true), LabeledPath(path: spam, isSpam: false)
        ])
        XCTAssertEqual(report.added, 66)
        XCTAssertEqual(report.conflicting.count, 66)
        XCTAssertEqual(report.spamExamples, 66)
        XCTAssertEqual(report.hamExamples, 0)
    }

    func testMissingPathFailsBeforeAnythingIsStored() throws {
        let store = try SQLiteStore(path: storePath, create: true)
        XCTAssertThrowsError(
            try Trainer(store: store).train([
                LabeledPath(path: spam, isSpam: true),
                LabeledPath(path: "/no/such/folder", isSpam: false)
            ]))
        XCTAssertEqual(try store.exampleCounts().spam, 0)
    }
}

extension TrainerTests {
    /// A store trained with its messages kept, and a trainer of a later Hamlet that extracts differently (here:
    /// without the extra header tokens).
    private func storeAndLaterExtractor() throws -> (SQLiteStore, Trainer, ModelOptions) {
        let store = try SQLiteStore(path: storePath, create: true)
        var trainer = Trainer(store: store, jobs: 2)
        trainer.keepRaw = true
        _ = try trainer.train([LabeledPath(path: spam, isSpam: true), LabeledPath(path: ham, isSpam: false)])
        var upgraded = ModelOptions()
        upgraded.features.families.headers = false
        return (store, Trainer(store: store, options: upgraded, jobs: 2), upgraded)
    }

    func testReextractRebuildsFeaturesAfterTheExtractorChanges() throws {
        let (store, later, upgraded) = try storeAndLaterExtractor()
        var report = TrainReport()
        XCTAssertThrowsError(try later.fit(into: &report)) { error in
            XCTAssertTrue("\(error)".contains("reextract"), "\(error)")
        }
        let (changed, remaining) = try later.reextract()
        XCTAssertEqual(changed, 132)
        XCTAssertEqual(remaining, 0)
        try later.fit(into: &report)
        XCTAssertNotNil(report.modelID)
        XCTAssertEqual(try store.check(extractor: upgraded.features.extractorVersion), [])
    }

    /// A reextract killed between rewriting the examples and refitting left a store that could
    /// not score, and a second reextract said "re-extracted 0" and stopped. The next run now finishes the job.
    func testAReextractKilledBeforeItsFitIsFinishedByTheNextOne() throws {
        let (store, later, upgraded) = try storeAndLaterExtractor()
        XCTAssertEqual(try later.reextract().changed, 132)  // ... and killed here, before its fit
        XCTAssertNotEqual(try store.check(extractor: upgraded.features.extractorVersion), [])
        let again = try later.reextractAndRefit()
        XCTAssertEqual(again.changed, 0)
        XCTAssertNotNil(again.modelID)
        XCTAssertEqual(try store.check(extractor: upgraded.features.extractorVersion), [])
        XCTAssertNil(try later.reextractAndRefit().modelID, "nothing left to do: no new model version")
    }
}

/// What train does about the model when examples changed but the model did not follow, and when nothing changed.
final class LearningStateTests: XCTestCase {
    var folder: URL!
    override func setUpWithError() throws { folder = try TestSupport.temporaryDirectory("learning-state") }
    override func tearDown() { TestSupport.remove(folder) }

    func testExamplesStoredWithoutAFitLeaveAStaleModelThatTheNextTrainRefits() throws {
        let store = try SQLiteStore(path: folder.appendingPathComponent("s.sqlite").path, create: true)
        let corpus = TestSupport.sampleCorpus
        let first = try Trainer(store: store).train([
            LabeledPath(path: corpus.appendingPathComponent("spam").path, isSpam: true),
            LabeledPath(path: corpus.appendingPathComponent("ham").path, isSpam: false)
        ])
        let model = try XCTUnwrap(first.modelID)
        // As a train killed between committing its examples and fitting leaves the store.
        try store.write {
            var deltas = DocumentCountDeltas()
            _ = try store.putExample(
                digest: String(repeating: "ab", count: 32), messageID: nil, isSpam: true, source: nil,
                extractor: FeatureSettings().extractorVersion, counts: [(1, 1)], deltas: &deltas)
            try store.applyDocumentCounts(deltas)
        }
        XCTAssertEqual(try store.statistics().changesNotLearned, 1)
        // Nothing new in this run, but the model is stale: it is refitted, and then in step.
        let again = try Trainer(store: store).train([
            LabeledPath(path: corpus.appendingPathComponent("spam").path, isSpam: true)
        ])
        XCTAssertEqual(again.added, 0)
        XCTAssertEqual(again.learning?.action, .refit)
        XCTAssertNotEqual(again.modelID, model)
        XCTAssertEqual(try store.statistics().changesNotLearned, 0)
        // Nothing changed and nothing stale: no new model version.
        let nothing = try Trainer(store: store).train([
            LabeledPath(path: corpus.appendingPathComponent("spam").path, isSpam: true)
        ])
        XCTAssertEqual(nothing.learning?.action, .nothing)
        XCTAssertEqual(nothing.modelID, again.modelID)
    }
}
