/// One training example: a feature vector and whether it is spam.
public struct LabeledExample: Sendable, Equatable {
    public var features: SparseVector
    public var isSpam: Bool

    public init(features: SparseVector, isSpam: Bool) {
        self.features = features
        self.isSpam = isSpam
    }

    @inline(__always) public var target: Double { isSpam ? 1 : 0 }
}
