/// Leaves out of a fit the features that too few of its examples contain (hapax legomena by default): in a large
/// training set, a weight learned from one message mostly memorises that message. In a small one it is much of
/// what there is to learn, so fits of fewer than `minimumFitSize` examples keep every feature.
public enum RareFeaturePruning {
    /// Fits with fewer examples than this are not pruned: below it, leaving out single-message tokens did worse
    /// on samples of the TRAIN list, above it better (docs/lab/EVALUATION.md has the figures by sample size).
    public static let minimumFitSize = 500

    /// The examples without the features fewer than `minimumExamples` of them contain (each example counts a
    /// feature once), or all of them unchanged when there are fewer than `minimumFitSize` examples. The other
    /// values are kept as they are: a message's vector is normalised over all its tokens, at training and at
    /// scoring alike, and a pruned token just has no weight.
    public static func pruned(_ examples: [LabeledExample], minimumExamples: Int) -> [LabeledExample] {
        guard minimumExamples > 1, examples.count >= minimumFitSize else { return examples }
        var width = 0
        for example in examples { width = max(width, Int(example.features.maxIndex) + 1) }
        var examplesWith = [Int32](repeating: 0, count: width)
        for example in examples {
            for j in example.features.indices { examplesWith[Int(j)] &+= 1 }
        }
        let minimum = Int32(clamping: minimumExamples)
        return examples.map { example in
            let x = example.features
            var indices: [Int32] = [], values: [Double] = []
            indices.reserveCapacity(x.indices.count)
            values.reserveCapacity(x.indices.count)
            for k in 0..<x.indices.count where examplesWith[Int(x.indices[k])] >= minimum {
                indices.append(x.indices[k])
                values.append(x.values[k])
            }
            return LabeledExample(features: SparseVector(indices: indices, values: values), isSpam: example.isSpam)
        }
    }
}
