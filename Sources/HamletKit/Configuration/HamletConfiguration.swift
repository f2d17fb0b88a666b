import Learning
import MailParser
import SpamStore
import TextFeatures

import Platform

/// Hamlet's effective settings: built-in defaults, then `$XDG_CONFIG_HOME/hamlet/config.toml` (or the file named by
/// `HAMLET_CONFIG`), then the environment (`HAMLET_DB`), then command-line options. Each setting remembers where
/// its value came from, for `hamlet config`.
public struct HamletConfiguration: Sendable {
    public var storePath: String? = nil
    /// A file holding the password of a store on a server, when neither its URL nor `PGPASSWORD` gives one.
    public var storePasswordFile: String? = nil
    /// How long to wait for another process's write to finish before giving up, in milliseconds.
    public var busyTimeoutMilliseconds = 10_000
    /// Keep each trained message (compressed) in the store, so `hamlet db reextract` can rebuild features later.
    public var keepRaw = false
    /// How long the store keeps examples (`store.keep_days`, `store.keep_examples`).
    public var retention = Retention()
    public var thresholds = Thresholds.standard
    public var exitMode = FilterExitMode.passThrough
    public var tempfail = false
    /// Prepended to the Subject of spam by `filter` (and ignored by the digest); nil for none.
    public var subjectTag: String? = nil
    /// Where `filter` logs one line per message: a file path, `syslog`, or nil for no log.
    public var verdictLog: String? = nil
    public var headerNames = FilterHeaderNames()
    /// The daemon's per-user stores: a path with `%u` for the user a client names (spamd's `User`); nil: every
    /// user is scored by the site store.
    public var userStoreTemplate: String? = nil
    /// How many users' models the daemon keeps in memory (the least recently used goes first).
    public var modelsInMemory = 64
    /// Model and feature settings as set (the size limit lives in `model.features.sizeLimit`); commands use
    /// `modelOptions`, which adds the digest rules.
    public var model = ModelOptions()

    /// `model` with the digest rules that ignore Hamlet's configured header names and subject tag: what every
    /// command analyses messages with.
    public var modelOptions: ModelOptions {
        var options = model
        options.features.digest = digestRules
        return options
    }
    /// Where the file came from, if one was read.
    public private(set) var file: String? = nil
    private var sources: [String: String] = [:]

    public init() {}

    /// Every setting's key, in display order.
    public static let keys = SiteSetting.all.map(\.key) + ModelSetting.all.map { "model." + $0.configKey }

    /// The configuration file's location: `$HAMLET_CONFIG`, else `$XDG_CONFIG_HOME/hamlet/config.toml`, else
    /// `~/.config/hamlet/config.toml`.
    public static func filePath(environment: [String: String]) -> String {
        if let explicit = environment["HAMLET_CONFIG"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/hamlet/config.toml" }
        return (environment["HOME"] ?? ".") + "/.config/hamlet/config.toml"
    }

    /// Defaults, then the configuration file if it exists, then the environment.
    public static func load(environment: [String: String] = ProcessEnvironment.current) throws -> HamletConfiguration {
        var configuration = HamletConfiguration()
        let path = filePath(environment: environment)
        if access(path, F_OK) == 0 {
            var bytes: [UInt8] = []
            do {
                try Mailbox.read(path) { bytes = $0.bytes }
            } catch {
                throw HamletError.configuration("cannot read \(path): \(describe(error))")
            }
            do {
                for entry in try TOMLSubset.parse(String(decoding: bytes, as: UTF8.self)) {
                    do {
                        try configuration.set(entry.key, entry.value, source: path)
                    } catch HamletError.configuration(let message) {
                        throw HamletError.configuration("\(path):\(entry.line): \(message)")
                    } catch let error as HamletError {
                        throw HamletError.configuration("\(path):\(entry.line): \(error)")
                    }
                }
            } catch let error as TOMLSubset.ParseError {
                throw HamletError.configuration("\(path):\(error.line): \(error.message)")
            }
            configuration.file = path
        }
        if let database = environment["HAMLET_DB"], !database.isEmpty {
            configuration.storePath = database
            configuration.sources["store.path"] = "environment (HAMLET_DB)"
        }
        try configuration.validate()
        return configuration
    }

    /// Sets one setting; `source` is remembered for `hamlet config`.
    public mutating func set(_ key: String, _ value: ConfigValue, source: String) throws {
        if let setting = SiteSetting.named[key] {
            try setting.apply(&self, ConfigValueReader(key: key, value: value))
        } else if key.hasPrefix("model."), let setting = ModelSetting.configured(String(key.dropFirst("model.".count)))
        {
            try setModel(setting, key: key, value)
        } else {
            throw HamletError.configuration("unknown setting '\(key)' (hamlet config lists them)")
        }
        sources[key] = source
    }

    /// Sets a `model.` setting from its TOML value: text settings take strings (and `normalize` its old true or
    /// false), the others numbers; `ModelSetting` checks the value.
    private mutating func setModel(_ setting: ModelSetting, key: String, _ value: ConfigValue) throws {
        let text: String
        switch value {
        case .string(let s) where setting.isText: text = s
        case .number(let n) where !setting.isText:
            guard n.isFinite else { throw HamletError.configuration("\(key) needs a finite number, not \(n)") }
            text = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b) where setting.recordKey == "normalize": text = String(b)
        default: throw HamletError.configuration("\(key) needs \(setting.isText ? "a string" : "a number")")
        }
        guard setting.set(text, in: &model) else {
            throw HamletError.configuration("\(key) must be \(setting.expected)")
        }
    }

    public func validate() throws {
        if thresholds.ham > thresholds.spam {
            throw HamletError.configuration(
                "filter.ham_threshold (\(thresholds.ham)) is above filter.spam_threshold (\(thresholds.spam))")
        }
        if Set(headerNames.all.map { $0.lowercased() }).count != 4 {
            throw HamletError.configuration("the four header names must differ")
        }
    }

    /// Where a setting's value came from.
    public func source(of key: String) -> String { sources[key] ?? "default" }

    /// The value of a setting, as `hamlet config` prints it.
    public func value(of key: String) -> String {
        if let setting = SiteSetting.named[key] { return setting.show(self) }
        guard key.hasPrefix("model."), let setting = ModelSetting.configured(String(key.dropFirst("model.".count)))
        else { return "?" }
        let value = setting.value(in: model)
        return setting.isText ? "\"\(value)\"" : value
    }

    /// The store's path: `--db`, else `HAMLET_DB`, else the configuration file, else the XDG default.
    public func resolvedStorePath(explicit: String?, environment: [String: String] = ProcessEnvironment.current)
        -> String
    {
        if let explicit, !explicit.isEmpty { return explicit }
        if let storePath, !storePath.isEmpty { return storePath }
        return StoreLocation.resolve(explicit: nil, environment: environment)
    }

    /// Opens the store at `path` with the configured busy timeout; with `create`, creates it and its folder.
    /// `readOnly` for commands that only read: they work on a read-only file system or an unwritable folder too.
    public func openStore(at path: String, create: Bool, readOnly: Bool = false) throws -> any HamletStore {
        try StoreOpener.checkLocation(path)
        if !StoreOpener.isURL(path) {
            if create { try StoreLocation.createParentDirectory(of: path) }
            if !readOnly { Self.warnIfFolderIsOpenToAll(path) }
        }
        return try StoreOpener.open(
            path, create: create, readOnly: readOnly && !create,
            busyTimeoutMilliseconds: Int32(clamping: busyTimeoutMilliseconds), passwordFile: storePasswordFile)
    }

    /// A trainer for `store` that keeps what this configuration says to keep: the messages themselves
    /// (`store.keep_raw`) and examples only as long as `store.keep_days` and `store.keep_examples` allow.
    public func trainer(for store: any HamletStore, options: ModelOptions? = nil, jobs: Int = availableProcessors())
        -> Trainer
    {
        var trainer = Trainer(store: store, options: options ?? modelOptions, jobs: jobs)
        trainer.keepRaw = keepRaw
        trainer.retention = retention
        return trainer
    }

    /// A store in a folder every user may write (without the sticky bit) can be replaced or removed by any of
    /// them: say so on stderr, once per command that writes.
    static func warnIfFolderIsOpenToAll(_ path: String) {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        var info = stat()
        guard stat(folder, &info) == 0 else { return }
        if info.st_mode & S_IWOTH != 0 && info.st_mode & S_ISVTX == 0 {
            StandardError.line(
                "warning: \(OutputEscaping.escaped(folder)), which holds the store, is writable by every user: "
                    + "any of them could replace the store")
        }
    }

    /// The digest rules with Hamlet's configured header names and subject tag ignored too.
    public var digestRules: MessageDigest {
        var rules = MessageDigest(subjectTag: subjectTag)
        for name in headerNames.all { rules.ignoredNames.insert(name.lowercased()) }
        return rules
    }
}
