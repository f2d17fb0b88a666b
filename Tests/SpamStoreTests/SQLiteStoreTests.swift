import Foundation
import HamletTestSupport
import XCTest

@testable import SpamStore

final class SQLiteStoreTests: XCTestCase {
    var folder: URL!
    var path: String { folder.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws { folder = try TestSupport.temporaryDirectory("store") }
    override func tearDown() { TestSupport.remove(folder) }

    func testMissingStoreIsNotCreatedWithoutAsking() {
        XCTAssertThrowsError(try SQLiteStore(path: path, create: false)) { error in
            guard case StoreError.notFound = error else { return XCTFail("\(error)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testStoreFileIsPrivateToItsOwner() throws {
        _ = try SQLiteStore(path: path, create: true)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testNotAStoreAndNewerSchemaAreClearErrors() throws {
        try Data("this is not sqlite at all, just text that is long enough to be a header".utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SQLiteStore(path: path, create: false)) { error in
            guard case StoreError.notAStore = error else { return XCTFail("\(error)") }
        }
        try FileManager.default.removeItem(atPath: path)
        do {
            let store = try SQLiteStore(path: path, create: true)
            try store.database.execute("PRAGMA user_version = 99")
        }
        XCTAssertThrowsError(try SQLiteStore(path: path, create: false)) { error in
            guard case StoreError.newerSchema(_, 99, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("newer Hamlet"))
        }
    }

}

extension SQLiteStoreTests {
    func testFeatureBlobRoundTripsAndIsCompact() {
        let counts: [(Int32, Int)] = [(3, 1), (1, 2), (70000, 300), (70001, 1), (2_000_000_000, 5)]
        let blob = FeatureBlob.encode(counts)
        let decoded = FeatureBlob.decode(blob)
        XCTAssertEqual(decoded.map(\.0), [1, 3, 70000, 70001, 2_000_000_000])
        XCTAssertEqual(decoded.map(\.1), [2, 1, 300, 1, 5])
        XCTAssertLessThan(blob.count, counts.count * 4)
        XCTAssertTrue(FeatureBlob.decode([0x80]).isEmpty, "a truncated varint is not a feature")
    }
}

extension SQLiteStoreTests {
    func testAVersionOneStoreIsMigratedWithItsDataIntact() throws {
        do {
            let store = try SQLiteStore(path: path, create: true)
            try store.write {
                let id = try store.insertToken("kept")
                var deltas = DocumentCountDeltas()
                _ = try store.putExample(
                    digest: "old", messageID: nil, isSpam: true, source: nil, extractor: "fx",
                    counts: [(id, 2)], deltas: &deltas)
            }
            // Make it what Hamlet's first schema was.
            try store.database.execute(
                """
                ALTER TABLE examples DROP COLUMN raw; ALTER TABLE examples DROP COLUMN fit_logit;
                ALTER TABLE weights DROP COLUMN row; ALTER TABLE models DROP COLUMN parameters;
                ALTER TABLE models DROP COLUMN fit_changes; ALTER TABLE models DROP COLUMN changes; PRAGMA user_version = 1;
                """)
        }
        let store = try SQLiteStore(path: path, create: false)
        let version = try store.database.prepare("PRAGMA user_version")
        XCTAssertTrue(try version.step())
        XCTAssertEqual(version.int(0), 5)
        XCTAssertEqual(try store.example(digest: "old")?.counts.map(\.1), [2])
        try store.write {
            var deltas = DocumentCountDeltas()
            _ = try store.putExample(
                digest: "new", messageID: nil, isSpam: false, source: nil, extractor: "fx", counts: [],
                deltas: &deltas, raw: Array("Subject: kept\n\nbody".utf8))
        }
        XCTAssertEqual(try store.examplesNotExtracted(by: "other").withRaw, 1)
    }

    /// A connection that had read (a statement stepped and not reset keeps its snapshot) and
    /// then writes after another writer committed got SQLITE_BUSY at once, not a wait for its turn.
    func testAWriterThatReadBeforeWaitsItsTurnAfterAnotherCommits() throws {
        let a = try SQLiteStore(path: path, create: true, busyTimeoutMilliseconds: 5_000)
        let b = try SQLiteStore(path: path, create: false)
        _ = try a.read {
            let statement = try a.database.prepare("SELECT count(*) FROM settings")
            return try statement.step()  // stepped and left as a query helper might leave it
        }
        try b.write { try b.setSetting("other", "1") }
        XCTAssertNoThrow(try a.write { try a.setSetting("mine", "1") })
        XCTAssertEqual(try a.setting("other"), "1")
    }

    /// Maintenance must not hold the write lock for seconds. A new store compacts in short
    /// steps: it is in incremental auto-vacuum mode, and vacuum leaves no free page without a rebuild.
    func testNewStoresVacuumInShortStepsWithoutARebuild() throws {
        let store = try SQLiteStore(path: path, create: true)
        try store.write {
            for k in 0..<3_000 { _ = try store.insertToken("token-\(k)-" + String(repeating: "x", count: 40)) }
        }
        try store.database.execute("DELETE FROM tokens")
        func pragma(_ name: String) throws -> Int64 {
            let statement = try store.database.prepare("PRAGMA \(name)")
            defer { statement.reset() }
            _ = try statement.step()
            return statement.int(0)
        }
        XCTAssertEqual(try pragma("auto_vacuum"), 2)
        XCTAssertGreaterThan(try pragma("freelist_count"), 0)
        XCTAssertFalse(try store.vacuum())
        XCTAssertEqual(try pragma("freelist_count"), 0)
    }

    func testCompressionRoundTrip() throws {
        let text = Array(String(repeating: "spam and ham ", count: 500).utf8)
        let packed = try XCTUnwrap(Compression.compress(text))
        XCTAssertLessThan(packed.count, text.count / 10)
        XCTAssertEqual(Compression.decompress(packed), text)
        XCTAssertNil(Compression.decompress([1, 2, 3]))
    }

    func testVersionFourKeepsTokenSightingsInDays() throws {
        do {
            let store = try SQLiteStore(path: path, create: true)
            try store.write { _ = try store.insertToken("seen") }
            // As a version-3 store wrote them: seconds since 1970.
            try store.database.execute(
                """
                UPDATE tokens SET first_seen = 1700000000, last_seen = 1700086400;
                ALTER TABLE models DROP COLUMN fit_changes; ALTER TABLE models DROP COLUMN changes; PRAGMA user_version = 3;
                """)
        }
        let store = try SQLiteStore(path: path, create: false)
        let row = try store.database.prepare("SELECT first_seen, last_seen FROM tokens WHERE token = 'seen'")
        XCTAssertTrue(try row.step())
        XCTAssertEqual(row.int(0), 19_675)
        XCTAssertEqual(row.int(1), 19_676)
        row.reset()
        // New sightings are written in days too.
        try store.write { _ = try store.insertToken("new") }
        let fresh = try store.database.prepare("SELECT first_seen FROM tokens WHERE token = 'new'")
        XCTAssertTrue(try fresh.step())
        XCTAssertEqual(fresh.int(0), Int64(time(nil)) / 86_400)
    }
}
