/// The report on one take: every reference note graded, the extra notes, the summary figures and the worst bars.
/// Encoded as the JSON `aidj assess --json` promises (snake_case names; absent values are `null`).
public struct Assessment: Sendable, Equatable, Codable {
    /// "monophonic": notes graded by pitch and time; "polyphonic": chords graded by onset timing only (a note is
    /// "ok" when an attack was heard where its chord was due, "missed" when none was; pitch is not judged).
    public enum Mode: String, Sendable, Codable { case monophonic, polyphonic }

    public enum Status: String, Sendable, Codable {
        /// Played at the right pitch (within ±50 cents of it, after the take's tuning).
        case ok
        /// Played, at another pitch.
        case wrongPitch = "wrong_pitch"
        /// Not played.
        case missed
    }

    /// One reference note and how it was played.
    public struct NoteGrade: Sendable, Equatable, Codable {
        /// The reference note, 0-based, in onset order.
        public var index: Int
        public var status: Status
        public var referencePitch: Int
        public var playedPitch: Int?
        /// Deviation from the played pitch in cents, after the take's tuning.
        public var cents: Double?
        /// Onset deviation in ms against the student's own local tempo (early < 0 < late).
        public var onsetMilliseconds: Double?
        /// Onset deviation in ms against the reference's tempo (scaled by the take's overall tempo ratio), so
        /// rushing and dragging show here and not in ``onsetMilliseconds``.
        public var tempoMilliseconds: Double?
        /// Played duration over the reference duration at the local tempo.
        public var durationRatio: Double?
        /// The note's onset in the take (s).
        public var takeTime: Double?
        /// How long it sounded in the take (s).
        public var takeDuration: Double?
        /// The note's onset in the reference (s).
        public var referenceTime: Double
        public var bar: Int
        public var beat: Double

        enum CodingKeys: String, CodingKey {
            case index, status, cents, bar, beat
            case referencePitch = "reference_pitch"
            case playedPitch = "played_pitch"
            case onsetMilliseconds = "onset_ms"
            case tempoMilliseconds = "tempo_ms"
            case durationRatio = "duration_ratio"
            case takeTime = "take_time_s"
            case takeDuration = "take_duration_s"
            case referenceTime = "reference_time_s"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(status, forKey: .status)
            try c.encode(referencePitch, forKey: .referencePitch)
            try c.encode(playedPitch, forKey: .playedPitch)
            try c.encode(cents, forKey: .cents)
            try c.encode(onsetMilliseconds, forKey: .onsetMilliseconds)
            try c.encode(tempoMilliseconds, forKey: .tempoMilliseconds)
            try c.encode(durationRatio, forKey: .durationRatio)
            try c.encode(takeTime, forKey: .takeTime)
            try c.encode(takeDuration, forKey: .takeDuration)
            try c.encode(referenceTime, forKey: .referenceTime)
            try c.encode(bar, forKey: .bar)
            try c.encode(beat, forKey: .beat)
        }
    }

    /// A played note that answers no reference note.
    public struct ExtraNote: Sendable, Equatable, Codable {
        public var time: Double
        public var pitch: Int
        public var duration: Double

        enum CodingKeys: String, CodingKey {
            case time = "time_s"
            case pitch
            case duration = "duration_s"
        }
    }

    /// The figures of the whole take; ``Assessment/explanations`` says what each one means.
    public struct Summary: Sendable, Equatable, Codable {
        public var noteAccuracy: Double
        public var timingMedianMilliseconds: Double?
        public var timingP90Milliseconds: Double?
        public var early: Int
        public var onTime: Int
        public var late: Int
        public var tempoStability: Double?
        public var intonationMeanCents: Double?
        public var intonationSpreadCents: Double?
        public var loudnessEvenness: Double?
        public var score: Double

        enum CodingKeys: String, CodingKey {
            case early, late, score
            case noteAccuracy = "note_accuracy"
            case timingMedianMilliseconds = "timing_median_ms"
            case timingP90Milliseconds = "timing_p90_ms"
            case onTime = "on_time"
            case tempoStability = "tempo_stability"
            case intonationMeanCents = "intonation_mean_cents"
            case intonationSpreadCents = "intonation_spread_cents"
            case loudnessEvenness = "loudness_evenness"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(noteAccuracy, forKey: .noteAccuracy)
            try c.encode(timingMedianMilliseconds, forKey: .timingMedianMilliseconds)
            try c.encode(timingP90Milliseconds, forKey: .timingP90Milliseconds)
            try c.encode(early, forKey: .early)
            try c.encode(onTime, forKey: .onTime)
            try c.encode(late, forKey: .late)
            try c.encode(tempoStability, forKey: .tempoStability)
            try c.encode(intonationMeanCents, forKey: .intonationMeanCents)
            try c.encode(intonationSpreadCents, forKey: .intonationSpreadCents)
            try c.encode(loudnessEvenness, forKey: .loudnessEvenness)
            try c.encode(score, forKey: .score)
        }
    }

    /// A bar where things went wrong, and what.
    public struct Spot: Sendable, Equatable, Codable {
        public var bar: Int
        public var what: String
    }

    public var reference: String
    public var take: String
    public var mode: Mode
    /// The take's tuning against A4 = 440 Hz, in cents.
    public var tuningCents: Double
    /// The take's tempo over the reference's (0.8 = 20 % slower).
    public var tempoRatio: Double
    public var notes: [NoteGrade]
    public var extra: [ExtraNote]
    public var summary: Summary
    public var worst: [Spot]

    enum CodingKeys: String, CodingKey {
        case reference, take, mode, notes, extra, summary, worst
        case tuningCents = "tuning_cents"
        case tempoRatio = "tempo_ratio"
    }

    /// What each summary figure means, in the words the text report prints.
    public static let explanations: [(name: String, meaning: String)] = [
        ("note accuracy", "share of reference notes played at the right pitch (within ±50 cents after tuning)"),
        ("timing", "median and 90th percentile of |onset deviation| against your own local tempo"),
        ("early / on time / late", "notes more than 30 ms early, within ±30 ms, more than 30 ms late"),
        ("tempo stability", "coefficient of variation of your local tempo (0 = perfectly steady)"),
        ("intonation", "mean and spread of the cents deviation of correctly pitched notes"),
        ("loudness evenness", "spread (LU) of note loudness around its 7-note running median (0 = even)"),
        ("score", "0–100: 50 × note accuracy + 20 × on-time share + 20 × intonation + 10 × evenness"),
    ]
}
