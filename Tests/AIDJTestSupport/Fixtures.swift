public import AIDJAudio
import AIDJCore
public import AIDJSynth
import Foundation

/// Generated fixture files: short synthesized songs written in a chosen format, deterministic by seed.
public enum Fixtures {
    /// Writes a short groove (`bars` of body) to `path`.
    @discardableResult
    public static func writeSong(
        to path: String, style: GrooveStyle = .fourOnTheFloor, bpm: Double = 124, tonic: Int = 9,
        minor: Bool = true, bars: Int = 4, format: AudioFormat = .wav16, seed: UInt64 = 7,
        tags: AudioTags = AudioTags()
    ) throws -> Song {
        var spec = SongSpec(style: style, bpm: bpm, keyTonic: tonic, keyIsMinor: minor, bodyBars: bars, seed: seed)
        if let rate = format.requiredSampleRate { spec.sampleRate = rate }
        let song = SongGenerator.render(spec)
        try AudioFileWriter.write(song.audio, to: path, format: format, tags: tags)
        return song
    }

    /// Files that are not valid audio, each named like audio: (file name, how it is broken).
    public static func writeBrokenFiles(into folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        let text = folder + "/text named.wav"
        try "just text\n".write(toFile: text, atomically: true, encoding: .utf8)
        paths.append(text)
        let empty = folder + "/empty.flac"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        paths.append(empty)
        var random = SplitMix64(seed: 99)
        let garbage = folder + "/garbage.mp3"
        _ = FileManager.default.createFile(
            atPath: garbage, contents: Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) }))
        paths.append(garbage)
        // A WAV cut in half, as by an interrupted copy.
        let truncated = folder + "/truncated.wav"
        try writeSong(to: truncated, bpm: 120, bars: 2)
        let data = try Data(contentsOf: URL(fileURLWithPath: truncated))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: truncated))
        paths.append(truncated)
        return paths
    }
}

/// The committed renders of public-domain scores and generated grooves (`fixtures/renders/`, recreated by its
/// `make_fixtures.py`): material AIDJSynth did not make, with labels from the score.
public enum RenderedFixtures {
    public struct Item: Sendable {
        public let path: String
        public let key: String
        public let bpm: Double
        /// Beat times (s) and their place in the bar (1 = downbeat).
        public let beats: [(time: Double, position: Int)]
        public let group: String
        public var name: String { URL(fileURLWithPath: path).lastPathComponent }
    }

    public static let folder: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/renders").path

    /// Every fixture listed in `labels.csv`.
    public static func all() throws -> [Item] {
        let labels = try String(contentsOfFile: folder + "/labels.csv", encoding: .utf8)
        return try labels.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            let beatsText = try String(contentsOfFile: folder + "/" + f[3], encoding: .utf8)
            let beats = beatsText.split(whereSeparator: \.isNewline).compactMap { row -> (Double, Int)? in
                let parts = row.split(separator: "\t")
                guard parts.count == 2, let t = Double(parts[0]), let p = Int(parts[1]) else { return nil }
                return (t, p)
            }
            return Item(path: folder + "/" + f[0], key: f[1], bpm: Double(f[2]) ?? 0, beats: beats, group: f[4])
        }
    }

    /// A groove framed by held chords: 45 s of `ambient_fixture.ogg` (a GM pad, looped) before the house fixture
    /// and 20 s after it, crossfaded over 2 s; both FluidR3 renders, not AIDJSynth. With the groove's first and
    /// last labelled beats in the mix (s).
    public static func framedGroove() throws -> (audio: AudioBuffer, firstBeat: Double, lastBeat: Double) {
        guard let item = try all().first(where: { $0.group == "house" }), let first = item.beats.first,
            let last = item.beats.last
        else { throw CocoaError(.fileReadCorruptFile) }
        let groove = try AudioFileReader(path: item.path).readAll()
        let rate = groove.sampleRate
        let chords = try AudioFileReader(path: folder + "/ambient_fixture.ogg").readAll().mono
        let padMono = chords + chords + chords
        let grooveMono = groove.mono
        let intro = 45 * rate, fade = 2 * rate
        var mix = [Float](repeating: 0, count: intro + grooveMono.count + 20 * rate)
        for i in 0..<min(intro + fade, padMono.count) {
            mix[i] += padMono[i] * (i < intro ? 1 : Float(intro + fade - i) / Float(fade))
        }
        for (i, x) in grooveMono.enumerated() { mix[intro + i] += x }
        let coda = intro + grooveMono.count - fade
        for i in 0..<min(mix.count - coda, padMono.count) {
            mix[coda + i] += padMono[i] * (i < fade ? Float(i) / Float(fade) : 1)
        }
        return (AudioBuffer(mono: mix, sampleRate: rate), 45 + first.time, 45 + last.time)
    }
}
