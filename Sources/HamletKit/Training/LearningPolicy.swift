import Learning
import SpamStore

/// How every command that changes the stored examples (`train`, `relabel`, `forget`, and `evaluate --online`,
/// which runs `train`'s code) keeps the model in step with them: refit from every example, or update the current
/// model in place for just the changed examples, whose estimate of a refit drifts as updates pile up.
///
/// A refit when there is no model, when it is asked for, when the model is stale (examples changed and no fit or
/// update followed, as after a fit killed before it committed), when the store is small enough that a refit costs
/// little, or when the changes since the last full fit reach a share of the stored examples. Otherwise an in-place
/// update. docs/lab/LEARNING-POLICY.md compares the alternatives.
public struct LearningPolicy: Sendable, Equatable {
    /// Stores of up to this many examples are refitted after every change.
    public var refitAlwaysUpTo: Int
    /// Past that, a refit when the example changes since the last full fit reach this share of the stored examples.
    public var refitShare: Double

    public init(refitAlwaysUpTo: Int = 1_000, refitShare: Double = 0.02) {
        self.refitAlwaysUpTo = refitAlwaysUpTo
        self.refitShare = refitShare
    }

    public enum Action: String, Sendable, Equatable {
        case nothing, updateInPlace = "update", refit
    }

    /// What to do, and why, in words for the user.
    public struct Decision: Sendable, Equatable {
        public var action: Action
        public var reason: String
    }

    /// - Parameters:
    ///   - model: the current model, if any.
    ///   - storeChanges: the store's example-change count now, this run's changes included.
    ///   - changedNow: the example changes this run made.
    ///   - stored: the examples stored now.
    ///   - forcedRefit: why a refit must happen whatever the rest says (nil: the policy decides).
    ///   - canUpdateInPlace: whether this run's changes are in hand for an in-place update.
    ///   - correctingLabels: the changes are relabels, which the share does not send to a refit: correcting labels
    ///     in place closes more of the gap a wrong label left than refits over partly corrected labels do
    ///     (docs/lab/LEARNING-POLICY.md).
    public func decide(
        model: ModelInfo?, storeChanges: Int64, changedNow: Int, stored: Int, forcedRefit: String? = nil,
        canUpdateInPlace: Bool = true, correctingLabels: Bool = false
    ) -> Decision {
        if stored == 0 { return Decision(action: .nothing, reason: "the store holds no examples") }
        if let forcedRefit { return Decision(action: .refit, reason: forcedRefit) }
        guard let model else { return Decision(action: .refit, reason: "the store had no model") }
        let behind = storeChanges - model.changes - Int64(changedNow)
        if behind > 0 {
            return Decision(action: .refit, reason: "the model was stale (\(behind) example change(s) not learned)")
        }
        if changedNow == 0 { return Decision(action: .nothing, reason: "no example changed") }
        if stored <= refitAlwaysUpTo {
            return Decision(
                action: .refit, reason: "the store is small (\(stored) examples; refits up to \(refitAlwaysUpTo))")
        }
        let sinceFit = model.updatesSinceFit + Int64(changedNow)
        let limit = max(1, Int64((refitShare * Double(stored)).rounded(.up)))
        if sinceFit >= limit && !correctingLabels {
            return Decision(
                action: .refit,
                reason: "\(sinceFit) example change(s) since the last full fit, the limit being \(limit) "
                    + "(\(formatFixed(refitShare * 100, decimals: 1))% of \(stored))")
        }
        if !canUpdateInPlace { return Decision(action: .refit, reason: "too many changes to update in place") }
        if correctingLabels {
            return Decision(
                action: .updateInPlace,
                reason: "labels are corrected in place (\(sinceFit) example change(s) since the last full fit)")
        }
        return Decision(
            action: .updateInPlace,
            reason: "\(sinceFit) example change(s) since the last full fit, under the limit of \(limit)")
    }
}
