import Foundation
import HamletTestSupport
import PostgresStore
import XCTest

@testable import SpamStore

/// What the store protocol promises, checked on each backend in turn: an SQLite file, and one owner's share of a
/// PostgreSQL database on a private server the suite starts once. Each test runs its body on both; without a
/// server (outside CI, which installs PostgreSQL) the SQLite half runs and the test then skips.
final class StoreContractTests: XCTestCase {
    nonisolated(unsafe) static var server: PrivatePostgres?
    nonisolated(unsafe) static var serverProblem: Error?

    override class func setUp() {
        do { server = try PrivatePostgres() } catch { serverProblem = error }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    var folder: URL!
    override func setUpWithError() throws { folder = try TestSupport.temporaryDirectory("store-contract") }
    override func tearDown() { TestSupport.remove(folder) }

    /// One backend: `open(name)` opens (making it the first time) the store of that name, the same store each time.
    struct Backend {
        var name: String
        var open: (String) throws -> any HamletStore
    }

    /// Runs `body` on an SQLite store, then on a PostgreSQL one.
    func onEachBackend(_ body: (Backend) throws -> Void) throws {
        let folder = self.folder!
        let test = name.filter { $0.isLetter || $0.isNumber }
        // A failure's line is the same on both halves: the last of these lines before it says which.
        print("\(name) on SQLite")
        try body(
            Backend(name: "SQLite") {
                try SQLiteStore(path: folder.appendingPathComponent($0 + ".sqlite").path, create: true)
            })
        guard let server = Self.server else {
            let why = Self.serverProblem.map { "\($0)" } ?? "no server"
            if TestSupport.isCI { throw PrivatePostgres.Unavailable(reason: why) }
            throw XCTSkip("PostgreSQL half skipped: \(why)")
        }
        let url = server.url
        print("\(name) on PostgreSQL")
        try body(
            Backend(name: "PostgreSQL") {
                try PostgresStore(location: try PostgresLocation(parsing: url), owner: test + "-" + $0)
            })
    }

    /// Every token's document counts, by token, read as a reader of the backend's tables would.
    func documentCounts(_ store: any HamletStore) throws -> [String: [Int64]] {
        var counts: [String: [Int64]] = [:]
        if let file = store as? SQLiteStore {
            let statement = try file.database.prepare("SELECT token, spam_count, ham_count FROM tokens")
            while try statement.step() { counts[statement.string(0) ?? ""] = [statement.int(1), statement.int(2)] }
        } else if let server = store as? PostgresStore {
            let rows = try server.session.query(
                "SELECT token, spam_count, ham_count FROM hamlet_tokens WHERE owner = \(server.owner)")
            for row in rows {
                let (token, spam, ham) = try row.decode((String, Int32, Int32).self)
                counts[token] = [Int64(spam), Int64(ham)]
            }
        }
        return counts
    }

    /// The ids of the stored model versions, oldest first.
    func modelVersions(_ store: any HamletStore) throws -> [Int64] {
        if let file = store as? SQLiteStore {
            let statement = try file.database.prepare("SELECT id FROM models ORDER BY id")
            var ids: [Int64] = []
            while try statement.step() { ids.append(statement.int(0)) }
            return ids
        }
        let server = try XCTUnwrap(store as? PostgresStore)
        return try server.session.query("SELECT id FROM hamlet_models WHERE owner = \(server.owner) ORDER BY id")
            .map { try $0.decode(Int64.self) }
    }

    /// Adds one to a token's spam count behind the store's back.
    func miscount(_ token: String, in store: any HamletStore) throws {
        if let file = store as? SQLiteStore {
            try file.database.execute("UPDATE tokens SET spam_count = spam_count + 1 WHERE token = '\(token)'")
        } else if let server = store as? PostgresStore {
            try server.session.query(
                "UPDATE hamlet_tokens SET spam_count = spam_count + 1 WHERE owner = \(server.owner) AND token = \(token)"
            )
        }
    }

    func linearModel(examples: Int, changes: Int64 = 0) -> ModelHeader {
        ModelHeader(
            kind: "logreg", options: "epochs=1", extractor: "fx", exampleCount: examples, metrics: "",
            fittedChanges: changes)
    }

    // MARK: Vocabulary, examples and models

    func testVocabularyExamplesAndAModelSurviveReopening() throws {
        try onEachBackend { backend in
            do {
                let store = try backend.open("store")
                try store.write {
                    let free = try store.insertToken("free")
                    let money = try store.insertToken("money")
                    XCTAssertEqual(try store.insertToken("free"), free)
                    var deltas = DocumentCountDeltas()
                    XCTAssertEqual(
                        try store.putExample(
                            digest: "d1", messageID: "<1@x>", isSpam: true, source: "a.eml", extractor: "fx",
                            counts: [(free, 2), (money, 1)], deltas: &deltas), .added)
                    XCTAssertEqual(
                        try store.putExample(
                            digest: "d1", messageID: "<1@x>", isSpam: true, source: "a.eml", extractor: "fx",
                            counts: [(free, 2), (money, 1)], deltas: &deltas), .unchanged)
                    XCTAssertEqual(
                        try store.putExample(
                            digest: "d0", messageID: nil, isSpam: false, source: nil, extractor: "fx",
                            counts: [(money, 3)], deltas: &deltas), .added)
                    try store.applyDocumentCounts(deltas)
                    _ = try store.insertModel(
                        linearModel(examples: 2, changes: 2),
                        rows: ModelRows(layout: .scalar, weights: [0, 1.5, -0.25], accumulators: [0, 4, 1]),
                        parameters: [-0.5, 2])
                }
            }
            let store = try backend.open("store")
            XCTAssertEqual(try store.vocabulary(), ["free": 1, "money": 2])
            let examples = try store.allExamples(extractor: "fx")
            XCTAssertEqual(examples.map(\.digest), ["d0", "d1"])
            XCTAssertEqual(examples[1].counts.map(\.0), [1, 2])
            XCTAssertEqual(examples[1].counts.map(\.1), [2, 1])
            XCTAssertEqual(try store.digests(messageID: "<1@x>"), ["d1"])
            XCTAssertTrue(try store.exampleCounts() == (1, 1))
            XCTAssertEqual(try documentCounts(store), ["free": [1, 0], "money": [1, 1]])
            let model = try XCTUnwrap(try store.currentModel())
            XCTAssertEqual(model.parameters, [-0.5, 2])
            var rows: [Int32: [Double]] = [:]
            try store.forEachModelRow(modelID: model.id) { rows[$0] = Array($1) }
            XCTAssertEqual(rows, [1: [1.5, 4], 2: [-0.25, 1]], "only rows with a weight are kept")
            var byToken: [String: (Int32, [Double])] = [:]
            try store.forEachModelRow(modelID: model.id, tokens: ["money", "unknown"]) {
                byToken[$0] = ($1, Array($2))
            }
            XCTAssertEqual(byToken["money"]?.0, 2)
            XCTAssertEqual(byToken["money"]?.1, [-0.25, 1])
            XCTAssertNil(byToken["unknown"])
            var byID: [Int32: [Double]] = [:]
            try store.forEachModelRow(modelID: model.id, tokenIDs: [1, 7]) { byID[$0] = Array($1) }
            XCTAssertEqual(byID, [1: [1.5, 4]])
        }
    }

    func testAVectorModelKeepsItsRowsAndParametersAndIsUpdatedInPlace() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            let id = try store.write {
                try store.insertModel(
                    ModelHeader(
                        kind: "mlp", options: "", extractor: "fx", exampleCount: 1, metrics: "", fittedChanges: 1),
                    rows: ModelRows(
                        layout: .vector(width: 2), weights: [0, 0, 1, 2, 0, 3], accumulators: [0, 0, 5, 6]),
                    parameters: [7, 8, 9, 10])
            }
            var rows: [Int32: [Double]] = [:]
            try store.forEachModelRow(modelID: id) { rows[$0] = Array($1) }
            XCTAssertEqual(rows, [1: [1, 2, 5, 6], 2: [0, 3, 0, 0]])
            try store.write {
                try store.updateModel(
                    id: id, exampleCount: 2, changes: 2, layout: .vector(width: 2), parameters: [1, 1, 1, 1],
                    changedRows: [(tokenID: 2, row: [4, 4, 1, 1])])
            }
            rows = [:]
            try store.forEachModelRow(modelID: id, tokenIDs: [2]) { rows[$0] = Array($1) }
            XCTAssertEqual(rows, [2: [4, 4, 1, 1]])
            let info = try XCTUnwrap(try store.currentModel())
            XCTAssertEqual(info.parameters, [1, 1, 1, 1])
            XCTAssertEqual(info.exampleCount, 2)
            XCTAssertEqual(info.changes, 2)
        }
    }

    func testAModelsScoredTokensIncludeEveryTokenWithARowInIdOrder() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            let id = try store.write {
                for token in ["free", "lunch", "money"] { _ = try store.insertToken(token) }
                // A row for id 9, which no token has, is kept but names nothing a message could score with.
                return try store.insertModel(
                    linearModel(examples: 1),
                    rows: ModelRows(
                        layout: .scalar, weights: [0, 1.5, 0, 0, 0, 0, 0, 0, 0, 2], accumulators: []),
                    parameters: [0, 0])
            }
            func scored() throws -> [(String, Int32)] {
                var seen: [(String, Int32)] = []
                try store.forEachScoredToken(modelID: id) { seen.append((String(decoding: $0, as: UTF8.self), $1)) }
                return seen
            }
            let vocabulary = try store.vocabulary()
            var seen = try scored()
            XCTAssertTrue(seen.contains { $0 == ("free", 1) }, "\(seen)")
            XCTAssertEqual(seen.map(\.1), seen.map(\.1).sorted())
            XCTAssertTrue(seen.allSatisfy { vocabulary[$0.0] == $0.1 }, "\(seen)")
            try store.write {
                try store.updateModel(
                    id: id, exampleCount: 2, changes: 2, layout: .scalar, parameters: [0, 0],
                    changedRows: [(tokenID: 3, row: [-1, 0])])
            }
            seen = try scored()
            XCTAssertTrue(seen.contains { $0 == ("free", 1) } && seen.contains { $0 == ("money", 3) }, "\(seen)")
            XCTAssertEqual(try store.check(extractor: "fx"), [])
        }
    }

    func testOnlyTheLastThreeModelVersionsAreKept() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            for version in 1...5 {
                _ = try store.write {
                    try store.insertModel(
                        linearModel(examples: 0), rows: ModelRows(layout: .scalar, weights: [1, 2], accumulators: []),
                        parameters: [Double(version), 0])
                }
            }
            XCTAssertEqual(try modelVersions(store), [3, 4, 5])
            XCTAssertEqual(try store.currentModel()?.parameters.first, 5)
        }
    }

    // MARK: Labels and document counts

    func testARelabelMovesTheExampleAndItsDocumentCounts() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            let changes = try store.exampleChanges()
            try store.write {
                let id = try store.insertToken("prize")
                var deltas = DocumentCountDeltas()
                _ = try store.putExample(
                    digest: "d", messageID: nil, isSpam: false, source: nil, extractor: "fx", counts: [(id, 1)],
                    deltas: &deltas)
                XCTAssertEqual(
                    try store.putExample(
                        digest: "d", messageID: nil, isSpam: true, source: nil, extractor: "fx",
                        counts: [(id, 1)], deltas: &deltas), .relabeled)
                try store.applyDocumentCounts(deltas)
            }
            XCTAssertTrue(try store.exampleCounts() == (1, 0))
            XCTAssertEqual(try documentCounts(store)["prize"], [1, 0])
            try store.write {
                var deltas = DocumentCountDeltas()
                XCTAssertNotNil(try store.setLabel(digest: "d", isSpam: false, deltas: &deltas))
                XCTAssertNil(try store.setLabel(digest: "absent", isSpam: false, deltas: &deltas))
                try store.applyDocumentCounts(deltas)
            }
            XCTAssertEqual(try documentCounts(store)["prize"], [0, 1])
            try store.write {
                var deltas = DocumentCountDeltas()
                XCTAssertEqual(try store.deleteExample(digest: "d", deltas: &deltas)?.isSpam, false)
                XCTAssertNil(try store.deleteExample(digest: "d", deltas: &deltas))
                try store.applyDocumentCounts(deltas)
            }
            XCTAssertEqual(try documentCounts(store)["prize"], [0, 0])
            XCTAssertTrue(try store.exampleCounts() == (0, 0))
            XCTAssertGreaterThan(try store.exampleChanges(), changes, "every change moves the change count")
            XCTAssertEqual(try store.check(extractor: "fx"), [])
        }
    }

    func testABatchOfExamplesIsStoredAsOneByOneWouldBe() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            let (a, b) = try store.write { (try store.insertToken("a"), try store.insertToken("b")) }
            try store.write {
                var deltas = DocumentCountDeltas()
                _ = try store.putExample(
                    digest: "old-spam", messageID: nil, isSpam: true, source: nil, extractor: "fx",
                    counts: [(a, 1)], deltas: &deltas)
                _ = try store.putExample(
                    digest: "old-ham", messageID: nil, isSpam: false, source: nil, extractor: "fx",
                    counts: [(b, 1)], deltas: &deltas)
                try store.applyDocumentCounts(deltas)
            }
            let batch = [
                NewExample(
                    digest: "new", messageID: "<n@x>", isSpam: true, source: "n.eml", extractor: "fx",
                    counts: [(a, 2), (b, 1)], raw: Array("Subject: n\n\nhi".utf8)),
                NewExample(
                    digest: "old-spam", messageID: nil, isSpam: true, source: nil, extractor: "fx",
                    counts: [(a, 1)]),
                NewExample(
                    digest: "old-ham", messageID: nil, isSpam: true, source: nil, extractor: "fx",
                    counts: [(b, 1)]),
                NewExample(
                    digest: "twice", messageID: nil, isSpam: false, source: nil, extractor: "fx",
                    counts: [(a, 1)]),
                NewExample(
                    digest: "twice", messageID: nil, isSpam: false, source: nil, extractor: "fx",
                    counts: [(a, 1)], learnedAt: 5)
            ]
            let changes = try store.write {
                var deltas = DocumentCountDeltas()
                let changes = try store.putExamples(batch, deltas: &deltas)
                try store.applyDocumentCounts(deltas)
                return changes
            }
            XCTAssertEqual(changes, [.added, .unchanged, .relabeled, .added, .unchanged])
            XCTAssertEqual(try documentCounts(store), ["a": [2, 1], "b": [2, 0]])
            XCTAssertEqual(try store.digests(messageID: "<n@x>"), ["new"])
            XCTAssertTrue(try store.examplesNotExtracted(by: "other") == (4, 1), "four examples, one with its message")
            XCTAssertEqual(try store.check(extractor: "fx"), [])
        }
    }

    func testManyCountChangesAtOnceLandOnTheRightTokens() throws {
        try onEachBackend { backend in
            // 150 existing tokens and 40 new ones in one batch.
            let store = try backend.open("store")
            try store.write {
                var deltas = DocumentCountDeltas()
                let old = try (0..<150).map { try store.insertToken("old\($0)") }
                _ = try store.putExample(
                    digest: "a", messageID: nil, isSpam: true, source: nil, extractor: "fx",
                    counts: old.map { ($0, 1) }, deltas: &deltas)
                try store.applyDocumentCounts(deltas)
            }
            try store.write {
                var deltas = DocumentCountDeltas()
                let last = try store.maxTokenID()
                let fresh = (1...40).map { (token: "new\($0)", id: last + Int32($0)) }
                let everyOther = (1...150).filter { $0 % 2 == 0 }.map { (Int32($0), 1) }
                _ = try store.putExample(
                    digest: "b", messageID: nil, isSpam: false, source: nil, extractor: "fx",
                    counts: everyOther + fresh.map { ($0.id, 1) }, deltas: &deltas)
                XCTAssertEqual(
                    try store.putExample(
                        digest: "a", messageID: nil, isSpam: false, source: nil, extractor: "fx",
                        counts: [], deltas: &deltas), .relabeled)
                try store.applyDocumentCounts(deltas, newTokens: fresh)
            }
            let counts = try documentCounts(store)
            XCTAssertEqual(counts.count, 190)
            for k in 0..<150 { XCTAssertEqual(counts["old\(k)"], [0, (k + 1) % 2 == 0 ? 2 : 1], "old\(k)") }
            for k in 1...40 { XCTAssertEqual(counts["new\(k)"], [0, 1], "new\(k)") }
        }
    }

    func testMixedExtractorVersionsAreRefused() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            try store.write {
                var deltas = DocumentCountDeltas()
                _ = try store.putExample(
                    digest: "a", messageID: nil, isSpam: true, source: nil, extractor: "old", counts: [],
                    deltas: &deltas)
            }
            XCTAssertThrowsError(try store.allExamples(extractor: "new")) { error in
                guard case StoreError.mixedFeatureSpaces(stored: "old", current: "new") = error else {
                    return XCTFail("\(error)")
                }
            }
        }
    }

    // MARK: Maintenance, sampling, export

    /// A store of `spam` and `ham` examples, example k holding the tokens "common" (every example) and "only k"
    /// (just it), with a one-version linear model that has a weight for every token.
    func filled(_ store: any HamletStore, spam: Int, ham: Int) throws -> any HamletStore {
        try store.write {
            var deltas = DocumentCountDeltas()
            let common = try store.insertToken("common")
            for k in 0..<(spam + ham) {
                let own = try store.insertToken("only \(k)")
                _ = try store.putExample(
                    digest: Self.digest(k), messageID: nil, isSpam: k < spam, source: nil,
                    extractor: "fx", counts: [(common, 1), (own, 2)], deltas: &deltas)
            }
            try store.applyDocumentCounts(deltas)
            let largest = Int(try store.maxTokenID())
            _ = try store.insertModel(
                linearModel(examples: spam + ham, changes: try store.exampleChanges()),
                rows: ModelRows(layout: .scalar, weights: (0...largest).map { Double($0) + 0.5 }, accumulators: []),
                parameters: [0, 0])
        }
        return store
    }

    /// A digest spread over the whole range, as SHA-256 digests are (the sampler relies on it).
    static func digest(_ k: Int) -> String {
        let value = UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15
        let hex = String(value, radix: 16)
        return String(repeating: String(repeating: "0", count: 16 - hex.count) + hex, count: 4)
    }

    func testExampleCountsStopAtTheirLimitButNotBefore() throws {
        try onEachBackend { backend in
            let store = try filled(try backend.open("store"), spam: 3, ham: 2)
            XCTAssertTrue(try store.exampleCounts(upTo: (10, 10)) == (3, 2))
            XCTAssertTrue(try store.exampleCounts(upTo: (2, 1)) == (2, 1))
            XCTAssertTrue(try store.exampleCounts() == (3, 2))
        }
    }

    func testASampleIsDistinctSeededAndLeavesOutWhatItIsToldTo() throws {
        try onEachBackend { backend in
            let store = try filled(try backend.open("store"), spam: 20, ham: 20)
            let excluded = Set(try store.allExamples(extractor: "fx").prefix(5).map(\.digest))
            let sample = try store.sampleExamples(count: 10, seed: 42, excluding: excluded)
            XCTAssertEqual(sample.count, 10)
            XCTAssertEqual(Set(sample.map(\.digest)).count, 10, "distinct")
            XCTAssertTrue(Set(sample.map(\.digest)).isDisjoint(with: excluded))
            XCTAssertTrue(sample.allSatisfy { $0.counts.count == 2 }, "with their token counts")
            XCTAssertEqual(
                try store.sampleExamples(count: 10, seed: 42, excluding: excluded).map(\.digest),
                sample.map(\.digest), "the same seed, the same sample")
            XCTAssertNotEqual(
                try store.sampleExamples(count: 10, seed: 43, excluding: excluded).map(\.digest),
                sample.map(\.digest))
        }
    }

    func testPruneTakesRareTokensOutOfTheVocabularyTheExamplesAndEveryModel() throws {
        try onEachBackend { backend in
            let store = try filled(try backend.open("store"), spam: 3, ham: 3)
            let before = try store.vocabulary()
            let removed = try store.prune(minimumDocuments: 2, unseenForDays: nil, keepModels: 3)
            XCTAssertEqual(removed, 6, "every 'only k' token")
            let kept = try store.vocabulary()
            XCTAssertEqual(Set(kept.keys), ["common"])
            let gone = Set(before.values).subtracting(kept.values)
            let model = try XCTUnwrap(try store.currentModel())
            var rows: [Int32] = []
            try store.forEachModelRow(modelID: model.id) { id, _ in rows.append(id) }
            XCTAssertTrue(Set(rows).isDisjoint(with: gone), "no weight row of a deleted token: \(rows)")
            XCTAssertTrue(
                try store.allExamples(extractor: "fx").allSatisfy { $0.counts.map(\.0) == [kept["common"]!] })
            XCTAssertEqual(try store.check(extractor: "fx"), [])
        }
    }

    /// The flags over token ids are those of the predicate, however the vocabulary grows or is pruned (SQLite
    /// keeps them cached: `SQLiteStoreTests`).
    func testTokenFlagsFollowTheVocabularyAsItGrowsAndIsPruned() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            let isUpper: (UnsafeBufferPointer<UInt8>) -> Bool = {
                $0.first.map { $0 >= 0x41 && $0 <= 0x5A } ?? false
            }
            func expected() throws -> [Bool] {
                var flags = [Bool](repeating: false, count: Int(try store.maxTokenID()) + 1)
                for (token, id) in try store.vocabulary() { flags[Int(id)] = token.first?.isUppercase ?? false }
                return flags
            }
            try store.write {
                for k in 0..<13 { _ = try store.insertToken(k % 3 == 0 ? "Upper\(k)" : "lower\(k)") }
                XCTAssertEqual(try store.tokenFlags(cachedAs: "upper", where: isUpper), try expected())
                for k in 13..<30 { _ = try store.insertToken(k % 2 == 0 ? "Upper\(k)" : "lower\(k)") }
                XCTAssertEqual(try store.tokenFlags(cachedAs: "upper", where: isUpper), try expected())
            }
            _ = try store.prune(minimumDocuments: 1, unseenForDays: nil, keepModels: 1)
            try store.write {
                for k in 30..<40 { _ = try store.insertToken(k % 2 == 0 ? "Upper\(k)" : "lower\(k)") }
                XCTAssertEqual(try store.tokenFlags(cachedAs: "upper", where: isUpper), try expected())
            }
        }
    }

    func testTokenFlagsAreKeptExtendedOnlyForNewTokensAndDroppedByPrune() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            var asked = 0
            let counting: (UnsafeBufferPointer<UInt8>) -> Bool = { _ in
                asked += 1
                return false
            }
            let key = TokenFlagCache.prefix + "none"
            try store.write {
                for k in 0..<13 { _ = try store.insertToken("t\(k)") }
                _ = try store.tokenFlags(cachedAs: "none", where: counting)
                XCTAssertNotNil(try store.setting(key))
                let first = asked
                for k in 13..<30 { _ = try store.insertToken("t\(k)") }
                _ = try store.tokenFlags(cachedAs: "none", where: counting)
                XCTAssertLessThan(asked - first, 30, "only the tokens added since are looked at again")
            }
            _ = try store.prune(minimumDocuments: 1, unseenForDays: nil, keepModels: 1)
            XCTAssertNil(try store.setting(key))
        }
    }

    func testCheckFindsCountsThatDisagreeWithTheExamplesAndForeignExtractors() throws {
        try onEachBackend { backend in
            let store = try filled(try backend.open("store"), spam: 2, ham: 2)
            XCTAssertEqual(try store.check(extractor: "fx"), [])
            try miscount("common", in: store)
            let problems = try store.check(extractor: "fx")
            XCTAssertTrue(problems.contains { $0.contains("document counts") }, "\(problems)")
            XCTAssertTrue(try store.check(extractor: "fx-2").contains { $0.contains("extracted by fx") })
        }
    }

    func testExportPercentEncodesWhatWouldBreakALineAndImportReadsItBack() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            let awkward = "a b\tc%d\ne"
            try store.write {
                var deltas = DocumentCountDeltas()
                let id = try store.insertToken(awkward)
                _ = try store.putExample(
                    digest: String(repeating: "ab", count: 32), messageID: "<1@x>", isSpam: true,
                    source: "in box", extractor: "fx", counts: [(id, 1)], deltas: &deltas)
                try store.applyDocumentCounts(deltas)
                try store.setSetting("model.kind", "logreg")
            }
            var lines: [String] = []
            try store.export { lines.append($0) }
            let example = try XCTUnwrap(lines.first { $0.hasPrefix("example\t") })
            XCTAssertTrue(example.hasSuffix("1:a%20b%09c%25d%0Ae"), example)
            XCTAssertTrue(example.contains("\tin%20box\t"), example)
            let copy = try backend.open("copy")
            try copy.write {
                var reader = try ExportReader(into: copy)
                for (number, line) in lines.enumerated() { try reader.read(line, number: number + 1) }
                try reader.finish()
            }
            XCTAssertEqual(try copy.vocabulary().keys.sorted(), [awkward])
            var copied: [String] = []
            try copy.export { copied.append($0) }
            XCTAssertEqual(copied, lines, "the copy exports what the original did")
        }
    }

    // MARK: Retention and learning times

    func testRetentionFindsTheOldAndTheSurplusOldestFirst() throws {
        try onEachBackend { backend in
            let store = try backend.open("store")
            try store.write {
                var deltas = DocumentCountDeltas()
                for k in 0..<6 {
                    _ = try store.putExample(
                        digest: Self.digest(k), messageID: nil, isSpam: k % 2 == 0, source: nil, extractor: "fx",
                        counts: [], deltas: &deltas, raw: nil, learnedAt: 1_000 * Int64(k + 1))
                }
            }
            XCTAssertEqual(try store.oldestExampleLearnedAt(), 1_000)
            XCTAssertEqual(
                try store.digestsToExpire(learnedBefore: 2_500, keepingNewest: nil), [Self.digest(0), Self.digest(1)])
            XCTAssertEqual(
                try store.digestsToExpire(learnedBefore: nil, keepingNewest: 3), (0..<3).map(Self.digest))
            XCTAssertEqual(try store.examplesLearned(since: [0, 3_000, 6_001]), [6, 4, 0])
            try store.write { try store.setFitLogits([(digest: Self.digest(2), logit: -1.25)]) }
            XCTAssertEqual(try store.fitLogit(digest: Self.digest(2)), -1.25)
            XCTAssertNil(try store.fitLogit(digest: Self.digest(3)))
        }
    }
}

extension HamletStore {
    /// `putExample` dated now, without the message.
    fileprivate func putExample(
        digest: String, messageID: String?, isSpam: Bool, source: String?, extractor: String,
        counts: [(Int32, Int)], deltas: inout DocumentCountDeltas
    ) throws -> ExampleChange {
        try putExample(
            digest: digest, messageID: messageID, isSpam: isSpam, source: source, extractor: extractor,
            counts: counts, deltas: &deltas, raw: nil, learnedAt: nil)
    }
}
