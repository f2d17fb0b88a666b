import Foundation
import HamletTestSupport
import XCTest

@testable import HamletKit

final class ConfigurationTests: XCTestCase {
    func testTOMLSubsetReadsSectionsStringsNumbersBooleansAndComments() throws {
        let entries = try TOMLSubset.parse(
            """
            # a comment
            top = 'literal # not a comment'
            [filter]
            spam_threshold = 0.95   # trailing comment
            tempfail = true
            subject_tag = "[SPAM] \\"x\\""
            [limits]
            message_size = 2_000_000
            """)
        XCTAssertEqual(
            entries.map(\.key),
            ["top", "filter.spam_threshold", "filter.tempfail", "filter.subject_tag", "limits.message_size"])
        XCTAssertEqual(
            entries.map(\.value),
            [
                .string("literal # not a comment"), .number(0.95), .bool(true),
                .string("[SPAM] \"x\""), .number(2_000_000)
            ])
        XCTAssertEqual(entries.map(\.line), [2, 4, 5, 6, 8])
    }

    func testTOMLErrorsNameTheLine() {
        XCTAssertThrowsError(try TOMLSubset.parse("[filter]\nspam_threshold = high\n")) { error in
            XCTAssertEqual((error as? TOMLSubset.ParseError)?.line, 2)
        }
        XCTAssertThrowsError(try TOMLSubset.parse("a = 1\na = 2\n")) { error in
            XCTAssertEqual((error as? TOMLSubset.ParseError)?.line, 2)
        }
        XCTAssertThrowsError(try TOMLSubset.parse("just words\n"))
    }

    private func load(_ text: String, environment extra: [String: String] = [:]) throws -> HamletConfiguration {
        let folder = try TestSupport.temporaryDirectory("config")
        defer { TestSupport.remove(folder) }
        let file = folder.appendingPathComponent("config.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try HamletConfiguration.load(
            environment: ["HAMLET_CONFIG": file.path, "HOME": folder.path].merging(extra) { $1 })
    }

    func testFileValuesAndTheirSources() throws {
        let configuration = try load(
            """
            [store]
            path = "/srv/hamlet.sqlite"
            [filter]
            spam_threshold = 0.97
            exit_mode = "exit-code"
            [model]
            epochs = 5
            weighting = "nb"
            min_df = 3
            ham_weight = 2
            normalize = "whole"
            """)
        XCTAssertEqual(configuration.thresholds.spam, 0.97)
        XCTAssertEqual(configuration.exitMode, .exitCode)
        XCTAssertEqual(configuration.model.training.epochs, 5)
        XCTAssertEqual(configuration.model.training.featureWeighting, .nb)
        XCTAssertEqual(configuration.model.training.minimumDocumentFrequency, 3)
        XCTAssertEqual(configuration.model.training.hamWeight, 2)
        XCTAssertEqual(configuration.model.features.normalization, .whole)
        // true and false, what the setting took before split normalisation, still mean what they meant.
        XCTAssertEqual(try load("[model]\nnormalize = false\n").model.features.normalization, .none)
        XCTAssertEqual(try load("[model]\nnormalize = true\n").model.features.normalization, .whole)
        XCTAssertEqual(try load("").model.features.normalization, .split)
        XCTAssertTrue(configuration.source(of: "filter.spam_threshold").hasSuffix("config.toml"))
        XCTAssertEqual(configuration.source(of: "filter.ham_threshold"), "default")
        XCTAssertEqual(configuration.resolvedStorePath(explicit: nil, environment: [:]), "/srv/hamlet.sqlite")
        XCTAssertEqual(configuration.resolvedStorePath(explicit: "/cli.sqlite", environment: [:]), "/cli.sqlite")
        let fromEnvironment = try load(
            "[store]\npath = \"/srv/hamlet.sqlite\"\n", environment: ["HAMLET_DB": "/env.sqlite"])
        XCTAssertEqual(fromEnvironment.resolvedStorePath(explicit: nil, environment: [:]), "/env.sqlite")
        XCTAssertEqual(fromEnvironment.source(of: "store.path"), "environment (HAMLET_DB)")
    }

    func testBadSettingsAreRefusedWithTheirLine() {
        for text in [
            "[filter]\nunknown = 1\n", "[filter]\nspam_threshold = 2\n", "[filter]\nexit_mode = \"loud\"\n",
            "[headers]\nflag = \"X Bad\"\n", "[filter]\nspam_threshold = 0.3\nham_threshold = 0.6\n",
            "[model]\nmin_df = 0\n", "[model]\nham_weight = 0\n", "[model]\nnormalize = \"no\"\n",
            "[model]\nweighting = \"tfidf\"\n",
            // Names filter would delete from every message, and numbers that are not.
            "[headers]\nflag = \"Received\"\n", "[headers]\nverdict = \"Message-ID\"\n",
            "[headers]\nflag = \"Subject\"\n",
            "[model]\nlearning_rate = inf\n", "[model]\nl2 = nan\n", "[model]\nincremental_rate = inf\n"
        ] {
            XCTAssertThrowsError(try load(text), text) { error in
                XCTAssertTrue("\(error)".contains("configuration"), "\(error)")
            }
        }
    }

    func testDigestIgnoresConfiguredHeaderNamesAndSubjectTag() throws {
        let configuration = try load("[filter]\nsubject_tag = \"[JUNK]\"\n[headers]\nflag = \"X-Junk\"\n")
        let plain = Array("Subject: hello\n\nbody\n".utf8)
        let filtered = Array("Subject: [JUNK] hello\nX-Junk: YES\n\nbody\n".utf8)
        XCTAssertEqual(configuration.digestRules.digest(of: filtered), configuration.digestRules.digest(of: plain))
    }

    func testTheEnvironmentHoldsTheVariablesHamletReads() {
        setenv("HAMLET_DB", "/tmp/from-environment.sqlite", 1)
        defer { unsetenv("HAMLET_DB") }
        let environment = ProcessEnvironment.current
        XCTAssertEqual(environment["HAMLET_DB"], "/tmp/from-environment.sqlite")
        XCTAssertEqual(environment["HOME"], getenv("HOME").map { String(cString: $0) })
        XCTAssertNil(environment["PATH"])  // not one Hamlet reads
        XCTAssertTrue(environment.keys.allSatisfy(ProcessEnvironment.names.contains))
    }
}
