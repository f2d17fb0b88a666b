/// Naive Bayes log-count ratios per feature, from labelled examples: r = log(p / q), where p is the share of a
/// feature among the spam examples' feature occurrences (each example counts a feature once) and q the same
/// among the ham examples', both with add-`smoothing` counts over every feature id. A feature seen only in spam
/// gets r > 0, only in ham r < 0, equally often in both about 0.
public struct LogCountRatios: Sendable, Equatable {
    public var ratios: [Double]

    public init(_ examples: [LabeledExample], featureCount: Int, smoothing: Double = 1) {
        var width = featureCount
        for example in examples { width = max(width, Int(example.features.maxIndex) + 1) }
        var spam = [Double](repeating: 0, count: width)
        var ham = [Double](repeating: 0, count: width)
        var spamTotal = 0.0, hamTotal = 0.0
        for example in examples {
            let x = example.features
            for k in 0..<x.indices.count where x.values[k] != 0 {
                if example.isSpam { spam[Int(x.indices[k])] += 1 } else { ham[Int(x.indices[k])] += 1 }
            }
            if example.isSpam { spamTotal += Double(x.indices.count) } else { hamTotal += Double(x.indices.count) }
        }
        let smoothedSpam = spamTotal + smoothing * Double(width)
        let smoothedHam = hamTotal + smoothing * Double(width)
        let shift = Foundation_log(smoothedHam / smoothedSpam)
        ratios = (0..<width).map { Foundation_log((spam[$0] + smoothing) / (ham[$0] + smoothing)) + shift }
    }

    /// The example with each feature value times its ratio (features beyond the ratios keep their value).
    public func scaled(_ example: LabeledExample) -> LabeledExample {
        var x = example.features
        for k in 0..<x.indices.count where Int(x.indices[k]) < ratios.count { x.values[k] *= ratios[Int(x.indices[k])] }
        return LabeledExample(features: x, isSpam: example.isSpam)
    }
}
