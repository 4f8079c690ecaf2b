/// A stored model that cannot be used: missing, damaged, or made for another version of aidj's inputs. Its
/// description is one line that says what to do ("train one with `aidj train genre`").
public struct ModelError: Error, CustomStringConvertible, Sendable {
    /// What is wrong with the model.
    public enum Problem: Sendable, Equatable {
        /// No model of that kind and name.
        case missing
        /// Its stored header, metrics or weights do not decode or do not fit together.
        case damaged
        /// Trained on inputs this aidj no longer makes (another feature layout, another input width).
        case incompatible
        /// It depends on another model that cannot be used.
        case dependency
    }

    public let problem: Problem
    public let kind: ModelKind
    public let name: String
    /// What is wrong and what to do, after "<kind> '<name>'".
    public let detail: String

    public init(_ problem: Problem, kind: ModelKind, name: String, detail: String) {
        self.problem = problem
        self.kind = kind
        self.name = name
        self.detail = detail
    }

    public var description: String {
        problem == .missing ? "no \(kind.title) '\(name)' \(detail)" : "\(kind.title) '\(name)' \(detail)"
    }
}
