import Foundation

/// Extracts the melody of a MIDI file: the top voice (highest sounding note at each step) of the chosen track or
/// channel, or of all non-drum channels; quantized to 16ths; moved by octaves into the 48–83 range. Rests longer
/// than a bar keep one bar (and the bar position of what follows).
public struct MelodyExtractor: Sendable {
    /// Only this track (0-based), if set.
    public var track: Int?
    /// Only this channel (0–15), if set. Channel 9 (General MIDI drums) is never used otherwise.
    public var channel: Int?
    /// Fewer notes than this is no usable melody. Default 8.
    public var minimumNotes = 8

    public init(track: Int? = nil, channel: Int? = nil) {
        self.track = track
        self.channel = channel
    }

    /// Why a file gives no usable melody.
    public enum Skip: Error, CustomStringConvertible {
        case noNotes
        case tooFewNotes(Int)

        public var description: String {
            switch self {
            case .noNotes: "no melodic notes (empty, or drums only)"
            case .tooFewNotes(let n): "only \(n) melody notes"
            }
        }
    }

    /// The file's melody: the top voice of the chosen track and channel (drums excluded), quantized to 16ths and
    /// moved by octaves into the model's range.
    ///
    /// - Throws: ``Skip`` when too few notes remain.
    public func melody(of file: MIDIFile, source: String = "") throws(Skip) -> Melody {
        let candidates = file.notes.filter { note in
            if let track, note.track != track { return false }
            if let channel { return note.channel == channel }
            return note.channel != 9
        }
        guard !candidates.isEmpty else { throw Skip.noNotes }
        let stepTicks = Double(file.ticksPerQuarter) / Double(Melody.stepsPerQuarter)
        struct Quantized { var start: Int; var end: Int; var pitch: Int; var id: Int }
        let quantized = candidates.enumerated().map { i, n -> Quantized in
            let start = Int((Double(n.startTick) / stepTicks).rounded())
            let end = max(start + 1, Int((Double(n.endTick) / stepTicks).rounded()))
            return Quantized(start: start, end: end, pitch: n.pitch, id: i)
        }
        let lastStep = quantized.map(\.end).max()!
        // Top voice: at each step the highest sounding note.
        var byStart = [Int: [Quantized]]()
        for q in quantized { byStart[q.start, default: []].append(q) }
        var sounding: [Quantized] = []
        var top = [Quantized?](repeating: nil, count: lastStep)
        for step in 0..<lastStep {
            sounding.removeAll { $0.end <= step }
            sounding += byStart[step] ?? []
            top[step] = sounding.max { ($0.pitch, $0.start) < ($1.pitch, $1.start) }
        }
        var notes: [Melody.Note] = []
        var step = 0
        while step < lastStep {
            guard let current = top[step] else { step += 1; continue }
            var end = step + 1
            while end < lastStep, let next = top[end], next.id == current.id { end += 1 }
            notes.append(Melody.Note(start: step, length: end - step, pitch: current.pitch))
            step = end
        }
        guard notes.count >= minimumNotes else { throw Skip.tooFewNotes(notes.count) }
        // Whole bars of silence go — before the first note and inside long rests (bars where the part is tacet
        // while other voices play carry no melody) — keeping every note's position in its bar.
        var removed = (notes[0].start / Melody.stepsPerBar) * Melody.stepsPerBar
        var previousEnd = notes[0].start
        let octave = Self.octaveShift(notes.map(\.pitch))
        let placed = notes.map { note -> Melody.Note in
            let silentBars = max(0, (note.start - previousEnd) / Melody.stepsPerBar - 1)
            removed += silentBars * Melody.stepsPerBar
            previousEnd = note.start + note.length
            return Melody.Note(start: note.start - removed, length: note.length, pitch: Self.fold(note.pitch + octave))
        }
        return Melody(notes: placed, source: source)
    }

    /// The whole-octave shift that puts the most pitches inside 48–83 (the smallest such shift on ties).
    static func octaveShift(_ pitches: [Int]) -> Int {
        (-6...6).map { $0 * 12 }.max { a, b in
            let ca = pitches.filter { (Melody.lowestPitch...Melody.highestPitch).contains($0 + a) }.count
            let cb = pitches.filter { (Melody.lowestPitch...Melody.highestPitch).contains($0 + b) }.count
            return ca != cb ? ca < cb : abs(a) > abs(b)
        }!
    }

    /// Moves a pitch by octaves into 48–83.
    static func fold(_ pitch: Int) -> Int {
        var p = pitch
        while p < Melody.lowestPitch { p += 12 }
        while p > Melody.highestPitch { p -= 12 }
        return p
    }
}

/// Melodies read from MIDI files and folders, with the files that gave none and why.
public struct MelodyCorpus: Sendable {
    public var melodies: [Melody] = []
    public var skipped: [(path: String, reason: String)] = []

    public init(melodies: [Melody] = [], skipped: [(path: String, reason: String)] = []) {
        self.melodies = melodies
        self.skipped = skipped
    }

    /// Reads every `.mid`/`.midi` file under `paths` (files or folders), sorted by path.
    public static func load(_ paths: [String], extractor: MelodyExtractor = MelodyExtractor()) -> MelodyCorpus {
        var corpus = MelodyCorpus()
        for file in midiFiles(paths) {
            do {
                let midi = try MIDIFile(contentsOf: file)
                corpus.melodies.append(try extractor.melody(of: midi, source: file))
            } catch let error as MIDIError {
                corpus.skipped.append((file, error.reason))
            } catch {
                corpus.skipped.append((file, "\(error)"))
            }
        }
        return corpus
    }

    static func midiFiles(_ paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                files.append(path)  // reported as unreadable
                continue
            }
            if !isFolder.boolValue {
                files.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let relative = enumerator?.nextObject() as? String {
                let lower = relative.lowercased()
                if (lower.hasSuffix(".mid") || lower.hasSuffix(".midi"))
                    && !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") })
                {
                    files.append(path + "/" + relative)
                }
            }
        }
        return files.sorted()
    }

    /// A deterministic validation split: a melody is held out when the FNV-1a hash of its file name (not the
    /// folder, so the split survives moving the corpus) falls in the last `percent` of 100.
    public func split(validationPercent: Int = 10) -> (train: [Melody], valid: [Melody]) {
        var train: [Melody] = [], valid: [Melody] = []
        for melody in melodies {
            let name = (melody.source as NSString).lastPathComponent
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            if Int(hash % 100) < validationPercent { valid.append(melody) } else { train.append(melody) }
        }
        return (train, valid)
    }
}
