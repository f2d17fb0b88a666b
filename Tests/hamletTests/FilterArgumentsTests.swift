import XCTest

@testable import HamletCommands

/// `filter` reads its options directly (swift-argument-parser's reflection costs more than a whole filter run);
/// this keeps that reading in step with the options `filter --help` declares.
final class FilterArgumentsTests: XCTestCase {
    private func same(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let quick = try XCTUnwrap(FilterOptions.quickParse(arguments), "\(arguments)", file: file, line: line)
        let parsed = try Filter.parse(arguments)
        XCTAssertEqual(quick.db, parsed.db, file: file, line: line)
        XCTAssertEqual(quick.exitCode, parsed.exitCode, file: file, line: line)
        XCTAssertEqual(quick.tempfail, parsed.tempfail, file: file, line: line)
        XCTAssertEqual(quick.spamThreshold, parsed.spamThreshold, file: file, line: line)
        XCTAssertEqual(quick.hamThreshold, parsed.hamThreshold, file: file, line: line)
        XCTAssertEqual(quick.subjectTag, parsed.subjectTag, file: file, line: line)
        XCTAssertEqual(quick.log, parsed.log, file: file, line: line)
    }

    func testTheQuickReadingAgreesWithTheDeclaredOptions() throws {
        try same([])
        try same(["--db", "/srv/s.sqlite", "--exit-code", "--tempfail"])
        try same(["--db=/srv/s.sqlite", "--spam-threshold", "0.95", "--ham-threshold=0.3"])
        try same(["--subject-tag", "[SPAM]", "--log", "syslog"])
    }

    func testAnythingElseIsLeftToTheFullParser() {
        XCTAssertNil(FilterOptions.quickParse(["--bogus"]))
        XCTAssertNil(FilterOptions.quickParse(["--db"]))
        XCTAssertNil(FilterOptions.quickParse(["--spam-threshold", "high"]))
        XCTAssertNil(FilterOptions.quickParse(["--exit-code=yes"]))
        XCTAssertNil(FilterOptions.quickParse(["extra"]))
    }
}
