import AIDJAnalysis
import AIDJAudio
import AIDJCore
import Foundation
import Testing

/// Known answers for the structure analysis: a track built here bar by bar from plain layers (kick, bass, pad,
/// hats), so every section boundary and role is exact.
@Suite("Structure sections")
struct StructureTests {
    static let sampleRate = 22_050
    static let bpm = 124.0

    /// Layers of one bar.
    struct Layers {
        var kick = 0.0, hats = 0.0, bass = 0.0, pad = 0.0
    }

    /// Renders bars of `layers`, each `count` bars long, after 0.5 s of silence. Noise comes from a fixed seed.
    static func render(_ parts: [(count: Int, layers: Layers)]) -> (audio: [Float], barStarts: [Double]) {
        let sr = Double(sampleRate)
        let beat = 60 / bpm
        let bars = parts.map(\.count).reduce(0, +)
        let lead = 0.5
        var out = [Float](repeating: 0, count: Int((lead + Double(bars) * 4 * beat + 1) * sr))
        var random = SplitMix64(seed: 11)
        let layersOfBar = parts.flatMap { repeatElement($0.layers, count: $0.count) }
        let barStarts = (0..<bars).map { lead + Double($0) * 4 * beat }
        let chord = [220.0, 261.63, 329.63]
        // Sample by sample, so the pad runs on without a seam at the beats.
        for n in 0..<out.count {
            let absolute = Double(n) / sr
            let t = absolute - lead
            let bar = Int((t / (4 * beat)).rounded(.down))
            guard t >= 0, bar < bars else { continue }
            let layers = layersOfBar[bar]
            let tb = t.truncatingRemainder(dividingBy: beat)
            var x = 0.0
            // Kick: a falling sine with a fast decay on every beat.
            x += layers.kick * sin(2 * .pi * (50 * tb + 40 * (1 - exp(-tb * 30)) / 30)) * exp(-tb * 9)
            // Hats: a short noise burst on every beat and off-beat.
            let h = tb.truncatingRemainder(dividingBy: beat / 2)
            x += layers.hats * (random.openUniform() * 2 - 1) * exp(-h * 60) * 0.4
            // Bass on the off-beat, a held pad.
            if tb >= beat / 2 { x += layers.bass * sin(2 * .pi * 55 * tb) * 0.6 }
            for f in chord { x += layers.pad * sin(2 * .pi * f * absolute) * 0.12 }
            out[n] = Float(x * 0.5)
        }
        return (out, barStarts)
    }

    @Test("a built track is read as intro, main, breakdown, main, outro, with boundaries within two bars")
    func builtTrack() throws {
        let full = Layers(kick: 1, hats: 0.6, bass: 1, pad: 1)
        let (audio, bars) = Self.render([
            (16, Layers(hats: 0.5)),
            (32, full),
            (16, Layers(pad: 1)),
            (32, full),
            (16, Layers(kick: 0.5, hats: 0.3)),
        ])
        let analysis = try TrackAnalyzer().analyze(AudioBuffer(mono: audio, sampleRate: Self.sampleRate))
        let sections = analysis.structure
        #expect(
            sections.map(\.label) == [.intro, .main, .breakdown, .main, .outro],
            "\(sections.map { ($0.label, $0.start) })")
        guard sections.count == 5 else { return }
        let barLength = 240 / Self.bpm
        for (section, bar) in zip(sections.dropFirst(), [16, 48, 64, 96]) {
            #expect(abs(section.start - bars[bar]) <= 2 * barLength + 0.05, "\(section.label) at \(section.start)")
        }
        // The breakdown is a pad alone: no beat; everything else has one.
        #expect(sections.map(\.hasBeat) == [true, true, false, true, true], "\(sections.map(\.hasBeat))")
        #expect(sections[2].levelDB < -6, "breakdown \(sections[2].levelDB) dB")
        #expect(abs(sections[1].levelDB) < 3 && abs(sections[3].levelDB) < 3)
        // The sections tile the file.
        #expect(sections[0].start == 0)
        #expect(abs(sections[4].end - analysis.durationSeconds) < 1e-6)
        for (a, b) in zip(sections, sections.dropFirst()) { #expect(a.end == b.start) }
    }

    @Test("a rising passage into the main section is a build")
    func build() throws {
        let full = Layers(kick: 1, hats: 0.6, bass: 1, pad: 1)
        var parts: [(count: Int, layers: Layers)] = [(16, Layers(hats: 0.5)), (24, full), (8, Layers(pad: 0.3))]
        // Eight bars whose hats and pad rise by 12 dB, bar by bar.
        for k in 0..<8 {
            let g = pow(10, (-12 + 1.5 * Double(k)) / 20)
            parts.append((1, Layers(kick: 0, hats: 0.6 * g * 2, bass: 0, pad: g)))
        }
        parts += [(24, full), (8, Layers(kick: 0.5, hats: 0.3))]
        let (audio, _) = Self.render(parts)
        let sections = try TrackAnalyzer().analyze(AudioBuffer(mono: audio, sampleRate: Self.sampleRate)).structure
        #expect(sections.contains { $0.label == .build }, "\(sections.map { ($0.label, $0.start) })")
        #expect(sections.first?.label == .intro && sections.last?.label == .outro)
    }

    @Test("a track without a beat gets sections over two-second blocks, none with a beat; silence gets none")
    func beatless() throws {
        let sr = Double(Self.sampleRate)
        // 40 s of a soft pad, 40 s of a loud one, 40 s soft again.
        let audio = (0..<Int(120 * sr)).map { n -> Float in
            let t = Double(n) / sr
            let level = t >= 40 && t < 80 ? 0.5 : 0.08
            return Float(level * (sin(2 * .pi * 220 * t) + sin(2 * .pi * 330 * t)) * 0.5)
        }
        let analysis = try TrackAnalyzer().analyze(AudioBuffer(mono: audio, sampleRate: Self.sampleRate))
        let sections = analysis.structure
        #expect(sections.allSatisfy { !$0.hasBeat })
        #expect(sections.map(\.label) == [.intro, .main, .outro], "\(sections.map { ($0.label, $0.start) })")
        if sections.count == 3 {
            #expect(abs(sections[1].start - 40) <= 2.5 && abs(sections[2].start - 80) <= 2.5)
        }
        let silence = try TrackAnalyzer().analyze(
            AudioBuffer(mono: [Float](repeating: 0, count: Int(10 * sr)), sampleRate: Self.sampleRate))
        #expect(silence.structure.isEmpty)
    }
}
