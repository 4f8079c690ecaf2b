/// Drum and accompaniment patterns of a style, on a grid of 16 steps per 4/4 bar (4 steps per beat).
public enum GrooveStyle: String, CaseIterable, Sendable, Codable {
    /// House/techno: kick on every beat, clap on 2 and 4, open hat on the off-beats.
    case fourOnTheFloor = "four-on-the-floor"
    /// Breakbeat / drum & bass: syncopated kick, snare on 2 and 4 with ghost notes, 8th hats.
    case breakbeat
    /// Half-time (dubstep/trap feel): kick on 1, snare on 3, prominent 8th hats with 16th rolls.
    case halfTime = "half-time"
    /// Reggae one-drop: kick and rim together on 3, chord skank on 2 and 4, 8th hats.
    case oneDrop = "one-drop"
    /// Slow ballad: kick on 1 and 3, soft snare on 2 and 4, sustained chords, 8th-note arpeggio.
    case ballad

    struct Pattern {
        var kick: [Int]
        var snare: [Int]
        var ghostSnare: [Int] = []
        var hats: [Int]
        /// Hi-hat level relative to the default (trap-style half-time grooves put the hats up front).
        var hatGain: Float = 1
        var openHats: [Int] = []
        /// Steps where the bass plays the chord root.
        var bass: [Int]
        /// Steps where the chord is struck (a short stab), or nil for a sustained chord per bar.
        var chordStabs: [Int]?
        /// Steps of an arpeggio over the chord tones, if any.
        var arpeggio: [Int] = []
    }

    var pattern: Pattern {
        switch self {
        case .fourOnTheFloor:
            Pattern(
                kick: [0, 4, 8, 12], snare: [4, 12], hats: [0, 4, 8, 12], openHats: [2, 6, 10, 14],
                bass: [2, 6, 10, 14], chordStabs: [3, 6, 11])
        case .breakbeat:
            Pattern(
                kick: [0, 6, 10], snare: [4, 12], ghostSnare: [7, 15], hats: [0, 2, 4, 6, 8, 10, 12, 14],
                bass: [0, 6, 10], chordStabs: nil)
        case .halfTime:
            Pattern(
                kick: [0, 3, 11], snare: [8], hats: [0, 2, 4, 6, 8, 10, 12, 13, 14, 15], hatGain: 2.2,
                bass: [0, 3, 11], chordStabs: nil)
        case .oneDrop:
            Pattern(
                kick: [8], snare: [8], hats: [0, 2, 4, 6, 8, 10, 12, 14], bass: [0, 3, 8, 10],
                chordStabs: [4, 12])
        case .ballad:
            Pattern(
                kick: [0, 8], snare: [4, 12], hats: [0, 2, 4, 6, 8, 10, 12, 14], bass: [0, 8],
                chordStabs: nil, arpeggio: [0, 2, 4, 6, 8, 10, 12, 14])
        }
    }

    /// A typical tempo of the style (BPM), for the demo.
    public var typicalBPM: Double {
        switch self {
        case .fourOnTheFloor: 124
        case .breakbeat: 174
        case .halfTime: 140
        case .oneDrop: 76
        case .ballad: 66
        }
    }
}
