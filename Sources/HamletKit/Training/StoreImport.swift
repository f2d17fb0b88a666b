import SpamStore

extension Trainer {
    /// Reads an export (`db export`'s text) into the store in one write transaction, so that a bad line leaves the
    /// store as it was, then refits the model from every stored example. Returns how many examples the export
    /// added or moved, and the new model's id (nil when the store holds no examples).
    public func importExport(_ text: [UInt8]) throws -> (changed: Int, modelID: Int64?) {
        var changed = 0
        try store.write {
            var vocabulary = try store.vocabulary()
            var deltas = DocumentCountDeltas()
            let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                let change = try store.importLine(
                    String(line), number: index + 1, vocabulary: &vocabulary, deltas: &deltas)
                if let change, change != .unchanged { changed += 1 }
            }
            try store.applyDocumentCounts(deltas)
        }
        var report = TrainReport()
        try fit(into: &report)
        return (changed, report.modelID)
    }
}
