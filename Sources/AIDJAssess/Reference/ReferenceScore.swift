public import AIDJComposer
import Foundation

/// A note the student should play: when (in the reference's own time), which pitch, and where in the bar.
public struct ScoreNote: Sendable, Equatable, Codable {
    /// Onset in seconds of the reference.
    public var onset: Double
    public var duration: Double
    /// MIDI pitch.
    public var pitch: Int
    /// Bar (1-based) and beat within it (1-based, fractional).
    public var bar: Int
    public var beat: Double

    public init(onset: Double, duration: Double, pitch: Int, bar: Int, beat: Double) {
        self.onset = onset
        self.duration = duration
        self.pitch = pitch
        self.bar = bar
        self.beat = beat
    }
}

/// The notes a take is assessed against: one line of a MIDI file, or the notes heard in a reference recording.
public struct ReferenceScore: Sendable {
    /// The notes in onset order.
    public var notes: [ScoreNote]
    /// What the notes are (file and line), for reports.
    public var source: String
    /// Chords allowed: graded by onset timing only (``Assessor/assessPolyphonic(takePath:reference:takeName:)``).
    public var isPolyphonic = false

    public init(notes: [ScoreNote], source: String) {
        self.notes = notes.sorted { ($0.onset, $0.pitch) < ($1.onset, $1.pitch) }
        self.source = source
    }

    /// Two notes sound together when one starts more than this long (s) before the other ends.
    static let overlapSeconds = 0.03
    /// A line is polyphonic when more than this share of its notes sounds together with another.
    static let polyphonicShare = 0.1

    /// The notes of one line of a MIDI file.
    ///
    /// - Parameters:
    ///   - track, channel: the line to read; when neither is given, the monophonic line (track and channel) with the
    ///     most notes, drums (channel 10) left out.
    ///   - polyphonic: read every note of the chosen track and channel (all tracks but drums when none is chosen),
    ///     chords included, for a polyphonic take.
    /// - Throws: `AssessError` when the chosen line has no notes or, unless `polyphonic`, sounds several notes at
    ///   once (a melody is one note at a time).
    public init(midi: MIDIFile, path: String, track: Int? = nil, channel: Int? = nil, polyphonic: Bool = false)
        throws(AssessError)
    {
        let chosen = midi.notes.filter {
            (track == nil || $0.track == track) && (channel == nil ? $0.channel != 9 : $0.channel == channel)
        }
        let named = [track.map { "track \($0)" }, channel.map { "channel \($0 + 1)" }].compactMap { $0 }
        let selection = named.isEmpty ? "any track" : named.joined(separator: ", ")
        guard !chosen.isEmpty else {
            throw AssessError(path: path, reason: "no notes in \(selection) of the reference MIDI file")
        }
        if polyphonic {
            let notes = chosen.map { note in
                let onset = midi.seconds(atTick: note.startTick)
                let place = midi.barAndBeat(atTick: note.startTick)
                return ScoreNote(
                    onset: onset, duration: midi.seconds(atTick: max(note.endTick, note.startTick + 1)) - onset,
                    pitch: note.pitch, bar: place.bar, beat: place.beat)
            }
            self.init(notes: notes, source: "\(path) (\(selection), all voices)")
            self.isPolyphonic = true
            return
        }
        let lines = Dictionary(grouping: chosen) { LineKey(track: $0.track, channel: $0.channel) }
        // Monophonic lines first, then the line with the most notes, then the lowest track and channel.
        let ranked = lines.map { (key: $0.key, notes: $0.value, share: Self.overlappingShare($0.value, midi: midi)) }
            .sorted {
                ($0.share > Self.polyphonicShare ? 1 : 0, -$0.notes.count, $0.key)
                    < ($1.share > Self.polyphonicShare ? 1 : 0, -$1.notes.count, $1.key)
            }
        let best = ranked[0]
        guard best.share <= Self.polyphonicShare else {
            let percent = Int((100 * best.share).rounded())
            throw AssessError(
                path: path,
                reason:
                    "track \(best.key.track), channel \(best.key.channel + 1) is polyphonic (\(percent) % of its notes "
                    + "sound with another); choose a one-note-at-a-time line with --track and --channel, or assess "
                    + "a polyphonic take with --polyphonic")
        }
        let sorted = best.notes.sorted { ($0.startTick, -$0.pitch) < ($1.startTick, -$1.pitch) }
        var notes: [ScoreNote] = []
        for (k, note) in sorted.enumerated() {
            // A note held into the next one ends where the next begins (legato written as overlap).
            let nextStart = k + 1 < sorted.count ? sorted[k + 1].startTick : note.endTick
            let endTick = max(note.startTick + 1, min(note.endTick, nextStart))
            let onset = midi.seconds(atTick: note.startTick)
            let place = midi.barAndBeat(atTick: note.startTick)
            notes.append(
                ScoreNote(
                    onset: onset, duration: midi.seconds(atTick: endTick) - onset, pitch: note.pitch, bar: place.bar,
                    beat: place.beat))
        }
        self.init(notes: notes, source: "\(path) (track \(best.key.track), channel \(best.key.channel + 1))")
    }

    struct LineKey: Hashable, Comparable {
        var track: Int
        var channel: Int
        static func < (a: LineKey, b: LineKey) -> Bool { (a.track, a.channel) < (b.track, b.channel) }
    }

    /// The share of notes that start before the previous note ends (by more than ``overlapSeconds``) or together
    /// with another note.
    static func overlappingShare(_ notes: [MIDIFile.Note], midi: MIDIFile) -> Double {
        let sorted = notes.sorted { $0.startTick < $1.startTick }
        guard sorted.count > 1 else { return 0 }
        var overlapping = 0
        var latestEnd = -Double.infinity
        for note in sorted {
            let start = midi.seconds(atTick: note.startTick)
            if start < latestEnd - overlapSeconds { overlapping += 1 }
            latestEnd = max(latestEnd, midi.seconds(atTick: note.endTick))
        }
        return Double(overlapping) / Double(sorted.count)
    }
}
