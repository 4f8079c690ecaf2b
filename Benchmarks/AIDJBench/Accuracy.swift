import AIDJAnalysis
import AIDJAudio
import AIDJSynth
import Foundation

/// Accuracy of tempo, beats and key on synthesized material with known answers (the same generator the tests use).
enum Accuracy {
    static func tempoCases() -> [(GrooveStyle, Double)] {
        [
            (.fourOnTheFloor, 120), (.fourOnTheFloor, 124), (.fourOnTheFloor, 128), (.fourOnTheFloor, 150), (.fourOnTheFloor, 190),
            (.breakbeat, 90), (.breakbeat, 100), (.breakbeat, 165), (.breakbeat, 174),
            (.halfTime, 140), (.halfTime, 150), (.halfTime, 170),
            (.oneDrop, 72), (.oneDrop, 80), (.oneDrop, 95),
            (.ballad, 60), (.ballad, 66), (.ballad, 76),
        ]
    }

    static func run() {
        let analyzer = TrackAnalyzer()
        var correct = 0
        for (i, (style, bpm)) in tempoCases().enumerated() {
            let spec = SongSpec(style: style, bpm: bpm, keyTonic: i % 12, keyIsMinor: i % 2 == 1, bodyBars: 12, seed: UInt64(i + 1))
            let song = SongGenerator.render(spec)
            let a = analyzer.analyze(song.audio)
            let ok = abs(a.bpm - bpm) / bpm <= 0.02
            if ok { correct += 1 }
            let f = BeatEvaluation.fMeasure(estimated: a.beats.times, reference: song.beatTimes)
            let keyOK = a.key.tonic == spec.keyTonic && (a.key.mode == .minor) == spec.keyIsMinor
            print(String(format: "%-18@ %6.1f → %7.2f %@  F=%.2f  key %@ %@ (%.2f)", style.rawValue as NSString, bpm, a.bpm,
                         (ok ? "ok " : "BAD") as NSString, f, a.key.description as NSString, (keyOK ? "ok" : "BAD") as NSString,
                         a.keyConfidence),
                  a.bpmAlternates.map { "\($0.relation):\(String(format: "%.2f", $0.score))" }.joined(separator: " "))
        }
        print("tempo within 2 %: \(correct)/\(tempoCases().count)")
        var keyCorrect = 0
        var confusions: [String: Int] = [:]
        for (i, key) in MusicalKey.all.enumerated() {
            let style = GrooveStyle.allCases[i % GrooveStyle.allCases.count]
            let spec = SongSpec(style: style, bpm: style.typicalBPM, keyTonic: key.tonic, keyIsMinor: key.mode == .minor,
                                bodyBars: 8, seed: UInt64(100 + i))
            let a = analyzer.analyze(SongGenerator.render(spec).audio)
            if a.key == key { keyCorrect += 1 } else {
                let relation = KeyRelation.of(a.key, to: key)
                confusions[relation, default: 0] += 1
                print("key \(key) (\(style.rawValue)) → \(a.key) [\(relation)]")
                if ProcessInfo.processInfo.environment["KEYDEBUG"] != nil {
                    let rotated = (0..<12).map { a.chromaMean[($0 + key.tonic) % 12] }
                    print("  chroma from tonic:", rotated.map { String(format: "%.3f", $0) }.joined(separator: " "))
                }
            }
        }
        print("key exact: \(keyCorrect)/24", confusions)
    }
}

enum KeyRelation {
    static func of(_ estimate: MusicalKey, to truth: MusicalKey) -> String {
        let interval = (estimate.tonic - truth.tonic + 12) % 12
        switch (estimate.mode == truth.mode, interval) {
        case (true, 7): return "dominant"
        case (true, 5): return "subdominant"
        case (false, 0): return "parallel"
        case (false, 9) where truth.mode == .major, (false, 3) where truth.mode == .minor: return "relative"
        default: return "other"
        }
    }
}

enum DemoCheck {
    static func run() {
        let analyzer = TrackAnalyzer()
        for entry in DemoLibrary.entries {
            for (name, intro) in [("full", true), ("body", false)] {
                var spec = entry.spec
                if !intro { spec.introBars = 0; spec.outroBars = 0 }
                let a = analyzer.analyze(SongGenerator.render(spec).audio)
                let truth = MusicalKey(tonic: spec.keyTonic, mode: spec.keyIsMinor ? .minor : .major)
                let rotated = (0..<12).map { a.chromaMean[($0 + truth.tonic) % 12] }
                print(entry.fileName, name, "truth \(truth) got \(a.key)", String(format: "bpm %.2f", a.bpm),
                      rotated.map { String(format: "%.3f", $0) }.joined(separator: " "))
            }
        }
    }
}

enum SubdivisionCheck {
    static func run() {
        for (i, (style, bpm)) in (Accuracy.tempoCases() + [(.breakbeat, 190), (.ballad, 55), (.oneDrop, 66)]).enumerated() {
            let spec = SongSpec(style: style, bpm: bpm, keyTonic: i % 12, keyIsMinor: i % 2 == 1, bodyBars: 12, seed: UInt64(i + 1))
            let song = SongGenerator.render(spec)
            let frames = FrameAnalyzer()
            var out: [Float] = []
            let r = try! Resampler(inputRate: 44100, outputRate: 22050)
            let mono = song.audio.mono
            mono.withUnsafeBufferPointer { r.process($0.baseAddress!, count: $0.count, output: &out) }
            r.flush(output: &out)
            frames.process(out)
            let ff = frames.finish()
            let a = TrackAnalyzer().analyze(song.audio)
            let high = stride(from: 2, to: ff.bandOnsets.count, by: 3).map { ff.bandOnsets[$0] }
            let acf = OnsetAutocorrelation(onset: high, frameRate: ff.frameRate)
            let tau = 60 * ff.frameRate / a.bpm
            print(String(format: "%-18@ %5.0f est %6.1f  high r(τ/4)=%.2f r(τ/2)=%.2f r(τ)=%.2f", style.rawValue as NSString, bpm, a.bpm,
                         acf.peak(nearLag: tau / 4, tolerance: 0.5), acf.peak(nearLag: tau / 2, tolerance: 0.5), acf.peak(nearLag: tau, tolerance: 0.5)))
        }
    }
}

enum OneCase {
    static func run(_ args: [String]) {
        let style = GrooveStyle(rawValue: args[1])!, bpm = Double(args[2])!, seed = UInt64(args[3])!
        let spec = SongSpec(style: style, bpm: bpm, keyTonic: 2, keyIsMinor: false, bodyBars: 12, seed: seed)
        let song = SongGenerator.render(spec)
        let a = TrackAnalyzer().analyze(song.audio)
        print(a.bpm, a.bpmAlternates, a.beats.isSteady, a.beats.times.prefix(12).map { String(format: "%.3f", $0) })
        print(song.beatTimes.prefix(12).map { String(format: "%.3f", $0) })
    }
}

enum SeedSweep {
    static func run() {
        let analyzer = TrackAnalyzer()
        var total = 0, correct = 0, beatGood = 0
        var failures: [String] = []
        let cases = Accuracy.tempoCases() + [(GrooveStyle.breakbeat, 190.0), (.ballad, 55), (.fourOnTheFloor, 135), (.oneDrop, 68)]
        for (style, bpm) in cases {
            for seed in UInt64(1)...5 {
                let spec = SongSpec(style: style, bpm: bpm, keyTonic: Int(seed) % 12, keyIsMinor: seed % 2 == 0, introBars: 2,
                                    bodyBars: 10, outroBars: 2, seed: seed * 7919)
                let song = SongGenerator.render(spec)
                let a = analyzer.analyze(song.audio)
                total += 1
                if abs(a.bpm - bpm) / bpm <= 0.02 { correct += 1 } else { failures.append("\(style.rawValue) \(bpm) seed \(seed) → \(a.bpm)") }
                if BeatEvaluation.fMeasure(estimated: a.beats.times, reference: song.beatTimes) >= 0.9 { beatGood += 1 }
            }
        }
        print("tempo within 2 %: \(correct)/\(total); beat F ≥ 0.9: \(beatGood)/\(total)")
        failures.forEach { print("  \($0)") }
    }
}
