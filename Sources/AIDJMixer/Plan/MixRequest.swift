public import AIDJCore
import Foundation

/// What a mix should be.
public struct MixRequest: Sendable {
    public var mood: MoodRegion
    public var minutes: Double
    public var arc: EnergyArc = .flat
    /// A listener whose taste scores candidates.
    public var listener: ListenerTaste?
    /// A track the mix must open with.
    public var startTrackID: Int64?
    /// Requested transition length in bars (shortened where a track cannot give it).
    public var transitionBars = 16
    /// Target integrated loudness of every track (LUFS) and the output ceiling (dBTP).
    public var targetLUFS = -14.0
    public var ceilingDBTP = -1.0
    /// A quiet track is raised toward the target only until its peaks would need this much limiting (dB): beyond
    /// that a limiter audibly flattens dynamic material, so the track stays a little under the target instead.
    public var maximumLimitingDB = 4.0
    /// The same artist may not return within this many minutes of mix time.
    public var artistGapMinutes = 60.0
    /// Tempo changes beyond this (relative) are not beat-matched: the transition becomes an echo-out.
    public var maximumStretch = 0.06
    /// Tempo changes beyond ``maximumStretch`` and up to this (relative) are reached by a tempo ramp: the incoming
    /// track enters at the outgoing tempo and returns to its own over 16–32 bars. Beyond it: an echo-out.
    public var maximumRampStretch = 0.12
    /// The transition kinds the planner may use. An echo-out is the fallback when no allowed blend fits a pair
    /// (its reason says so), since two tracks must hand over somehow.
    public var transitions: Set<PlannedTransition.Kind> = Set(PlannedTransition.Kind.plannable)
    public var seed: UInt64 = 1

    public init(mood: MoodRegion, minutes: Double) {
        self.mood = mood
        self.minutes = minutes
    }
}
