import Foundation

/// A failure to read or write audio, naming the file, the operation and the library's reason.
///
/// Its `description` is one line, e.g. `cannot decode 'x.wav': libsndfile: Format not recognised.`,
/// so ingest can record it as a failure reason and the CLI can print it as is.
public struct AudioError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being done to the file.
    public enum Operation: String, Sendable {
        case open = "cannot open"
        case decode = "cannot decode"
        case encode = "cannot encode"
        case resample = "cannot resample"
        case measure = "cannot measure the loudness of"
        case readTags = "cannot read tags of"
    }

    public let operation: Operation
    public let path: String
    public let reason: String

    public init(_ operation: Operation, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "\(operation.rawValue) '\(path)': \(reason)"
    }
}
