/// A monophonic melody on a 16th-note grid, in the event encoding of docs/ARCHITECTURE.md: one token per step — 0 holds
/// (the current note or rest goes on), 1 ends the sounding note, 2…37 start a note of MIDI pitch 48…83
/// (token = pitch − 46). Bars are 16 steps (4/4).
public struct Melody: Sendable, Equatable {
    public static let vocabularySize = 38
    public static let hold: Int32 = 0
    public static let noteOff: Int32 = 1
    public static let lowestPitch = 48
    public static let highestPitch = 83
    public static let stepsPerBar = 16
    public static let stepsPerQuarter = 4

    public var tokens: [Int32]
    /// Where it came from (a file name), for reports.
    public var source: String

    public init(tokens: [Int32], source: String = "") {
        precondition(tokens.allSatisfy { $0 >= 0 && $0 < Int32(Self.vocabularySize) }, "token out of range")
        self.tokens = tokens
        self.source = source
    }

    /// The note-on token of a MIDI pitch in 48…83.
    public static func token(pitch: Int) -> Int32 {
        precondition((lowestPitch...highestPitch).contains(pitch), "pitch \(pitch) outside 48–83")
        return Int32(pitch - 46)
    }

    /// The MIDI pitch a note-on token starts; nil for hold and note-off.
    public static func pitch(token: Int32) -> Int? { token >= 2 ? Int(token) + 46 : nil }

    /// A note of the melody, in steps.
    public struct Note: Sendable, Equatable {
        public var start: Int
        public var length: Int
        public var pitch: Int
        public init(start: Int, length: Int, pitch: Int) {
            self.start = start
            self.length = length
            self.pitch = pitch
        }
    }

    /// Encodes notes (non-overlapping, pitches within 48–83) into `steps` tokens (at least up to the last note's
    /// end, which gets a note-off).
    public init(notes: [Note], steps: Int? = nil, source: String = "") {
        let end = notes.map { $0.start + $0.length }.max() ?? 0
        var tokens = [Int32](repeating: Self.hold, count: max(steps ?? 0, end + 1))
        var sounding = false
        var previousEnd = 0
        for note in notes.sorted(by: { $0.start < $1.start }) {
            if sounding && previousEnd < note.start { tokens[previousEnd] = Self.noteOff }
            tokens[note.start] = Self.token(pitch: note.pitch)
            sounding = true
            previousEnd = note.start + note.length
        }
        if sounding && previousEnd < tokens.count { tokens[previousEnd] = Self.noteOff }
        self.init(tokens: tokens, source: source)
    }

    /// The notes the tokens describe.
    public var notes: [Note] {
        var notes: [Note] = []
        var current: (start: Int, pitch: Int)?
        for (step, token) in tokens.enumerated() {
            if token == Self.hold { continue }
            if let c = current { notes.append(Note(start: c.start, length: step - c.start, pitch: c.pitch)) }
            current = Self.pitch(token: token).map { (step, $0) }
        }
        if let c = current { notes.append(Note(start: c.start, length: tokens.count - c.start, pitch: c.pitch)) }
        return notes
    }

    /// Number of note-on events.
    public var noteCount: Int { tokens.filter { $0 >= 2 }.count }
}
