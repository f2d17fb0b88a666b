import ArgumentParser
import HamletKit
import SpamStore

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what the store holds.")

    @OptionGroup var store: StoreOption

    func run() throws {
        do {
            let sqlite = try SQLiteStore(path: store.resolvedPath, create: false)
            let stats = try sqlite.statistics()
            Output.line("store            \(sqlite.path)")
            Output.line("examples         \(stats.spamExamples) spam, \(stats.hamExamples) ham")
            Output.line("vocabulary       \(stats.vocabularySize) tokens")
            if let model = stats.model {
                Output.line("model            version \(model.id), \(model.kind), trained on \(model.exampleCount) examples")
                Output.line("features         \(model.extractor)")
                Output.line("options          \(model.options)")
            } else {
                Output.line("model            none yet")
            }
            Output.flush()
        } catch {
            throw ExitStatus.report(error)
        }
    }
}
