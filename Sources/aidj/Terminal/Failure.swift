import AIDJCore
import ArgumentParser

/// The one place where a failure becomes an exit status and one line on standard error. Modules throw their own
/// errors (each prints one line naming the file or value); usage errors exit 64 (sysexits' EX_USAGE), every
/// other failure 1.
enum Failure {
    static let usage: Int32 = 64
    static let failed: Int32 = 1

    /// The exit status for an error a command threw.
    static func exitCode(for error: Error) -> Int32 {
        switch error {
        case is ValidationError, is MoodSpace.UnknownMood: usage
        default: failed
        }
    }

    /// True for an error of ArgumentParser's own (a help or version request, a parse error): its types are
    /// internal, so they are told by their module.
    static func isArgumentParserRequest(_ error: Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// The error as one line.
    static func line(for error: Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
