/// Why a mix cannot be made or written: what went wrong (to match on) and a one-line explanation that says what
/// to try instead.
public struct MixError: Error, CustomStringConvertible, Sendable {
    /// What kept the mix from being made.
    public enum Problem: Sendable, Equatable {
        /// The library has no analysed tracks.
        case emptyLibrary
        /// No track fits the mood (or none of those has a beat grid long enough to mix).
        case noFittingTracks
        /// The requested first track cannot open a mix.
        case unusableStartTrack
        /// The fitting tracks do not fill the requested time.
        case notEnoughMusic
        /// An output file (tracklist, cue sheet, playlist, plot) cannot be written.
        case cannotWrite(path: String)
    }

    public let problem: Problem
    public let description: String

    public init(_ problem: Problem, _ description: String) {
        self.problem = problem
        self.description = description
    }
}
