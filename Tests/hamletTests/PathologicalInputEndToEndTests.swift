import Foundation
import HamletTestSupport
import XCTest

/// Every pathological input goes through a spawned `hamlet filter` under the filter contract, with its memory
/// capped and a generous watchdog on time (sizes reduced for debug builds; scripts/pathological.py runs full ones).
final class PathologicalInputEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }
    let memoryCapMB = 200

    override func setUpWithError() throws {
        home = try TestSupport.temporaryDirectory("pathological")
        hamlet = HamletRunner(home: home)
        let corpus = TestSupport.sampleCorpus
        let trained = try hamlet.run([
            "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
            "--ham", corpus.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
    }

    override func tearDown() { TestSupport.remove(home) }

    /// The output with Hamlet's four fields removed must be the input (plus the line break a header block
    /// without one needs before Hamlet's fields).
    private func assertContract(_ input: [UInt8], _ output: [UInt8], _ name: String) {
        var lines: [ArraySlice<UInt8>] = []
        var removed = 0
        var start = 0
        var inHeaders = true
        for (i, b) in output.enumerated() where b == 0x0A {
            let line = output[start...i]
            if inHeaders && (line.starts(with: Array("X-Spam-".utf8)) || line.starts(with: Array("X-Hamlet-".utf8))) {
                removed += 1
            } else {
                if line.count == 1 { inHeaders = false }
                lines.append(line)
            }
            start = i + 1
        }
        if start < output.count { lines.append(output[start...]) }
        XCTAssertEqual(removed, 4, "\(name): Hamlet's fields")
        let rest = Array(lines.joined())
        XCTAssertTrue(
            rest == input || rest == input + [0x0A],
            "\(name): the message was altered (\(rest.count) bytes vs \(input.count))")
    }

    func testEveryPathologicalInputPassesThroughUnderTheContract() throws {
        // GNU time measures the filter's own peak memory (a child of this big test process would report ours).
        let time = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: time) else {
            if TestSupport.isCI { return XCTFail("GNU time is not installed; .ci/run installs it") }
            throw XCTSkip("GNU time (/usr/bin/time) is not installed")
        }
        let rssFile = home.appendingPathComponent("rss").path
        for testCase in PathologicalMessages.all {
            let input = testCase.make(0.05)
            let started = Date()
            let result = try hamlet.run(
                ["filter", "--db", store], stdin: input, launcher: [time, "-f", "%M", "-o", rssFile])
            XCTAssertLessThan(Date().timeIntervalSince(started), 120, "\(testCase.name): watchdog")
            XCTAssertEqual(result.status, 0, "\(testCase.name): \(result.stderr)")
            XCTAssertTrue(result.stderr.isEmpty, "\(testCase.name): \(result.stderr)")
            assertContract(input, result.stdout, testCase.name)
            let peakKB =
                Int(
                    try String(contentsOfFile: rssFile, encoding: .utf8).split(whereSeparator: \.isWhitespace).last
                        ?? "") ?? .max
            XCTAssertLessThan(peakKB / 1024, memoryCapMB, "\(testCase.name): peak memory of the filter")
        }
    }

    func testLimitsAreAppliedAndSaidSo() throws {
        // More token occurrences than the limit: the rest are skipped and a limit token says so.
        let words = Array(
            (Array("Subject: words\n\n".utf8) + Array(repeating: Array("word ".utf8), count: 2_000).flatMap { $0 }))
        let config = hamlet.configHome.appendingPathComponent("hamlet")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[limits]\ntokens = 500\nmime_depth = 5\n".write(
            to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let message = home.appendingPathComponent("words.eml")
        try Data(words).write(to: message)
        let tokens = try hamlet.run(["tokens", message.path])
        XCTAssertTrue(tokens.text.contains("limit:tokens"), tokens.text)
        XCTAssertTrue(
            tokens.lines.contains("500\tword")
                || tokens.lines.contains { $0.hasSuffix("\tword") && Int($0.split(separator: "\t")[0])! <= 500 })
        let nested = home.appendingPathComponent("nested.eml")
        try Data(PathologicalMessages.all.first { $0.name == "nested-multiparts" }!.make(0.002)).write(to: nested)
        let inspect = try hamlet.run(["inspect", nested.path])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let multiparts = inspect.lines.filter { $0.drop { $0 == " " }.hasPrefix("multipart/mixed") }
        XCTAssertEqual(multiparts.count, 5, "MIME parsed 5 levels deep, the rest read as text: \(inspect.text)")
    }
}
