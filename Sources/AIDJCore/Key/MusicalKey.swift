import Foundation

/// A musical key: tonic pitch class (C = 0 … B = 11) and mode.
public struct MusicalKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Major or minor.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        case major, minor
    }

    /// Pitch-class names as DJ software shows them (sharps, except E♭, A♭ and B♭).
    public static let pitchClassNames = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]

    /// Tonic pitch class, 0–11 (C = 0).
    public let tonic: Int
    public let mode: Mode

    /// - Precondition: `tonic` is a pitch class, 0–11.
    public init(tonic: Int, mode: Mode) {
        precondition((0..<12).contains(tonic), "tonic must be a pitch class 0–11")
        self.tonic = tonic
        self.mode = mode
    }

    /// All 24 major and minor keys.
    public static let all: [MusicalKey] = Mode.allCases.flatMap { mode in
        (0..<12).map { MusicalKey(tonic: $0, mode: mode) }
    }

    /// "A minor", "C# major".
    public var description: String { "\(Self.pitchClassNames[tonic]) \(mode.rawValue)" }

    /// Position on the Camelot wheel, 1–12: neighbours differ by a fifth; a major key and its relative minor share it.
    public var camelotNumber: Int {
        let relativeMajor = mode == .major ? tonic : (tonic + 3) % 12
        return ((7 * relativeMajor) % 12 + 7) % 12 + 1
    }

    /// Camelot code: "8A" is A minor, "8B" C major.
    public var camelot: String { "\(camelotNumber)\(mode == .minor ? "A" : "B")" }

    /// Steps on the Camelot wheel: 0 same key, 1 for a fifth up or down or the relative major/minor.
    public func camelotDistance(to other: MusicalKey) -> Int {
        let around = abs(camelotNumber - other.camelotNumber) % 12
        let wheel = min(around, 12 - around)
        return wheel + (mode == other.mode ? 0 : 1)
    }

    /// Parses "A minor", "Am", "A", "F# major", "Bbm", "c#m", or a Camelot code such as "8A".
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let last = trimmed.last, "AaBb".contains(last), let number = Int(trimmed.dropLast()),
            (1...12).contains(number)
        {
            let isMinor = last == "A" || last == "a"
            // Invert camelotNumber: relative major r has ((7r) % 12 + 7) % 12 + 1 == number.
            guard let relativeMajor = (0..<12).first(where: { ((7 * $0) % 12 + 7) % 12 + 1 == number }) else {
                return nil
            }
            self.init(tonic: isMinor ? (relativeMajor + 9) % 12 : relativeMajor, mode: isMinor ? .minor : .major)
            return
        }
        var rest = Substring(trimmed.lowercased())
        guard let letter = rest.first, let natural = ["c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11][letter]
        else {
            return nil
        }
        rest = rest.dropFirst()
        var tonic = natural
        if rest.first == "#" || rest.first == "♯" {
            tonic += 1
            rest = rest.dropFirst()
        } else if rest.first == "b" || rest.first == "♭" {
            tonic += 11
            rest = rest.dropFirst()
        }
        let modeText = rest.trimmingCharacters(in: .whitespaces)
        let mode: Mode
        switch modeText {
        case "", "maj", "major": mode = .major
        case "m", "min", "minor": mode = .minor
        default: return nil
        }
        self.init(tonic: tonic % 12, mode: mode)
    }
}

/// A track's key where it may have none: the analysis finds no key in a sound with too little pitch content
/// (drums, noise, speech).
extension Optional where Wrapped == MusicalKey {
    /// Camelot steps between two tracks' keys; 0 when either has no key, which sits beside any key without a clash.
    public func camelotDistance(to other: MusicalKey?) -> Int {
        guard let self, let other else { return 0 }
        return self.camelotDistance(to: other)
    }

    /// The Camelot code, or "–" without a key.
    public var camelotText: String { self?.camelot ?? "–" }

    /// "A minor", or "no key".
    public var text: String { self?.description ?? "no key" }
}
