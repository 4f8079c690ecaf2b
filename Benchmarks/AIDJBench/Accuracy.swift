import AIDJAnalysis
import AIDJAudio
import AIDJCore
import AIDJSynth
import Foundation

/// Accuracy of tempo, beats and key on synthesized material with known answers (the same generator the tests use).
enum Accuracy {
    static func tempoCases() -> [(GrooveStyle, Double)] {
        [
            (.fourOnTheFloor, 120), (.fourOnTheFloor, 124), (.fourOnTheFloor, 128), (.fourOnTheFloor, 150),
            (.fourOnTheFloor, 190),
            (.breakbeat, 90), (.breakbeat, 100), (.breakbeat, 165), (.breakbeat, 174),
            (.halfTime, 140), (.halfTime, 150), (.halfTime, 170),
            (.oneDrop, 72), (.oneDrop, 80), (.oneDrop, 95),
            (.ballad, 60), (.ballad, 66), (.ballad, 76),
        ]
    }

    static func run() throws {
        let analyzer = TrackAnalyzer()
        var correct = 0
        for (i, (style, bpm)) in tempoCases().enumerated() {
            let spec = SongSpec(
                style: style, bpm: bpm, keyTonic: i % 12, keyIsMinor: i % 2 == 1, bodyBars: 12, seed: UInt64(i + 1))
            let song = SongGenerator.render(spec)
            let a = try analyzer.analyze(song.audio)
            let ok = abs(a.bpm - bpm) / bpm <= 0.02
            if ok { correct += 1 }
            let f = BeatEvaluation.fMeasure(estimated: a.beats.times, reference: song.beatTimes)
            let keyOK = a.key?.tonic == spec.keyTonic && (a.key?.mode == .minor) == spec.keyIsMinor
            print(
                String(
                    format: "%-18@ %6.1f → %7.2f %@  F=%.2f  key %@ %@ (%.2f)", style.rawValue as NSString, bpm, a.bpm,
                    (ok ? "ok " : "BAD") as NSString, f, a.key.text as NSString,
                    (keyOK ? "ok" : "BAD") as NSString,
                    a.keyConfidence),
                a.bpmAlternates.map { "\($0.relation.rawValue):\(String(format: "%.2f", $0.score))" }.joined(
                    separator: " "))
        }
        print("tempo within 2 %: \(correct)/\(tempoCases().count)")
        var keyCorrect = 0
        var confusions: [String: Int] = [:]
        for (i, key) in MusicalKey.all.enumerated() {
            let style = GrooveStyle.allCases[i % GrooveStyle.allCases.count]
            let spec = SongSpec(
                style: style, bpm: style.typicalBPM, keyTonic: key.tonic, keyIsMinor: key.mode == .minor,
                bodyBars: 8, seed: UInt64(100 + i))
            let a = try analyzer.analyze(SongGenerator.render(spec).audio)
            if a.key == key {
                keyCorrect += 1
            } else {
                let relation = a.key.map { KeyRelation.of($0, to: key) } ?? "none"
                confusions[relation, default: 0] += 1
                print("key \(key) (\(style.rawValue)) → \(a.key.text) [\(relation)]")
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

enum SeedSweep {
    static func run() throws {
        let analyzer = TrackAnalyzer()
        var total = 0, correct = 0, beatGood = 0
        var failures: [String] = []
        let cases =
            Accuracy.tempoCases() + [
                (GrooveStyle.breakbeat, 190.0), (.ballad, 55), (.fourOnTheFloor, 135), (.oneDrop, 68),
            ]
        for (style, bpm) in cases {
            for seed in UInt64(1)...5 {
                let spec = SongSpec(
                    style: style, bpm: bpm, keyTonic: Int(seed) % 12, keyIsMinor: seed % 2 == 0, introBars: 2,
                    bodyBars: 10, outroBars: 2, seed: seed * 7919)
                let song = SongGenerator.render(spec)
                let a = try analyzer.analyze(song.audio)
                total += 1
                if abs(a.bpm - bpm) / bpm <= 0.02 {
                    correct += 1
                } else {
                    failures.append("\(style.rawValue) \(bpm) seed \(seed) → \(a.bpm)")
                }
                if BeatEvaluation.fMeasure(estimated: a.beats.times, reference: song.beatTimes) >= 0.9 { beatGood += 1 }
            }
        }
        print("tempo within 2 %: \(correct)/\(total); beat F ≥ 0.9: \(beatGood)/\(total)")
        failures.forEach { print("  \($0)") }
    }
}
