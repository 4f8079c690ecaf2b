import AIDJStore
import AIDJTaste
import ArgumentParser
import Foundation

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar", abstract: "Tracks that sound like a given one (standardized feature distance).")

    @Argument(help: "Track id, path, end of a path, or part of the file name.") var track: String
    @Option(help: "How many tracks.") var limit = 10
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let library = try store.open()
        let id = try library.resolveTrack(track)
        guard try library.trackDetail(id: id)?.features != nil else {
            throw CLIError("'\(track)' has not been analysed")
        }
        let similar = try SimilarTracks.nearest(to: id, in: library, limit: limit)
        if json {
            try Output.printJSON(similar)
            return
        }
        var table = Table(headers: ["ID", "DISTANCE", "TRACK"], rightAligned: [0, 1])
        for s in similar {
            let name =
                s.title.map { t in s.artist.map { "\($0) – \(t)" } ?? t } ?? (s.path as NSString).lastPathComponent
            table.rows.append(["\(s.id)", String(format: "%.3f", s.distance), name])
        }
        print(similar.isEmpty ? "No other analysed tracks." : table.render())
    }
}
