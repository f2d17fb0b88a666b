import Learning
import SpamStore
import TextFeatures

/// The model settings recorded with every model version, as readable `key=value` pairs.
public struct ModelOptions: Sendable {
    public var training = TrainingOptions()
    public var features = FeatureSettings()

    public init() {}

    /// The model kind recorded with a model version.
    public var kind: String { training.model.rawValue }

    /// The settings as a model version records them (`ModelSetting.all`, in order).
    public var serialized: String {
        ModelSetting.all.filter { $0.onlyFor == nil || $0.onlyFor == training.model }
            .map { "\($0.recordKey)=\($0.value(in: self))" }.joined(separator: " ")
    }

    /// Reads options written by `serialized` on top of `base` (which supplies what a model does not record:
    /// the size limit and digest rules); unknown keys and invalid values are ignored, missing ones keep `base`'s
    /// values, except the settings older models did not record (kind, feature weighting, rare-token pruning, ham
    /// weight): those take the value that such a model was made with.
    public init(serialized text: String, base: ModelOptions = ModelOptions()) {
        self = base
        var seen = Set<String>()
        // Split on the bytes: `filter` reads this for every message, and splitting by Characters (grapheme
        // breaking) and searching substrings cost more than its whole scoring.
        for pair in text.utf8.split(separator: UInt8(ascii: " ")) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")), equals != pair.startIndex,
                pair.index(after: equals) != pair.endIndex
            else { continue }
            let key = String(decoding: pair[pair.startIndex..<equals], as: UTF8.self)
            guard let setting = ModelSetting.recorded(key) else { continue }
            seen.insert(key)
            _ = setting.set(String(decoding: pair[pair.index(after: equals)...], as: UTF8.self), in: &self)
        }
        // A model written before kinds were recorded is logistic regression.
        if !seen.contains("model") { training.model = .logreg }
        // A model written before feature weighting was recorded was fitted without it.
        if !seen.contains("weighting") { training.featureWeighting = .none }
        // ... and before rare tokens were left out of fits, with every token.
        if !seen.contains("min_df") { training.minimumDocumentFrequency = 1 }
        // ... and before ham was weighed up, with every example counting once.
        if !seen.contains("ham_weight") { training.hamWeight = 1 }
    }

    /// "64" or "64,32": one or two positive layer sizes.
    public static func hiddenSizes(_ text: String) -> [Int]? {
        let sizes = text.split(separator: ",").map { Int(String($0.filter { $0 != " " })) }
        guard (1...2).contains(sizes.count), sizes.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 4096 }) else {
            return nil
        }
        return sizes.map { $0! }
    }
}

extension HamletStore {
    /// The settings the current model was made with (its record over `base`), read in one snapshot; nil when
    /// the store has no model.
    public func currentModelOptions(base: ModelOptions) throws -> ModelOptions? {
        try read { try currentModel() }.map { ModelOptions(serialized: $0.options, base: base) }
    }
}
