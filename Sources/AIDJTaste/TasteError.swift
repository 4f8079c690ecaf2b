/// Why a listening history, a labels file or a training set cannot be used: what went wrong (to match on), the
/// file when there is one, and one line saying why.
public struct TasteError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Problem: Sendable, Equatable {
        /// A listening history that cannot be read or parsed (`aidj import-history`).
        case unreadableHistory
        /// A genre labels file that cannot be read or parsed (`aidj train genre --labels`).
        case unreadableLabels
        /// Too few labelled examples to train and cross-validate.
        case tooFewExamples
    }

    public let problem: Problem
    public let file: String?
    public let reason: String

    public init(_ problem: Problem, file: String? = nil, reason: String) {
        self.problem = problem
        self.file = file
        self.reason = reason
    }

    public var description: String {
        switch problem {
        case .unreadableHistory: "cannot import '\(file ?? "?")': \(reason)"
        case .unreadableLabels: "labels file '\(file ?? "?")': \(reason)"
        case .tooFewExamples: reason
        }
    }
}
