import HamletTestSupport
import Foundation
import PostgresStore
import SpamStore
import XCTest

/// The PostgreSQL store's vocabulary and examples against a real server, with the SQLite store's meaning.
final class PostgresStoreTests: XCTestCase {
    var server: PrivatePostgres!

    override func setUpWithError() throws {
        server = try privatePostgres()
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    func store(_ owner: String) throws -> PostgresStore {
        try PostgresStore(location: try PostgresLocation(parsing: server.url), owner: owner)
    }

    let digestA = String(repeating: "a", count: 64)
    let digestB = String(repeating: "b", count: 64)

    func testTheVocabularyGrowsByIdsInOrderAndCountsDocuments() throws {
        let store = try store("alice")
        let (first, again, second) = try store.write {
            (try store.insertToken("viagra"), try store.insertToken("viagra"), try store.insertToken("lunch"))
        }
        XCTAssertEqual([first, again, second], [1, 1, 2])
        var deltas = DocumentCountDeltas()
        deltas.add([(1, 2), (2, 1), (3, 1), (4, 1)], spam: 1, ham: 0)
        deltas.add([(2, 1)], spam: 0, ham: 1)
        try store.write {
            try store.applyDocumentCounts(deltas, newTokens: [(token: "meeting", id: 3), (token: "€uros", id: 4)])
        }
        try store.read {
            XCTAssertEqual(try store.vocabulary(), ["viagra": 1, "lunch": 2, "meeting": 3, "€uros": 4])
            XCTAssertEqual(try store.vocabularySize(), 4)
            XCTAssertEqual(try store.maxTokenID(), 4)
            var seen: [String] = []
            try store.forEachToken { bytes, id in seen.append("\(id)=\(String(decoding: bytes, as: UTF8.self))") }
            XCTAssertEqual(seen, ["1=viagra", "2=lunch", "3=meeting", "4=€uros"])
            XCTAssertEqual(try store.tokenIDs([1, 3, 4, 99]) { $0.count > 6 }, [3, 4])
        }
        try store.write {
            XCTAssertEqual(try store.tokenFlags(cachedAs: "long") { $0.count > 6 }, [false, false, false, true, true])
        }
        let counts = try store.session.query(
            "SELECT id, spam_count, ham_count FROM hamlet_tokens WHERE owner = 'alice' ORDER BY id"
        ).map { try $0.decode((Int32, Int32, Int32).self) }
        XCTAssertEqual(counts.map { [$0.0, $0.1, $0.2] }, [[1, 1, 0], [2, 1, 1], [3, 1, 0], [4, 1, 0]])
    }

    func testExamplesAreStoredMovedAndDeletedAsTheSQLiteStoreDoes() throws {
        let store = try store("alice")
        let extractor = "hamlet-features-6:test"
        var deltas = DocumentCountDeltas()
        let changes: [ExampleChange] = try store.write {
            [
                try store.putExample(
                    digest: digestA, messageID: "<a@x>", isSpam: true, source: "a.eml", extractor: extractor,
                    counts: [(1, 2), (2, 1)], deltas: &deltas, raw: Array("Subject: a\n\nhi\n".utf8)),
                try store.putExample(
                    digest: digestA, messageID: "<a@x>", isSpam: true, source: nil, extractor: extractor,
                    counts: [(1, 2), (2, 1)], deltas: &deltas),
                try store.putExample(
                    digest: digestB, messageID: "<b@x>", isSpam: false, source: nil, extractor: extractor,
                    counts: [(2, 3)], deltas: &deltas, learnedAt: 1_000)
            ]
        }
        XCTAssertEqual(changes, [.added, .unchanged, .added])
        XCTAssertEqual(deltas.change(of: 2).spam, 1)
        XCTAssertEqual(deltas.change(of: 2).ham, 1)
        XCTAssertEqual(try store.exampleChanges(), 2)
        XCTAssertTrue(try store.exampleCounts() == (1, 1))
        XCTAssertTrue(try store.exampleCounts(upTo: (1, 0)) == (1, 0))
        XCTAssertEqual(try store.digests(messageID: "<a@x>"), [digestA])
        XCTAssertEqual(try store.example(digest: digestB)?.counts.map { [Int($0.0), $0.1] }, [[2, 3]])
        XCTAssertEqual(try store.allExamples(extractor: extractor).map(\.digest), [digestA, digestB])
        XCTAssertThrowsError(try store.allExamples(extractor: "hamlet-features-7:other"))
        XCTAssertEqual(try store.oldestExampleLearnedAt(), 1_000)
        XCTAssertEqual(try store.digestsToExpire(learnedBefore: 2_000, keepingNewest: nil), [digestB])
        XCTAssertEqual(try store.digestsToExpire(learnedBefore: nil, keepingNewest: 1), [digestB])
        XCTAssertEqual(try store.digestsToExpire(learnedBefore: nil, keepingNewest: nil), [])
        XCTAssertEqual(try store.examplesLearned(since: [0, 2_000]), [2, 1])
        try store.write { try store.setFitLogits([(digestA, 2.5), (digestB, -1.25)]) }
        XCTAssertEqual(try store.fitLogit(digest: digestB), -1.25)

        var moves = DocumentCountDeltas()
        let moved = try store.write { try store.setLabel(digest: digestB, isSpam: true, deltas: &moves) }
        XCTAssertEqual(moved?.0, .relabeled)
        XCTAssertEqual(moves.change(of: 2).spam, 1)
        XCTAssertEqual(moves.change(of: 2).ham, -1)
        XCTAssertNil(
            try store.write {
                try store.setLabel(digest: String(repeating: "c", count: 64), isSpam: true, deltas: &moves)
            })
        var removal = DocumentCountDeltas()
        let removed = try store.write { try store.deleteExample(digest: digestA, deltas: &removal) }
        XCTAssertEqual(removed?.isSpam, true)
        XCTAssertEqual(removal.change(of: 1).spam, -1)
        XCTAssertTrue(try store.exampleCounts() == (1, 0))
        XCTAssertEqual(try store.exampleChanges(), 4)
    }

    func testAStoreOfTheSecondSchemaIsBroughtUpToDateEvenByAReader() throws {
        let store = try store("erin")
        let id = try store.write {
            for token in ["free", "money"] { _ = try store.insertToken(token) }
            return try store.insertModel(
                ModelHeader(
                    kind: "logreg", options: "", extractor: "fx", exampleCount: 1, metrics: "", fittedChanges: 1),
                rows: ModelRows(layout: .scalar, weights: [0, 1, 2], accumulators: []), parameters: [0, 0])
        }
        // What version 2 held: rows without their token's text.
        try store.session.execute("ALTER TABLE hamlet_weights DROP COLUMN token")
        try store.session.execute("UPDATE hamlet_schema SET version = 2")
        let reader = try PostgresStore(
            location: try PostgresLocation(parsing: server.url), owner: "erin", readOnly: true)
        XCTAssertEqual(try PostgresSchema.storedVersion(reader.session), PostgresSchema.version)
        var scored: [String] = []
        try reader.forEachScoredToken(modelID: id) { scored.append("\($1)=\(String(decoding: $0, as: UTF8.self))") }
        XCTAssertEqual(scored, ["1=free", "2=money"])
        XCTAssertEqual(try reader.check(extractor: "fx"), [])
    }

    func testOwnersNeverSeeEachOthersExamplesOrTokens() throws {
        let alice = try store("alice"), bob = try store("bob")
        var deltas = DocumentCountDeltas()
        _ = try alice.write {
            try alice.putExample(
                digest: digestA, messageID: nil, isSpam: true, source: nil, extractor: "x", counts: [(1, 1)],
                deltas: &deltas)
        }
        XCTAssertEqual(try alice.write { try alice.insertToken("alice-only") }, 1)
        XCTAssertEqual(try bob.write { try bob.insertToken("bobs") }, 1)
        XCTAssertTrue(try bob.exampleCounts() == (0, 0))
        XCTAssertNil(try bob.example(digest: digestA))
        XCTAssertEqual(try bob.vocabulary(), ["bobs": 1])
        XCTAssertEqual(try bob.exampleChanges(), 0)
        XCTAssertEqual(try alice.exampleChanges(), 1)
    }

    func testAFailedWriteLeavesNothingAndCountsNoChange() throws {
        let store = try store("carol")
        var deltas = DocumentCountDeltas()
        XCTAssertThrowsError(
            try store.write {
                _ = try store.putExample(
                    digest: digestA, messageID: nil, isSpam: true, source: nil, extractor: "x", counts: [(1, 1)],
                    deltas: &deltas)
                try store.session.execute("SELECT * FROM no_such_table")
            })
        XCTAssertNil(try store.example(digest: digestA))
        XCTAssertEqual(try store.exampleChanges(), 0)
    }

    func testWritersOfOneOwnerTakeTurnsSoTokenIdsStayUnique() throws {
        let stores = try (0..<4).map { _ in try store("dave") }
        let errors = Failures()
        DispatchQueue.concurrentPerform(iterations: stores.count) { index in
            do {
                for k in 0..<25 { _ = try stores[index].write { try stores[index].insertToken("w\(index)-\(k)") } }
            } catch {
                errors.add("\(error)")
            }
        }
        XCTAssertEqual(errors.all, [])
        XCTAssertEqual(try stores[0].vocabularySize(), 100)
        XCTAssertEqual(try stores[0].maxTokenID(), 100)
        XCTAssertEqual(Set(try stores[0].vocabulary().values).count, 100)
    }
}
