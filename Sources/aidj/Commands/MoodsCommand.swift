import AIDJCore
import AIDJTaste
import ArgumentParser
import Foundation

struct MoodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moods", abstract: "The named moods: regions of energy × valence plus a tempo range.")
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        var name: String
        var energy: [Double]
        var valence: [Double]
        var bpm: [Double]
        var summary: String
    }

    func run() throws {
        let rows = MoodSpace.named.map {
            Row(
                name: $0.name, energy: [$0.energy.lowerBound, $0.energy.upperBound],
                valence: [$0.valence.lowerBound, $0.valence.upperBound], bpm: [$0.bpm.lowerBound, $0.bpm.upperBound],
                summary: $0.summary)
        }
        if json {
            try Output.printJSON(rows)
            return
        }
        var table = Table(headers: ["MOOD", "ENERGY", "VALENCE", "BPM", ""], rightAligned: [])
        for r in rows {
            table.rows.append([
                r.name, String(format: "%.2f–%.2f", r.energy[0], r.energy[1]),
                String(format: "%.2f–%.2f", r.valence[0], r.valence[1]),
                String(format: "%.0f–%.0f", r.bpm[0], r.bpm[1]),
                r.summary,
            ])
        }
        print(table.render())
    }
}
