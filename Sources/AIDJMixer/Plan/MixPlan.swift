import Foundation

/// One track of a planned mix.
public struct PlannedTrack: Sendable, Codable, Equatable {
    public var id: Int64
    public var path: String
    public var title: String?
    public var artist: String?
    /// Where the track is heard in the mix (from the start of its mix-in to the end of its mix-out, echo
    /// included).
    public var mixStartS: Double
    public var mixEndS: Double
    /// The part of the source played.
    public var sourceStartS: Double
    public var sourceEndS: Double
    public var bpm: Double
    /// Tempo change while mixing in, in percent (negative: slowed down); 0 when not stretched.
    public var stretchPercent: Double
    /// nil where the track has no key.
    public var key: String?
    public var camelot: String?
    public var energy: Double
    public var valence: Double
    public var loudnessLUFS: Double?
    public var gainDB: Double
    public var timeMap: TimeMap
    /// Source time after which the track plays at its own tempo again (the end of the glide back).
    public var stretchEndS: Double
    public var reasons: Reasons
    /// The track's sections as heard in the mix (mix time, clipped to the part played); empty without sections.
    public var sections: [Section] = []

    /// A section of the track in mix time.
    public struct Section: Sendable, Codable, Equatable {
        public var label: String
        public var mixStartS: Double
        public var mixEndS: Double
        public var hasBeat: Bool

        enum CodingKeys: String, CodingKey {
            case label, mixStartS = "mix_start_s", mixEndS = "mix_end_s", hasBeat = "has_beat"
        }
    }

    /// Why the track is in the mix where it is, and why at this gain; each a sentence for people.
    public struct Reasons: Sendable, Codable, Equatable {
        /// How it fits the mood ("fits party: energy 0.70, valence 0.63, 124 BPM").
        public var mood: String
        /// Its energy against what the arc asks for at its place.
        public var energy: String
        /// The listener's taste score, with a listener.
        public var taste: String?
        /// The gain toward the loudness target, and why it is held back when it is.
        public var gain: String = ""
    }

    enum CodingKeys: String, CodingKey {
        case id, path, title, artist, mixStartS = "mix_start_s", mixEndS = "mix_end_s", sourceStartS = "source_start_s",
            sourceEndS = "source_end_s", bpm, stretchPercent = "stretch_percent", key, camelot, energy, valence,
            loudnessLUFS = "loudness_lufs", gainDB = "gain_db", timeMap = "time_map", stretchEndS = "stretch_end_s",
            reasons, sections
    }
}

/// How one track hands over to the next.
public struct PlannedTransition: Sendable, Codable, Equatable {
    /// How the handover sounds.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Beat-matched, equal-power crossfade with a bass swap.
        case beatmatch
        /// The same blend for tempi 6–12 % apart: the incoming track enters at the outgoing tempo and ramps back to
        /// its own over 16–32 bars, where a plain blend would glide back over 8.
        case tempoRamp = "tempo-ramp"
        /// The same overlap for keys two or more Camelot steps apart: the outgoing track is high-passed from the bass
        /// up to 4 kHz through the overlap and fades over its last quarter, so its harmonies thin out under the
        /// incoming track instead of clashing with it. At most 8 bars.
        case filterSweep = "filter-sweep"
        /// A cut on a phrase boundary for tracks in the same key whose sections line up: the outgoing track plays to
        /// the end of its last main section and the incoming one comes in at the start of its first (drop to drop),
        /// beat-matched, within 60 ms. Also what a render makes of a beat-matched overlap whose phase it cannot
        /// measure on the audio (a beatless or very sparse passage): two beats no one has checked never play
        /// together.
        case cut
        /// Tempi too far apart to match: the outgoing track's last bar goes into a beat echo that fades while the
        /// next track starts on the downbeat.
        case echoOut = "echo-out"
        /// No beat where the two meet (ambient, classical, a beatless intro or ending): an equal-power crossfade
        /// over ``TransitionPlanner/fadeSeconds`` with no beat-matching attempted.
        case fade

        /// The kinds the planner chooses among.
        public static let plannable: [Kind] = [.beatmatch, .tempoRamp, .filterSweep, .cut, .echoOut, .fade]

        /// Whether the two tracks are placed beat-matched through the overlap (not an echo-out or a fade).
        public var isBeatMatched: Bool { self != .echoOut && self != .fade }
    }

    /// Indices into the plan's tracks.
    public var from: Int
    public var to: Int
    public var overlapStartS: Double
    public var overlapEndS: Double
    public var bars: Int
    public var type: Kind
    /// When the incoming bass replaces the outgoing one (beat-matched transitions).
    public var bassSwapS: Double?
    public var reasons: Reasons

    /// Why the next track follows, and how the transition was chosen; each a sentence for people.
    public struct Reasons: Sendable, Codable, Equatable {
        /// Camelot codes and distance.
        public var key: String
        /// Tempi and the change between them.
        public var tempo: String
        public var energy: String
        /// The incoming track's mood fit.
        public var mood: String
        /// The incoming track's taste score, with a listener.
        public var taste: String?
        /// The sequencer's cost of the pair.
        public var cost: String
        /// The rule that chose the transition's kind.
        public var type: String?
        /// Where each track leaves and enters by its sections, and why there (nil without sections).
        public var sections: String?
        /// What the render measured of the beat phase through a beat-matched overlap, and what it did about it
        /// (nil before rendering).
        public var phase: String?
    }

    enum CodingKeys: String, CodingKey {
        case from, to, overlapStartS = "overlap_start_s", overlapEndS = "overlap_end_s", bars, type,
            bassSwapS = "bass_swap_s", reasons
    }
}

/// A planned mix; after rendering, with the measured loudness and true peak of the file.
public struct MixPlan: Sendable, Codable, Equatable {
    public var tracks: [PlannedTrack]
    public var transitions: [PlannedTransition]
    public var durationS: Double
    public var mood: String
    public var arc: String
    public var targetLUFS: Double
    /// Share of adjacent pairs within Camelot distance 1.
    public var harmonicShare: Double
    public var loudnessLUFS: Double?
    public var truePeakDBTP: Double?
    public var notes: [String]
    /// The energy the arc asked for over the mix: [mix_s, energy] every 1/50 of the duration.
    public var energyArc: [[Double]] = []

    enum CodingKeys: String, CodingKey {
        case tracks, transitions, durationS = "duration_s", mood, arc, targetLUFS = "target_lufs",
            harmonicShare = "harmonic_share", loudnessLUFS = "loudness_lufs", truePeakDBTP = "true_peak_dbtp", notes,
            energyArc = "energy_arc"
    }
}
