import Foundation
import HamletTestSupport
import XCTest

@testable import HamletKit
import Learning
import SpamStore

final class EvaluatorTests: XCTestCase {
    func testIndexFileParsingAndErrors() throws {
        let index = try IndexFile(
            path: "/data/lists/train.index",
            contents: """
                # comment

                spam  spam/1.eml
                HAM\t/abs/ham 2.eml
                """)
        XCTAssertEqual(index.entries.map(\.isSpam), [true, false])
        XCTAssertEqual(index.entries.map(\.path), ["spam/1.eml", "/abs/ham 2.eml"])
        XCTAssertEqual(index.entries.map(\.resolvedPath), ["/data/lists/spam/1.eml", "/abs/ham 2.eml"])
        XCTAssertThrowsError(try IndexFile(path: "x.index", contents: "spam a\nmaybe b\n")) { error in
            XCTAssertTrue("\(error)".contains("x.index:2"), "\(error)")
        }
    }

    /// Writes the sample corpus's index split in two halves (even lines train, odd lines test).
    func splitIndex(in folder: URL) throws -> (train: IndexFile, test: IndexFile) {
        let full = try IndexFile(path: TestSupport.sampleCorpus.appendingPathComponent("index").path)
        let lines = full.entries.map { "\($0.isSpam ? "spam" : "ham") \($0.resolvedPath)" }
        let train = lines.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: "\n")
        let test = lines.enumerated().filter { $0.offset % 2 == 1 }.map(\.element).joined(separator: "\n")
        return (
            try IndexFile(path: folder.path + "/train.index", contents: train),
            try IndexFile(path: folder.path + "/test.index", contents: test)
        )
    }

    func testTrainTestOnTheSampleCorpus() throws {
        let folder = try TestSupport.temporaryDirectory("evaluate")
        defer { TestSupport.remove(folder) }
        let (train, test) = try splitIndex(in: folder)
        let result = try Evaluator(jobs: 2).trainTest(train: train, test: test)
        XCTAssertEqual(result.metrics.n, 66)
        XCTAssertEqual(result.trainedExamples, 66)
        XCTAssertLessThan(result.metrics.oneMinusROCAPercent, 1)
        XCTAssertEqual(result.lines.map(\.id), test.entries.map(\.path))
        XCTAssertTrue(result.lines[0].tsv.split(separator: "\t")[2].split(separator: ".")[1].count == 6)
    }

    func testOnlineAndCrossValidationRun() throws {
        let index = try IndexFile(path: TestSupport.sampleCorpus.appendingPathComponent("index").path)
        let online = try Evaluator(jobs: 2).online(index)
        XCTAssertEqual(online.metrics.n, 132)
        // Each message is scored before it is learned: what the run learned must show in the later scores.
        XCTAssertLessThan(online.metrics.oneMinusROCAPercent, 5, "the on-line run learns as it goes")
        XCTAssertEqual(online.trainedExamples, 132)
        let folds = try Evaluator(jobs: 2).crossValidate(index, folds: 4)
        XCTAssertEqual(folds.metrics.n, 132)
        XCTAssertLessThan(folds.metrics.oneMinusROCAPercent, 1)
    }

    func testFormatFixed() {
        XCTAssertEqual(formatFixed(1.5, decimals: 3), "1.500")
        XCTAssertEqual(formatFixed(-0.0000004, decimals: 6), "0.000000")
        XCTAssertEqual(formatFixed(-2.25, decimals: 1), "-2.3")
        XCTAssertEqual(formatFixed(0.9999996, decimals: 6), "1.000000")
    }

    func testStoreLocationPrecedence() {
        XCTAssertEqual(StoreLocation.resolve(explicit: "/x.sqlite", environment: ["HAMLET_DB": "/y"]), "/x.sqlite")
        XCTAssertEqual(
            StoreLocation.resolve(explicit: nil, environment: ["HAMLET_DB": "/y", "XDG_DATA_HOME": "/d"]), "/y")
        XCTAssertEqual(
            StoreLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]),
            "/d/hamlet/hamlet.sqlite")
        XCTAssertEqual(
            StoreLocation.resolve(explicit: nil, environment: ["HOME": "/h"]), "/h/.local/share/hamlet/hamlet.sqlite")
    }
}

extension EvaluatorTests {
    func testROCPlotIsAReadableSVG() {
        var scored: [ScoredExample] = []
        for i in 0..<50 {
            let isSpam = i % 2 == 0
            scored.append(
                ScoredExample(isSpam: isSpam, score: isSpam ? Double(i) : -Double(i), verdict: isSpam ? .spam : .ham))
        }
        let svg = ROCPlot.svg(scored, title: "test <run>")
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertTrue(svg.contains("test &lt;run&gt;"))
        XCTAssertTrue(svg.contains("false-positive rate"))
        XCTAssertTrue(svg.contains("<circle"), "the operating point")
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
    }

    func testScoringAStoreGivesTheSameFigureAsTrainTest() throws {
        let folder = try TestSupport.temporaryDirectory("evaluate-store")
        defer { TestSupport.remove(folder) }
        let (train, test) = try splitIndex(in: folder)
        let store = try SQLiteStore(path: folder.path + "/store.sqlite", create: true)
        _ = try Trainer(store: store, jobs: 2).train(
            train.entries.map { LabeledPath(path: $0.resolvedPath, isSpam: $0.isSpam) })
        let fromStore = try Evaluator(jobs: 2).score(test, store: store)
        let trainTest = try Evaluator(jobs: 2).trainTest(train: train, test: test)
        XCTAssertEqual(fromStore.metrics.oneMinusROCAPercent, trainTest.metrics.oneMinusROCAPercent, accuracy: 1e-9)
        XCTAssertEqual(fromStore.lines.map(\.logit), trainTest.lines.map(\.logit))
    }
}
