import Foundation
import HamletKit
import HamletTestSupport
import MailParser
import PostgresStore
import SpamStore
import XCTest

/// The same work through the trainer on an SQLite store and on a PostgreSQL store must leave the same examples
/// (identical exports), the same models (identical log-odds for every message) and a clean `check`.
final class BothBackendsTests: XCTestCase {
    var server: PrivatePostgres!
    var folder: URL!
    let spam = TestSupport.sampleCorpus.appendingPathComponent("spam").path
    let ham = TestSupport.sampleCorpus.appendingPathComponent("ham").path

    override func setUpWithError() throws {
        server = try privatePostgres()
        folder = try TestSupport.temporaryDirectory("both-backends")
    }

    override func tearDown() {
        server?.stop()
        server = nil
        if let folder { TestSupport.remove(folder) }
    }

    func postgres(_ owner: String) throws -> PostgresStore {
        try PostgresStore(location: try PostgresLocation(parsing: server.url), owner: owner)
    }

    func sqlite(_ name: String) throws -> SQLiteStore {
        try SQLiteStore(path: folder.appendingPathComponent(name).path, create: true)
    }

    /// Dates every example alike: training stamps the current second, which two stores trained one after the other
    /// need not share.
    func fixDates(_ stores: [any HamletStore]) throws {
        for store in stores {
            if let file = store as? SQLiteStore {
                try file.database.execute("UPDATE examples SET learned_at = 1700000000")
            } else if let server = store as? PostgresStore {
                try server.session.query(
                    "UPDATE hamlet_examples SET learned_at = 1700000000 WHERE owner = \(server.owner)")
            }
        }
    }

    func export(_ store: any HamletStore) throws -> [String] {
        var lines: [String] = []
        try store.export { lines.append($0) }
        return lines
    }

    /// Every sample message's log-odds under the store's current model.
    func logits(_ store: any HamletStore) throws -> [Double] {
        let snapshot = try ModelSnapshot.load(from: store)
        let settings = ModelOptions().features
        return try TestSupport.sample(of: TestSupport.sampleCorpus, every: 1).map { url in
            let bytes = Array(try Data(contentsOf: url))
            return snapshot.logit(
                MessageAnalysis(SourcedMessage(id: url.path, bytes: bytes), settings: settings).tokens)
        }
    }

    /// `renumbered`: the stores gave the tokens different ids (a copy), and a message's log-odds are summed in id
    /// order, so they agree to rounding rather than to the bit.
    func assertSame(_ a: any HamletStore, _ b: any HamletStore, _ step: String, renumbered: Bool = false) throws {
        XCTAssertEqual(try export(a), try export(b), step)
        if renumbered {
            for (x, y) in zip(try logits(a), try logits(b)) { XCTAssertEqual(x, y, accuracy: 1e-12, step) }
        } else {
            XCTAssertEqual(try logits(a), try logits(b), step)
        }
        let extractor = ModelOptions().features.extractorVersion
        XCTAssertEqual(try a.check(extractor: extractor), [], step)
        XCTAssertEqual(try b.check(extractor: extractor), [], step)
        XCTAssertEqual(try a.read { try a.exampleChanges() }, try b.read { try b.exampleChanges() }, step)
    }

    func testTrainingCorrectingAndForgettingGiveTheSameStoreOnBothBackends() throws {
        let stores: [any HamletStore] = [try sqlite("a.sqlite"), try postgres("alice")]
        for store in stores {
            let report = try Trainer(store: store, jobs: 2).train([
                LabeledPath(path: spam, isSpam: true), LabeledPath(path: ham, isSpam: false)
            ])
            XCTAssertEqual(report.added, 132)
        }
        try fixDates(stores)
        try assertSame(stores[0], stores[1], "after training")
        let one = TestSupport.sampleCorpus.appendingPathComponent("ham/ham-003.eml").path
        let other = TestSupport.sampleCorpus.appendingPathComponent("spam/spam-005.eml").path
        for store in stores {
            var trainer = Trainer(store: store)
            trainer.policy = LearningPolicy(refitAlwaysUpTo: 0, refitShare: 0.5)
            let resolver = MessageResolver(store: store, settings: trainer.options.features)
            let moved = try trainer.relabel(try resolver.resolve([one]), asSpam: true)
            XCTAssertEqual(moved.learning?.action, .updateInPlace)
            _ = try trainer.forget(try resolver.resolve([other]))
        }
        try fixDates(stores)
        try assertSame(stores[0], stores[1], "after a relabel learned in place and a forget")
    }

    func testCopiesBetweenBackendsLoseNothing() throws {
        let original = try sqlite("original.sqlite")
        _ = try Trainer(store: original, jobs: 2).train([
            LabeledPath(path: spam, isSpam: true), LabeledPath(path: ham, isSpam: false)
        ])
        let onServer = try postgres("copied")
        XCTAssertEqual(try StoreCopy.copy(from: original, to: onServer).examples, 132)
        let back = try sqlite("back.sqlite")
        XCTAssertEqual(try StoreCopy.copy(from: onServer, to: back).examples, 132)
        try assertSame(original, onServer, "SQLite to PostgreSQL", renumbered: true)
        try assertSame(original, back, "and back to SQLite", renumbered: true)
    }

    func testRetentionExpiresOnTheServerAsInTheFile() throws {
        let stores: [any HamletStore] = [try sqlite("r.sqlite"), try postgres("retained")]
        for store in stores {
            _ = try Trainer(store: store, jobs: 2).train([
                LabeledPath(path: spam, isSpam: true), LabeledPath(path: ham, isSpam: false)
            ])
            try fixDates([store])
            var trainer = Trainer(store: store)
            trainer.retention = Retention(maximumExamples: 40)
            XCTAssertEqual(try trainer.expire(), 92)
            var report = TrainReport()
            try trainer.fit(into: &report)
        }
        try assertSame(stores[0], stores[1], "after expiry")
    }
}
