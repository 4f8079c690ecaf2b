/// Why a model cannot be built or trained: what went wrong (to match on) and one line saying why.
public struct LearningError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Problem: Sendable, Equatable {
        /// Stored weights do not match the model's configuration.
        case weightCount
        /// The training data is too small for the configuration (batches, sequence length, classes).
        case tooLittleData
    }

    public let problem: Problem
    public let description: String

    public init(_ problem: Problem, _ description: String) {
        self.problem = problem
        self.description = description
    }
}
