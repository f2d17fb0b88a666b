import ArgumentParser
import HamletKit
import MailParser
import SpamStore

import Platform

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Look after the store: stats, check, vacuum, prune, export, import, copy.",
        subcommands: [
            DatabaseStats.self, Check.self, Vacuum.self, Prune.self, Export.self, Import.self, Copy.self, Reextract.self
        ]
    )
}

struct DatabaseStats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "The same as hamlet stats.")
    @OptionGroup var store: StoreOption
    func run() throws {
        var stats = Stats()
        stats.store = store
        try stats.run()
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the store: SQLite's integrity check, feature versions, document counts, references.",
        discussion: "Exits 0 when all is well, 1 with the problems listed otherwise.")
    @OptionGroup var store: StoreOption

    func run() throws {
        let (configuration, sqlite) = try store.open(readOnly: true)
        // The feature space in use: the current model's, else the configured one.
        let extractor = (try sqlite.currentModelOptions(base: configuration.model) ?? configuration.model).features
            .extractorVersion
        let problems = try sqlite.check(extractor: extractor)
        if problems.isEmpty {
            Output.line("ok: \(sqlite.location)")
            return
        }
        for problem in problems { Output.line("problem: \(problem)") }
        Output.flush()
        throw ExitCode(ExitStatus.failure)
    }
}

struct Vacuum: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Give the store's free pages back to the file system.",
        discussion: """
            Compacts in short steps, so that filters and trains running meanwhile barely wait. A store made before \
            Hamlet's schema 5 is rebuilt once instead (holding the store for the whole rebuild), which switches it \
            to the step-wise mode.
            """)
    @OptionGroup var store: StoreOption

    func run() throws {
        let sqlite = try store.open().store
        let converted = try sqlite.vacuum()
        Output.line(
            "vacuumed \(sqlite.location): \(formatFixed(Double(try sqlite.sizeInBytes()) / 1_048_576, decimals: 1)) MB"
                + (converted ? " (rebuilt once, to compact in short steps from now on)" : ""))
    }
}

struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drop rare tokens (from the vocabulary, the examples and the models) and old model versions.")

    @Option(name: .customLong("min-documents"), help: "Keep tokens found in at least this many stored messages.")
    var minimumDocuments: Int = 2

    @Option(name: .customLong("unseen-days"), help: "Only drop tokens not seen for this many days.")
    var unseenDays: Int?

    @Option(name: .customLong("keep-models"), help: "Model versions to keep.")
    var keepModels: Int = 3

    @OptionGroup var store: StoreOption

    func run() throws {
        let sqlite = try store.open().store
        let dropped = try sqlite.prune(
            minimumDocuments: minimumDocuments, unseenForDays: unseenDays, keepModels: keepModels)
        Output.line("dropped \(dropped) tokens; \(try sqlite.read { try sqlite.vocabularySize() }) remain")
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the store's examples and settings as text (docs/STORE.md describes the format).")

    @Argument(help: "The file to write, or - for stdout.")
    var file: String = "-"

    @OptionGroup var store: StoreOption

    func run() throws {
        let sqlite = try store.open(readOnly: true).store
        var out: UnsafeMutablePointer<FILE>? = nil
        if file != "-" {
            // Owner-only, as the store is: an export holds every example's tokens and Message-ID.
            let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            if fd >= 0 { out = fdopen(fd, "w") }
            guard out != nil else {
                throw HamletError.io("cannot write \(file): \(String(cString: strerror(errno)))")
            }
        }
        defer { if let out { fclose(out) } }
        try sqlite.export { line in
            if let out {
                var text = line + "\n"
                let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, out) }
                if written != text.utf8.count { throw HamletError.io("cannot write \(file)") }
            } else {
                Output.line(line)
            }
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read an export into the store (created if needed), then refit the model.")

    @Argument(help: "The file to read, or - for stdin.")
    var file: String = "-"

    @OptionGroup var store: StoreOption

    func run() throws {
        var madeStore: String? = nil  // a store this import created, removed again if the import fails
        do {
            // The export first: a missing or unreadable one must not leave an empty store behind.
            var bytes: [UInt8] = []
            if file == "-" {
                bytes = try Mailbox.readAll(fd: 0, path: "-")
            } else {
                let fd = open(file, O_RDONLY)
                guard fd >= 0 else { throw MailboxError.notFound(file) }
                defer { close(fd) }
                bytes = try Mailbox.readAll(fd: fd, path: file)
            }
            let path = try store.context().storePath
            if access(path, F_OK) != 0 { madeStore = path }
            let (configuration, sqlite) = try store.open(create: true)
            let (changed, modelID) = try Trainer(store: sqlite, options: configuration.modelOptions).importExport(bytes)
            let counts = try sqlite.read { try sqlite.exampleCounts() }
            Output.line(
                "imported \(changed) examples; store holds \(counts.spam) spam and \(counts.ham) ham"
                    + (modelID.map { "; fitted model \($0)" } ?? ""))
        } catch {
            if let madeStore { for suffix in ["", "-wal", "-shm"] { unlink(madeStore + suffix) } }
            throw error
        }
    }
}

struct Copy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a store into a new one: settings, examples, and the current model without a refit.",
        discussion: """
            The copy holds what the original holds (their exports are identical) and scores every message as the \
            original does: the model version is copied, its rows matched to the copy's tokens. TO must not hold \
            examples yet; it is created if missing, and removed again if the copy fails.
            """)

    @Argument(help: "The store to copy.")
    var from: String

    @Argument(help: "The new store.")
    var to: String

    func run() throws {
        try SiblingProgram.handOverIfNeeded(for: from)
        try SiblingProgram.handOverIfNeeded(for: to)
        let configuration = try HamletConfiguration.load()
        let source = try configuration.openStore(at: from, create: false, readOnly: true)
        try StoreOpener.checkLocation(to)
        let madeStore = !StoreOpener.isURL(to) && access(to, F_OK) != 0
        do {
            let target = try configuration.openStore(at: to, create: true)
            let report = try StoreCopy.copy(from: source, to: target)
            Output.line(
                "copied \(report.examples) examples from \(source.location) to \(target.location)"
                    + (report.modelID.map { "; model copied as version \($0)" } ?? "; no model to copy"))
        } catch {
            if madeStore { for suffix in ["", "-wal", "-shm"] { unlink(to + suffix) } }
            throw error
        }
    }
}

struct Reextract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild stored examples' features with this Hamlet's extractor, then refit the model.",
        discussion: """
            After an upgrade that changes the tokens messages yield, the store's examples no longer match: retrain \
            refuses to mix the two feature spaces. This rebuilds every example whose message was kept \
            (store.keep_raw = true in the configuration when it was trained); examples without a kept message are \
            listed, to be trained again from the mail.
            """)
    @OptionGroup var store: StoreOption

    func run() throws {
        let (configuration, sqlite) = try store.open()
        let trainer = Trainer(store: sqlite, options: configuration.modelOptions)
        let (changed, remaining, modelID) = try trainer.reextractAndRefit()
        var line = "re-extracted \(changed) examples with \(configuration.modelOptions.features.extractorVersion)"
        if remaining > 0 {
            line +=
                "; \(remaining) examples kept no message and are still of another extractor: train them again from the mail"
        }
        line += modelID.map { "; fitted model \($0)" } ?? ""
        Output.line(line)
    }
}
