import ArgumentParser
import HamletKit
import Learning
import MailParser

import Platform

struct Filter: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Filter one message from stdin to stdout, adding spam headers (for procmail, maildrop, Postfix, Sieve).",
        discussion: """
            The output is the input byte for byte, minus earlier X-Spam-* and X-Hamlet-* fields, plus X-Spam-Flag \
            (YES only for spam), X-Spam-Status, X-Spam-Level and X-Hamlet-Verdict at the end of the header block, in \
            the message's own line ending. On any error (no store, a broken store, a bad option or configuration) the \
            message is passed through unchanged: mail is never lost.

            Exit statuses:
              mode                    spam  ham  unsure  internal error
              pass-through (default)  0     0    0       0, message passed through
              --exit-code             0     1    2       3, message passed through
            With --tempfail an internal error writes nothing and exits 75, so the mail
            system retries. If stdin cannot be read at all, filter writes nothing and
            exits 75 in every mode.
            """)

    @Option(
        name: .customLong("db"),
        help: "The store (default: $HAMLET_DB, the configuration file, then the XDG data folder).")
    var db: String?

    @Option(help: "Score with this user's store (see hamlet train --help).")
    var user: String?

    @Flag(name: .customLong("exit-code"), help: "Say the verdict in the exit status: spam 0, ham 1, unsure 2, error 3.")
    var exitCode = false

    @Flag(help: "On an internal error write nothing and exit 75 (EX_TEMPFAIL), so the mail system retries later.")
    var tempfail = false

    @Option(name: .customLong("spam-threshold"), help: "p(spam) at or above which a message is spam (default 0.73).")
    var spamThreshold: Double?

    @Option(name: .customLong("ham-threshold"), help: "p(spam) below which a message is ham (default 0.5).")
    var hamThreshold: Double?

    @Option(name: .customLong("subject-tag"), help: "Put this tag (such as [SPAM]) at the start of a spam's Subject.")
    var subjectTag: String?

    @Option(name: .customLong("log"), help: "Append one line per message to this file, or `syslog`.")
    var log: String?

    func run() throws {
        // Not reached: `runInDeliveryPath` handles filter from start to end.
    }

    /// The options as plain values.
    var options: FilterOptions {
        FilterOptions(
            db: db, user: user, exitCode: exitCode, tempfail: tempfail, spamThreshold: spamThreshold,
            hamThreshold: hamThreshold, subjectTag: subjectTag, log: log)
    }

    /// Runs `filter` from its raw arguments: a usage or configuration error follows the internal-error column of
    /// the exit-status table (never swift-argument-parser's own statuses), so a typo cannot bounce or lose mail.
    static func runInDeliveryPath(arguments: [String]) -> Never {
        if arguments.contains("--help") || arguments.contains("-h") {
            Output.line(Hamlet.helpMessage(for: Filter.self, columns: 80))
            Output.flush()
            terminate(0)
        }
        if arguments == ["--version"] {  // answered before stdin is read: nothing to filter
            Output.line(HamletInfo.version)
            Output.flush()
            terminate(0)
        }
        let input: [UInt8]
        do {
            input = try Mailbox.readAll(fd: 0, path: "-")
        } catch {
            // Whatever the mode: exiting 0 here would tell the mail system that an empty message was delivered.
            Output.error("filter: cannot read the message: \(describe(error)); nothing written (temporary failure)")
            terminate(DeliveryFilter.temporaryFailure)
        }
        let outcome: FilterOutcome
        do {
            // A direct reading of filter's few options: swift-argument-parser's reflection (even building a `Filter`)
            // costs more than the rest of a filter run. Anything it does not know goes to swift-argument-parser.
            let command = try FilterOptions.quickParse(arguments) ?? Filter.parse(arguments).options
            let configuration = try command.configured(try HamletConfiguration.load())
            let filter = DeliveryFilter(
                configuration: configuration,
                storePath: try configuration.storeLocation(explicit: command.db, user: command.user))
            outcome = filter.run(input)
        } catch {
            // A usage or configuration error: take the modes from the raw arguments.
            let message = error is HamletError ? describe(error) : Filter.message(for: error)
            outcome = DeliveryFilter.failure(
                input, error: HamletError.usage(message),
                mode: arguments.contains("--exit-code") ? .exitCode : .passThrough,
                tempfail: arguments.contains("--tempfail"))
        }
        if let error = outcome.error {
            let consequence =
                outcome.output == nil ? "nothing written (temporary failure)" : "message passed through unchanged"
            Output.error("filter: \(describe(error)); \(consequence)")
        }
        if let output = outcome.output {
            Output.write(bytes: output)
            if !Output.flush() {
                // The mail system did not get the whole message: ask it to retry rather than take a torso.
                Output.error("filter: cannot write the message to stdout: \(String(cString: strerror(errno)))")
                terminate(DeliveryFilter.temporaryFailure)
            }
        }
        terminate(outcome.status)
    }
}

private func terminate(_ code: Int32) -> Never {
    #if canImport(Glibc)
        Glibc.exit(code)
    #else
        Darwin.exit(code)
    #endif
}

/// `filter`'s options as plain values: building a `Filter` (property wrappers, name tables) costs a quarter of a
/// millisecond, a tenth of a filter run.
struct FilterOptions {
    var db: String?
    var user: String?
    var exitCode = false
    var tempfail = false
    var spamThreshold: Double?
    var hamThreshold: Double?
    var subjectTag: String?
    var log: String?

    /// Reads `filter`'s arguments without swift-argument-parser; nil for anything it does not recognise (an unknown
    /// option, a missing or malformed value), which then goes through `Filter.parse` for its usage message.
    static func quickParse(_ arguments: [String]) -> FilterOptions? {
        var command = FilterOptions()
        var i = 0
        func value() -> String? {
            i += 1
            return i < arguments.count ? arguments[i] : nil
        }
        while i < arguments.count {
            var argument = arguments[i]
            var inline: String? = nil
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                inline = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            func text() -> String? { inline ?? value() }
            switch argument {
            case "--exit-code": guard inline == nil else { return nil }; command.exitCode = true
            case "--tempfail": guard inline == nil else { return nil }; command.tempfail = true
            case "--db": guard let v = text() else { return nil }; command.db = v
            case "--user": guard let v = text() else { return nil }; command.user = v
            case "--spam-threshold":
                guard let v = text(), let p = Double(v) else { return nil }; command.spamThreshold = p
            case "--ham-threshold":
                guard let v = text(), let p = Double(v) else { return nil }; command.hamThreshold = p
            case "--subject-tag": guard let v = text() else { return nil }; command.subjectTag = v
            case "--log": guard let v = text() else { return nil }; command.log = v
            default: return nil
            }
            i += 1
        }
        return command
    }

    /// Applies the command line on top of the configuration file.
    func configured(_ base: HamletConfiguration) throws -> HamletConfiguration {
        var configuration = base
        if exitCode { try configuration.set("filter.exit_mode", .string("exit-code"), source: "command line") }
        if tempfail { try configuration.set("filter.tempfail", .bool(true), source: "command line") }
        if let spamThreshold {
            try configuration.set("filter.spam_threshold", .number(spamThreshold), source: "command line")
        }
        if let hamThreshold {
            try configuration.set("filter.ham_threshold", .number(hamThreshold), source: "command line")
        }
        if let subjectTag { try configuration.set("filter.subject_tag", .string(subjectTag), source: "command line") }
        if let log { try configuration.set("filter.verdict_log", .string(log), source: "command line") }
        try configuration.validate()
        return configuration
    }
}
