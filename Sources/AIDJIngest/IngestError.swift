/// A file or folder ingest cannot read: what went wrong (to match on), its path, and the failed call's reason.
public struct IngestError: Error, CustomStringConvertible, Sendable {
    public enum Problem: Sendable, Equatable {
        /// A root that cannot be scanned: the whole ingest stops before anything is stored.
        case unscannable
        /// A file whose bytes cannot be read for its content hash: that file fails, the run goes on.
        case unreadable
    }

    public let problem: Problem
    public let path: String
    public let reason: String

    public init(_ problem: Problem, path: String, reason: String) {
        self.problem = problem
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch problem {
        case .unscannable: "cannot scan '\(path)': \(reason)"
        case .unreadable: "cannot read '\(path)': \(reason)"
        }
    }
}
