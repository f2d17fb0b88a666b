import SpamStore

extension Trainer {
    /// Reads an export (`db export`'s text) into the store in one write transaction, so that a bad line leaves the
    /// store as it was, then refits the model from every stored example. Returns how many examples the export
    /// added or moved, and the new model's id (nil when the store holds no examples).
    public func importExport(_ text: [UInt8]) throws -> (changed: Int, modelID: Int64?) {
        let changed = try store.write {
            var reader = try ExportReader(into: store)
            let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() { try reader.read(String(line), number: index + 1) }
            try reader.finish()
            return reader.changed
        }
        var report = TrainReport()
        try fit(into: &report)
        return (changed, report.modelID)
    }
}
