import HamletKit

/// The line `train` and `relabel` print about what the learning policy did with the model.
enum LearningSummary {
    static func line(_ decision: LearningPolicy.Decision, modelID: Int64) -> String {
        switch decision.action {
        case .refit: return "fitted model \(modelID) from every stored example: \(decision.reason)"
        case .updateInPlace: return "updated model \(modelID) in place: \(decision.reason)"
        case .nothing: return "model \(modelID) unchanged: \(decision.reason)"
        }
    }
}
