import AIDJCore
import AIDJStore
import AIDJTaste
import ArgumentParser
import Foundation

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar", abstract: "Tracks that sound like a given one.",
        discussion: """
            --space features: standardized feature distance; genre: distance in the genre model's learned \
            projection (what tells genres apart); blend: both. auto (default) blends when a genre model exists.
            """)

    @Argument(help: "Track id, path, end of a path, or part of the file name.") var track: String
    @Option(help: "How many tracks.") var limit = 10
    @Option(help: "auto, features, genre or blend.") var space = "auto"
    @Option(name: .customLong("genre-model"), help: "Genre model for the genre and blend spaces.") var genreModel =
        "genre"
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard space == "auto" || FeatureSpace.Metric(rawValue: space) != nil else {
            throw ValidationError("--space '\(space)' is not auto, features, genre or blend")
        }
    }

    func run() throws {
        let library = try store.open()
        let id = try library.resolveTrack(track)
        guard try library.trackDetail(id: id)?.features != nil else {
            throw CLIError("'\(track)' has not been analysed")
        }
        var metric = FeatureSpace.Metric(rawValue: space) ?? .features
        var model: GenreModel?
        if space == "auto" {
            if try ModelRepository(library).contains(.genre, name: genreModel) {
                model = try GenreModel.load(genreModel, from: library).model
                metric = .blend
            }
        } else if metric != .features {
            model = try GenreModel.load(genreModel, from: library).model
        }
        let features = try FeatureSpace(LibrarySnapshot(store: library), metric: metric, genreModel: model)
        let similar = SimilarTracks.nearest(to: id, in: features, limit: limit)
        if json {
            try Output.printJSON(similar)
            return
        }
        var table = Table(headers: ["ID", "DISTANCE", "TRACK"], rightAligned: [0, 1])
        for s in similar {
            let name = TrackTitle.display(artist: s.artist, title: s.title, path: s.path)
            table.rows.append(["\(s.id)", String(format: "%.3f", s.distance), name])
        }
        print(similar.isEmpty ? "No other analysed tracks." : "(\(metric.rawValue) distance)\n" + table.render())
    }
}
