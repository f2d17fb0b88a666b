import Learning
import TextFeatures

/// One model setting, declared once: its key in a model version's record (`ModelOptions.serialized`) and, as
/// `model.<configKey>`, in the configuration file and `hamlet config`; how its value is written and read back.
/// The record is read leniently (an invalid value keeps the default), the configuration strictly.
public struct ModelSetting: Sendable {
    public let recordKey: String
    /// Its name in the configuration (`model.<configKey>`); the record's key but for the kind (`model.kind`).
    public let configKey: String
    /// What a valid value is, for the configuration's error message.
    public let expected: String
    /// Written as a TOML string (quoted) rather than a number.
    public let isText: Bool
    /// Recorded only for this kind of model (the network's shape).
    let onlyFor: ModelKind?
    let write: @Sendable (ModelOptions) -> String
    /// Sets the value from its text; false if the text is not a valid value.
    let read: @Sendable (inout ModelOptions, String) -> Bool

    public func value(in options: ModelOptions) -> String { write(options) }
    public func set(_ text: String, in options: inout ModelOptions) -> Bool { read(&options, text) }

    static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ recordKey: String, config: String? = nil, _ path: WritableKeyPath<ModelOptions, T> & Sendable,
        onlyFor: ModelKind? = nil
    ) -> ModelSetting where T.RawValue == String {
        ModelSetting(
            recordKey: recordKey, configKey: config ?? recordKey,
            expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "), isText: true, onlyFor: onlyFor,
            write: { $0[keyPath: path].rawValue },
            read: { options, text in
                guard let value = T(rawValue: text) else { return false }
                options[keyPath: path] = value
                return true
            })
    }

    static func integer(
        _ key: String, _ path: WritableKeyPath<ModelOptions, Int> & Sendable, minimum: Int
    ) -> ModelSetting {
        ModelSetting(
            recordKey: key, configKey: key, expected: "a whole number of at least \(minimum)",
            isText: false, onlyFor: nil, write: { String($0[keyPath: path]) },
            read: { options, text in
                guard let value = Int(text), value >= minimum else { return false }
                options[keyPath: path] = value
                return true
            })
    }

    static func number(
        _ key: String, _ path: WritableKeyPath<ModelOptions, Double> & Sendable, expected: String = "a number",
        where valid: @escaping @Sendable (Double) -> Bool = { _ in true }
    ) -> ModelSetting {
        ModelSetting(
            recordKey: key, configKey: key, expected: expected, isText: false, onlyFor: nil,
            write: { String($0[keyPath: path]) },
            read: { options, text in
                guard let value = Double(text), value.isFinite, valid(value) else { return false }
                options[keyPath: path] = value
                return true
            })
    }
}

extension ModelSetting {
    /// Every model setting, in the order a model version records them.
    public static let all: [ModelSetting] = [
        choice("model", config: "kind", \.training.model),
        ModelSetting(
            recordKey: "features", configKey: "features",
            expected: "a comma-separated list of: " + FeatureFamilies.names.joined(separator: ", "), isText: true,
            onlyFor: nil, write: { $0.features.families.list.isEmpty ? "none" : $0.features.families.list },
            read: { options, text in
                guard let families = FeatureFamilies(list: text) else { return false }
                options.features.families = families
                return true
            }),
        choice("transform", \.features.transform),
        ModelSetting(
            recordKey: "normalize", configKey: "normalize",
            expected: "one of " + Normalization.allCases.map(\.rawValue).joined(separator: ", "), isText: true,
            onlyFor: nil, write: { $0.features.normalization.rawValue },
            read: { options, text in
                // true and false: what the setting took before split normalisation (whole and none).
                let value: Normalization? =
                    text == "true" ? .whole : text == "false" ? Normalization.none : Normalization(rawValue: text)
                guard let value else { return false }
                options.features.normalization = value
                return true
            }),
        ModelSetting(
            recordKey: "hidden", configKey: "hidden", expected: "one or two layer sizes, such as \"64\" or \"64,32\"",
            isText: true, onlyFor: .mlp, write: { $0.training.hidden.map(String.init).joined(separator: ",") },
            read: { options, text in
                guard let sizes = ModelOptions.hiddenSizes(text) else { return false }
                options.training.hidden = sizes
                return true
            }),
        choice("activation", \.training.activation, onlyFor: .mlp),
        choice("output", \.training.output, onlyFor: .mlp),
        choice("optimizer", \.training.optimizer),
        number("ham_weight", \.training.hamWeight, expected: "a positive number") { $0 > 0 },
        choice("weighting", \.training.featureWeighting),
        integer("min_df", \.training.minimumDocumentFrequency, minimum: 1),
        integer("epochs", \.training.epochs, minimum: 1),
        number("learning_rate", \.training.learningRate, expected: "a positive number") { $0 > 0 },
        number("l2", \.training.l2, expected: "a number not below 0") { $0 >= 0 },
        integer("batch_size", \.training.batchSize, minimum: 1),
        ModelSetting(
            recordKey: "seed", configKey: "seed", expected: "a whole number of at least 0", isText: false,
            onlyFor: nil, write: { String($0.training.seed) },
            read: { options, text in
                guard let seed = UInt64(text) else { return false }
                options.training.seed = seed
                return true
            }),
        integer("incremental_steps", \.training.incrementalSteps, minimum: 1),
        number("incremental_rate", \.training.incrementalLearningRate, expected: "a positive number") { $0 > 0 }
    ]

    /// The setting a model version records as `key`.
    public static func recorded(_ key: String) -> ModelSetting? { byRecordKey[key] }

    private static let byRecordKey = Dictionary(uniqueKeysWithValues: all.map { ($0.recordKey, $0) })

    /// The setting named `model.<key>` in the configuration.
    public static func configured(_ key: String) -> ModelSetting? {
        all.first { $0.configKey == key }
    }
}
