import SpamStore

/// One site setting (the store, the filter, limits, header names), declared once: its key in the configuration
/// file, how a value is checked and applied, and how `hamlet config` shows it. Model settings are `ModelSetting`s,
/// under `model.`.
public struct SiteSetting: Sendable {
    public let key: String
    let apply: @Sendable (inout HamletConfiguration, ConfigValueReader) throws -> Void
    let show: @Sendable (HamletConfiguration) -> String

    /// Every site setting, in the order `hamlet config` lists them.
    public static let all: [SiteSetting] = [
        SiteSetting(key: "store.path", apply: { $0.storePath = try $1.string() }) {
            $0.storePath.map { quoted(StoreOpener.displayed($0)) } ?? "(XDG default)"
        },
        SiteSetting(key: "store.password_file", apply: { $0.storePasswordFile = try $1.string() }) {
            $0.storePasswordFile.map(quoted) ?? ""
        },
        integer("store.busy_timeout", \.busyTimeoutMilliseconds, minimum: 0),
        boolean("store.keep_raw", \.keepRaw),
        integer("store.keep_days", \.retention.maximumAgeDays, minimum: 0),
        integer("store.keep_examples", \.retention.maximumExamples, minimum: 0),
        probability("filter.spam_threshold", \.thresholds.spam),
        probability("filter.ham_threshold", \.thresholds.ham),
        integer("filter.young_store_ham", \.thresholds.youngStoreHam, minimum: 0),
        choice("filter.exit_mode", \.exitMode),
        boolean("filter.tempfail", \.tempfail),
        SiteSetting(
            key: "filter.subject_tag",
            apply: { configuration, value in
                let tag = try value.string()
                guard !tag.utf8.contains(where: { $0 < 0x20 }) else { throw value.invalid("must be one line") }
                configuration.subjectTag = tag.isEmpty ? nil : tag
            }, show: { quoted($0.subjectTag ?? "") }),
        SiteSetting(
            key: "filter.verdict_log",
            apply: { configuration, value in
                let log = try value.string()
                configuration.verdictLog = log.isEmpty ? nil : log
            }, show: { quoted($0.verdictLog ?? "") }),
        integer("limits.message_size", \.model.features.sizeLimit, minimum: 1024),
        integer("limits.mime_depth", \.model.features.parseLimits.maxDepth, minimum: 1),
        integer("limits.mime_parts", \.model.features.parseLimits.maxParts, minimum: 1),
        integer("limits.tokens", \.model.features.tokenLimit, minimum: 100),
        integer("limits.html_size", \.model.features.htmlLimit, minimum: 1024),
        headerName("headers.flag", \.headerNames.flag),
        headerName("headers.status", \.headerNames.status),
        headerName("headers.level", \.headerNames.level),
        headerName("headers.verdict", \.headerNames.verdict),
        SiteSetting(
            key: "serve.user_stores",
            apply: { configuration, value in
                let template = try value.string()
                guard template.isEmpty || template.contains("%u") else {
                    throw value.invalid("must name each user's store with %u, e.g. /var/lib/hamlet/%u.sqlite")
                }
                configuration.userStoreTemplate = template.isEmpty ? nil : template
            }, show: { quoted($0.userStoreTemplate ?? "") }),
        integer("serve.models_in_memory", \.modelsInMemory, minimum: 1)
    ]

    /// The settings by key.
    static let named: [String: SiteSetting] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })

    static func quoted(_ text: String) -> String { "\"\(text)\"" }

    static func integer(
        _ key: String, _ path: WritableKeyPath<HamletConfiguration, Int> & Sendable, minimum: Int
    ) -> SiteSetting {
        SiteSetting(key: key, apply: { $0[keyPath: path] = try $1.integer(minimum: minimum) }) {
            String($0[keyPath: path])
        }
    }

    static func boolean(_ key: String, _ path: WritableKeyPath<HamletConfiguration, Bool> & Sendable) -> SiteSetting {
        SiteSetting(key: key, apply: { $0[keyPath: path] = try $1.bool() }) { String($0[keyPath: path]) }
    }

    static func probability(_ key: String, _ path: WritableKeyPath<HamletConfiguration, Double> & Sendable)
        -> SiteSetting
    {
        SiteSetting(key: key, apply: { $0[keyPath: path] = try $1.probability() }) { String($0[keyPath: path]) }
    }

    static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ key: String, _ path: WritableKeyPath<HamletConfiguration, T> & Sendable
    ) -> SiteSetting where T.RawValue == String {
        SiteSetting(
            key: key,
            apply: { configuration, value in
                guard let choice = T(rawValue: try value.string()) else {
                    throw value.invalid("must be " + T.allCases.map { quoted($0.rawValue) }.joined(separator: " or "))
                }
                configuration[keyPath: path] = choice
            }, show: { quoted($0[keyPath: path].rawValue) })
    }

    static func headerName(_ key: String, _ path: WritableKeyPath<HamletConfiguration, String> & Sendable)
        -> SiteSetting
    {
        SiteSetting(key: key, apply: { $0[keyPath: path] = try $1.headerName() }) { quoted($0[keyPath: path]) }
    }
}

/// A configuration value being read for one key, with the checks settings share; failures name the key.
struct ConfigValueReader {
    let key: String
    let value: ConfigValue

    func invalid(_ message: String) -> HamletError { .configuration("\(key) \(message)") }

    func string() throws -> String {
        guard case .string(let s) = value else { throw invalid("needs a string") }
        return s
    }

    func number() throws -> Double {
        guard case .number(let n) = value else { throw invalid("needs a number") }
        guard n.isFinite else { throw invalid("needs a finite number, not \(n)") }
        return n
    }

    func integer(minimum: Int) throws -> Int {
        let n = try number()
        guard n == n.rounded(), n >= Double(minimum), n < 1e15 else {
            throw invalid("needs a whole number of at least \(minimum)")
        }
        return Int(n)
    }

    func bool() throws -> Bool {
        guard case .bool(let b) = value else { throw invalid("needs true or false") }
        return b
    }

    func probability() throws -> Double {
        let p = try number()
        guard p >= 0, p <= 1 else { throw invalid("must be between 0 and 1") }
        return p
    }

    func headerName() throws -> String {
        let name = try string()
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
            throw invalid("must be a header field name (printable ASCII, no colon or space)")
        }
        // filter deletes earlier fields of these names from every message: a standard field's name (Received,
        // Subject, Message-ID) would cost every message that field.
        guard name.lowercased().hasPrefix("x-"), name.count > 2 else {
            throw invalid(
                "must be an extension field name starting with X- (filter removes earlier fields of this name from "
                    + "every message), not \(name)")
        }
        return name
    }
}
