import AIDJAnalysis
import AIDJAudio
import AIDJCore
import AIDJSynth
import Foundation

/// `aidj-bench synth-set OUT [--count N]`: AIDJSynth songs in every style across its tempo range and all 24 keys,
/// written as FLAC with labels (`OUT/labels.csv`, `OUT/beats/`) in the format of `aidj-bench eval`. One dataset
/// among the independent ones when fitting the key and tempo models — never the only one.
enum SynthSet {
    static func run(arguments: [String]) throws {
        guard arguments.count >= 2 else { throw BenchError("usage: aidj-bench synth-set OUT [--count N]") }
        let out = arguments[1]
        var count = 60
        if let i = arguments.firstIndex(of: "--count"), i + 1 < arguments.count {
            count = Int(arguments[i + 1]) ?? count
        }
        try FileManager.default.createDirectory(atPath: out + "/beats", withIntermediateDirectories: true)
        var csv = "file,key,bpm,beats,group\n"
        let styles = GrooveStyle.allCases
        for i in 0..<count {
            let style = styles[i % styles.count]
            // Spread over ±25 % around the style's typical tempo, deterministically.
            let spread = Double((i * 7919) % 51 - 25) / 100
            let bpm = ((style.typicalBPM * (1 + spread)) * 10).rounded() / 10
            let key = MusicalKey.all[(i * 5) % 24]
            let spec = SongSpec(
                style: style, bpm: bpm, keyTonic: key.tonic, keyIsMinor: key.mode == .minor, introBars: 2,
                bodyBars: 12, outroBars: 2, seed: UInt64(1000 + i))
            let song = SongGenerator.render(spec)
            let name = String(format: "%@_%03d", style.rawValue, i)
            try AudioFileWriter.write(song.audio, to: "\(out)/\(name).flac", format: .flac16)
            let downbeats = Set(song.downbeatTimes.map { ($0 * 1000).rounded() })
            var position = 0
            let lines = song.beatTimes.map { t -> String in
                position = downbeats.contains((t * 1000).rounded()) ? 1 : position + 1
                return String(format: "%.4f\t%d", t, position)
            }
            try (lines.joined(separator: "\n") + "\n").write(
                toFile: "\(out)/beats/\(name).beats", atomically: true, encoding: .utf8)
            csv += "\(name).flac,\(key),\(bpm),beats/\(name).beats,\(style.rawValue)\n"
        }
        try csv.write(toFile: out + "/labels.csv", atomically: true, encoding: .utf8)
        print("\(count) songs → \(out)")
    }
}
