import Learning
import SpamStore
import TextFeatures

/// A freshly fitted model and the optimizer memory its in-place learning continues.
protocol FittedModel: Sendable {
    /// The model as Hamlet scores with it.
    var model: any SpamModel { get }
    /// The model fitted in a canonical feature space (rank r) with its rows moved to the store's token ids
    /// (`storedID[r]`).
    func inStoreOrder(_ storedID: [Int32]) -> any FittedModel
    /// Its per-token rows and their accumulators, as the store keeps them.
    var rows: ModelRows { get }
    /// Its other parameters followed by their accumulators.
    var parameters: [Double] { get }
}

extension FittedModel {
    /// Writes the model as a new version (inside `write`); returns its id.
    func insertVersion(
        into store: any HamletStore, options: ModelOptions, exampleCount: Int, metrics: String, fittedChanges: Int64
    ) throws -> Int64 {
        try store.insertModel(
            ModelHeader(
                kind: options.kind, options: options.serialized, extractor: options.features.extractorVersion,
                exampleCount: exampleCount, metrics: metrics, fittedChanges: fittedChanges),
            rows: rows, parameters: parameters)
    }
}

/// Moves a fitted model's dense rows (`width` values a feature, in canonical rank order) to store token ids.
func rowsInStoreOrder(_ values: [Double], width: Int, storedID: [Int32]) -> [Double] {
    var result = [Double](repeating: 0, count: values.count)
    for rank in 0..<(values.count / width) {
        let id = Int(storedID[rank])
        for u in 0..<width { result[id * width + u] = values[rank * width + u] }
    }
    return result
}
