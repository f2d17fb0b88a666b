import SpamStore

/// What `hamlet db copy` did.
public struct StoreCopyReport: Sendable, Equatable {
    public var examples = 0
    /// The copy's model version, nil when the original had none.
    public var modelID: Int64? = nil
}

/// Copies a store into a new one, whatever keeps each (`hamlet db copy`): the settings and every example through
/// the export format (labels, dates and token counts as they were), each example's recorded log-odds (which
/// `relabel` uses), and the current model version with its rows moved to the copy's token ids, so that the copy
/// scores every message exactly as the original does, without a refit.
public enum StoreCopy {
    public static func copy(from source: any HamletStore, to target: any HamletStore) throws -> StoreCopyReport {
        let (held, model) = try target.read { (try target.exampleCounts(), try target.currentModel()) }
        guard held.spam + held.ham == 0, model == nil else {
            throw HamletError.usage("\(target.location) already holds examples or a model: copy into a new store")
        }
        var report = StoreCopyReport()
        let digests = try target.write {
            var reader = try ExportReader(into: target)
            var number = 0
            try source.export { line in
                number += 1
                try reader.read(line, number: number)
            }
            try reader.finish()
            return reader.digests
        }
        report.examples = digests.count
        let recorded = try source.read { try source.fitLogits() }
        let logits = digests.compactMap { digest in recorded[digest].map { (digest: digest, logit: $0) } }
        if !logits.isEmpty { try target.write { try target.setFitLogits(logits) } }
        report.modelID = try copyCurrentModel(from: source, to: target)
        return report
    }

    /// Writes the source's current model version into the target, rows moved from the source's token ids to the
    /// target's by token text; returns the new version's id.
    private static func copyCurrentModel(from source: any HamletStore, to target: any HamletStore) throws -> Int64? {
        var rows: [(token: String, row: [Double])] = []
        let info: ModelInfo? = try source.read {
            guard let info = try source.currentModel() else { return nil }
            var byID: [Int32: [Double]] = [:]
            try source.forEachModelRow(modelID: info.id) { id, row in byID[id] = Array(row) }
            try source.forEachScoredToken(modelID: info.id) { bytes, id in
                if let row = byID[id] { rows.append((String(decoding: bytes, as: UTF8.self), row)) }
            }
            return info
        }
        guard let info else { return nil }
        return try target.write {
            var vocabulary = try target.vocabulary()
            var placed: [(id: Int32, row: [Double])] = []
            // A row's token may be new to the copy: the model outlived the examples that held it.
            for (token, row) in rows { placed.append((try target.tokenID(token, in: &vocabulary), row)) }
            let width = max(1, (placed.first?.row.count ?? 2) / 2)
            let size = (Int(placed.map(\.id).max() ?? 0) + 1) * width
            var weights = [Double](repeating: 0, count: size)
            var accumulators = [Double](repeating: 0, count: size)
            for (id, row) in placed {
                for unit in 0..<width {
                    weights[Int(id) * width + unit] = row[unit]
                    accumulators[Int(id) * width + unit] = row[width + unit]
                }
            }
            let layout: RowLayout = info.kind == "logreg" ? .scalar : .vector(width: width)
            return try target.insertModel(
                ModelHeader(
                    kind: info.kind, options: info.options, extractor: info.extractor,
                    exampleCount: info.exampleCount, metrics: info.metrics,
                    fittedChanges: try target.exampleChanges()),
                rows: ModelRows(layout: layout, weights: weights, accumulators: accumulators),
                parameters: info.parameters)
        }
    }
}
