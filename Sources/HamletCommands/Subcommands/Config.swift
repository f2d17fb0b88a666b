import ArgumentParser
import HamletKit
import SpamStore

struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the effective settings and where each came from.",
        discussion: """
            Settings come from built-in defaults, then the configuration file ($HAMLET_CONFIG, else \
            $XDG_CONFIG_HOME/hamlet/config.toml, else ~/.config/hamlet/config.toml), then the environment \
            (HAMLET_DB), then each command's options. The file is TOML: [section] headers and key = value lines; \
            the output of this command is a valid file to start from.
            """)

    func run() throws {
        let environment = ProcessEnvironment.current
        let configuration = try HamletConfiguration.load(environment: environment)
        let path = HamletConfiguration.filePath(environment: environment)
        Output.line("# configuration file: \(path)\(configuration.file == nil ? " (not present)" : "")")
        Output.line(
            "# store in use: \(StoreOpener.displayed(configuration.resolvedStorePath(explicit: nil, environment: environment)))"
        )
        var section = ""
        for key in HamletConfiguration.keys {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            if parts[0] != section {
                section = parts[0]
                Output.line("\n[\(section)]")
            }
            let value = configuration.value(of: key)
            let line =
                (key == "store.path" && configuration.storePath == nil ? "# path = " : "\(parts[1]) = ") + value
            Output.line(
                line + String(repeating: " ", count: max(1, 40 - line.count)) + "# " + configuration.source(of: key)
            )
        }
    }
}
