/// Why an assessment cannot be made: one line naming the file or value and the reason.
public struct AssessError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot assess '\(path)': \(reason)" }
}
