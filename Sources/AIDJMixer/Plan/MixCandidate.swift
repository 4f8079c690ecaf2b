public import AIDJCore
public import AIDJStore
import Foundation

/// A candidate for a mix: the track, its key, how well it fits the request, and roughly how much mix time it
/// fills.
public struct MixCandidate: Sendable {
    public var track: AnalysedTrack
    /// nil where the track has no key.
    public var key: MusicalKey?
    /// Fit to the mood region, in [0, 1].
    public var moodFit: Double
    /// The listener's taste score in [0, 1] (nil without a listener).
    public var taste: Double?
    /// moodFit, times (0.4 + 0.6 · taste) with a listener.
    public var score: Double
    /// Seconds of mix this track fills: its sounding length less one transition.
    public var estimatedSeconds: Double
    /// Beats in a bar of its grid (``BarGrid/beatsPerBar``), nil before the grids are read: tracks of different
    /// meters cannot be beat-matched.
    public var beatsPerBar: Int? = nil

    var artistKey: String? { track.artistKey }
}
