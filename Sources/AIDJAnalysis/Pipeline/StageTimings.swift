import Foundation

/// Wall time spent per analysis stage, accumulated over every file an analyzer handles (for `make bench`).
public struct StageTimings: Sendable {
    /// A stage of the analysis, as `aidj-bench speed` reports it.
    public enum Stage: String, CaseIterable, Sendable {
        case decode, loudness, resample, stft, features, tempoBeats = "tempo+beats", key, other
    }

    public private(set) var seconds: [Stage: Double] = [:]
    /// Seconds of audio analysed.
    public var audioSeconds = 0.0

    public init() {}

    public mutating func add(_ stage: Stage, _ value: Double) { seconds[stage, default: 0] += value }

    public mutating func merge(_ other: StageTimings) {
        for (stage, value) in other.seconds { add(stage, value) }
        audioSeconds += other.audioSeconds
    }
}

/// Monotonic time in seconds.
@inline(__always) func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
}
