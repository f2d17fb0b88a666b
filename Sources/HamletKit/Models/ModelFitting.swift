import Learning
import SpamStore
import TextFeatures

/// Fits models of every kind the options name.
public enum ModelFitting {
    /// Fits a model from scratch on examples sorted by digest, with the L2 penalty for their number
    /// (`TrainingOptions.l2(forExamples:)`).
    static func fit(_ examples: [LabeledExample], featureCount: Int, options given: TrainingOptions, jobs: Int)
        -> (fitted: any FittedModel, report: TrainingReport)
    {
        var options = given
        options.l2 = given.l2(forExamples: examples.count)
        return options.model.family.fit(examples, featureCount: featureCount, options: options, jobs: jobs)
    }
}
