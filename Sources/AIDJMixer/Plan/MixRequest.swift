import AIDJTaste
import Foundation

/// The shape of the energy over a mix: a level in [0, 1] at each moment (0 = the bottom of the mood's energy
/// range, 1 = its top).
public enum EnergyArc: String, CaseIterable, Sendable, Codable {
    case flat
    case rise
    case fall
    case warmupPeakCooldown = "warmup-peak-cooldown"
    case wave

    /// The level at `position` ∈ [0, 1] of the mix.
    public func level(at position: Double) -> Double {
        let x = max(0, min(1, position))
        switch self {
        case .flat: return 0.5
        case .rise: return 0.15 + 0.8 * x
        case .fall: return 0.95 - 0.8 * x
        case .warmupPeakCooldown:
            // Up from 0.25 to the peak at two thirds of the set, then down to 0.4 (the shape of a club night).
            return x < 2.0 / 3 ? 0.25 + 0.75 * (x / (2.0 / 3)) : 1 - 0.6 * ((x - 2.0 / 3) / (1.0 / 3))
        case .wave: return 0.5 + 0.4 * sin(2 * Double.pi * 2 * x - Double.pi / 2)
        }
    }
}

/// What a mix should be.
public struct MixRequest: Sendable {
    public var mood: MoodRegion
    public var minutes: Double
    public var arc: EnergyArc = .flat
    /// A listener whose taste model (or similarity to their likes) scores candidates.
    public var listener: (name: String, id: Int64)?
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
    public var seed: UInt64 = 1

    public init(mood: MoodRegion, minutes: Double) {
        self.mood = mood
        self.minutes = minutes
    }
}

/// Why a mix cannot be made.
public struct MixError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
