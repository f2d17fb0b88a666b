import Foundation
import HamletTestSupport
import SpamStore
import XCTest

@testable import HamletKit

/// Retention: the trainer expires examples past `store.keep_days` or beyond `store.keep_examples`, keeps the
/// document counts exact, and refits so that nothing of them stays in the model.
final class RetentionTests: XCTestCase {
    var folder: URL!
    var spam: String { TestSupport.sampleCorpus.appendingPathComponent("spam").path }
    var ham: String { TestSupport.sampleCorpus.appendingPathComponent("ham").path }

    override func setUpWithError() throws { folder = try TestSupport.temporaryDirectory("retention") }
    override func tearDown() { TestSupport.remove(folder) }

    /// The sample corpus trained into a new store, every example then dated `daysAgo` days back.
    private func store(learnedDaysAgo daysAgo: Int) throws -> SQLiteStore {
        let store = try SQLiteStore(path: folder.appendingPathComponent("hamlet.sqlite").path, create: true)
        _ = try Trainer(store: store, jobs: 2).train([
            LabeledPath(path: spam, isSpam: true), LabeledPath(path: ham, isSpam: false)
        ])
        try store.database.execute("UPDATE examples SET learned_at = learned_at - \(daysAgo * 86_400)")
        return store
    }

    private func freshMessage(_ name: String, subject: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(
            "From: a@example.org\nTo: b@example.org\nSubject: \(subject)\n\nA new message about \(subject).\n".utf8
        )
        .write(to: URL(fileURLWithPath: path))
        return path
    }

    func testExamplesPastTheAgeLimitExpireWithTheNextTrainAndTheModelIsRefitted() throws {
        let store = try store(learnedDaysAgo: 400)
        let modelBefore = try XCTUnwrap(try store.currentModel()).id
        var trainer = Trainer(store: store, jobs: 2)
        trainer.retention = Retention(maximumAgeDays: 365)
        let report = try trainer.train([LabeledPath(path: try freshMessage("new.eml", subject: "lunch"), isSpam: false)]
        )
        XCTAssertEqual(report.expired, 132)
        XCTAssertEqual(report.added, 1)
        XCTAssertEqual(report.hamExamples, 1)
        XCTAssertEqual(report.spamExamples, 0)
        XCTAssertEqual(report.learning?.action, .refit)
        XCTAssertNotEqual(report.modelID, modelBefore)
        XCTAssertEqual(try store.check(extractor: trainer.options.features.extractorVersion), [])
        // Nothing of the expired examples is left in the document counts either.
        let spamCounted = try store.database.prepare("SELECT count(*) FROM tokens WHERE spam_count > 0")
        XCTAssertTrue(try spamCounted.step())
        XCTAssertEqual(spamCounted.int(0), 0)
    }

    func testExpiryWaitsForASlackPastTheLimitThenTakesEverythingBeyondIt() throws {
        let store = try store(learnedDaysAgo: 370)
        var trainer = Trainer(store: store, jobs: 2)
        // 370 days is past 365 but within its slack (365 / 30 = 12 days): nothing is due yet.
        trainer.retention = Retention(maximumAgeDays: 365)
        XCTAssertEqual(try trainer.expire(), 0)
        // A limit of 357 days with its slack of 11 is passed: everything older than 357 days goes at once.
        trainer.retention = Retention(maximumAgeDays: 357)
        XCTAssertEqual(try trainer.expire(), 132)
    }

    func testAtMostTheNewestExamplesAreKept() throws {
        let store = try store(learnedDaysAgo: 2)
        // Date the spam older than the ham, so that the newest 66 are the ham.
        try store.database.execute("UPDATE examples SET learned_at = learned_at - 86400 WHERE is_spam = 1")
        var trainer = Trainer(store: store, jobs: 2)
        trainer.retention = Retention(maximumExamples: 66)
        let report = try trainer.train([LabeledPath(path: try freshMessage("new.eml", subject: "notes"), isSpam: false)]
        )
        XCTAssertEqual(report.expired, 67)
        XCTAssertEqual(report.spamExamples + report.hamExamples, 66)
        XCTAssertEqual(report.spamExamples, 0, "the oldest went first")
        XCTAssertEqual(try store.check(extractor: trainer.options.features.extractorVersion), [])
        // Within the slack (10 examples), the next run expires nothing.
        let next = try trainer.train([LabeledPath(path: try freshMessage("next.eml", subject: "plans"), isSpam: false)])
        XCTAssertEqual(next.expired, 0)
        XCTAssertEqual(next.hamExamples, 67)
    }

    func testWithoutLimitsNothingExpiresAndTheSettingsReadFromTheConfiguration() throws {
        let store = try store(learnedDaysAgo: 4000)
        XCTAssertEqual(try Trainer(store: store).expire(), 0)
        var configuration = HamletConfiguration()
        try configuration.set("store.keep_days", .number(90), source: "test")
        try configuration.set("store.keep_examples", .number(5000), source: "test")
        XCTAssertThrowsError(try configuration.set("store.keep_days", .number(-1), source: "test"))
        XCTAssertEqual(configuration.retention, Retention(maximumAgeDays: 90, maximumExamples: 5000))
        XCTAssertEqual(configuration.trainer(for: store).retention, configuration.retention)
    }
}
