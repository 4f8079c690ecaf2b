import AIDJCore
import AIDJIngest
import AIDJStore
public import ArgumentParser
import Foundation

extension TrackOrder: ExpressibleByArgument {}
extension TrackRecord.Status: ExpressibleByArgument {}

struct TracksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracks", abstract: "List the library's tracks with their features.")

    @Option(help: "Sort by: \(TrackOrder.allCases.map(\.rawValue).joined(separator: ", ")).")
    var sort: TrackOrder = .path

    @Flag(help: "Sort descending.")
    var desc = false

    @Option(help: "Only tracks with this status: analyzed, failed, missing.")
    var status: TrackRecord.Status?

    @Option(help: "Show at most this many tracks.")
    var limit: Int?

    @Flag(help: "Print JSON (an array of tracks).")
    var json = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        var summaries = try store.open().trackSummaries(order: sort, descending: desc, status: status)
        if let limit { summaries = Array(summaries.prefix(max(0, limit))) }
        if json {
            try Output.printJSON(
                summaries.map {
                    TrackReport(track: $0.track, features: $0.features, tempoAlternates: $0.tempoAlternates)
                })
        } else {
            print(Self.table(summaries))
        }
    }

    static func table(_ summaries: [TrackSummary]) -> String {
        var table = Table(
            headers: ["ID", "BPM", "KEY", "CAM", "LUFS", "ENERGY", "VALENCE", "DANCE", "TIME", "STATUS", "TRACK"],
            rightAligned: [0, 1, 4, 5, 6, 7, 8])
        for summary in summaries {
            let report = TrackReport(track: summary.track, features: summary.features)
            func number(_ value: Double?, _ format: String) -> String {
                value.map { String(format: format, $0) } ?? "–"
            }
            let name = TrackTitle.display(artist: report.artist, title: report.title, path: report.path)
            table.rows.append([
                report.id.map(String.init) ?? "", number(report.bpm.flatMap { $0 > 0 ? $0 : nil }, "%.1f"),
                report.key ?? "–", report.camelot ?? "–",
                number(report.loudnessLufs, "%.1f"), number(report.energy, "%.2f"), number(report.valence, "%.2f"),
                number(report.danceability, "%.2f"), report.durationS.map { ProgressBar.clock($0) } ?? "–",
                report.status, name,
            ])
        }
        return table.rows.isEmpty ? "No tracks. Add some with: aidj ingest FOLDER" : table.render()
    }
}
