import AIDJCore
import AIDJStore
import AIDJTaste
import ArgumentParser
import Foundation

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend", abstract: "Tracks for a listener, ranked, with the reasons.",
        discussion: """
            Ranks by taste (the listener's model, else similarity to what they liked), fit to --mood, and novelty, \
            with the same artist's later tracks penalised. Tracks heard in the last --recent-days days and \
            disliked tracks are left out. `aidj moods` lists the moods.
            """)

    @Argument(help: "Listener name.") var listener: String
    @Option(help: "A named mood (aidj moods).") var mood: String?
    @Option(help: "How many tracks.") var limit = 20
    @Option(name: .customLong("recent-days"), help: "Leave out tracks heard this recently (days).")
    var recentDays = 14.0
    @Option(help: "Score as of this time (ISO 8601; default now): the listening context.") var at: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        guard recentDays >= 0 else { throw ValidationError("--recent-days must not be negative") }
        if let mood {
            do { _ = try MoodSpace.region(named: mood) } catch { throw ValidationError("\(error)") }
        }
        if let at, ISO8601DateFormatter().date(from: at) == nil {
            throw ValidationError("--at '\(at)' is not an ISO 8601 time like 2026-11-29T20:00:00Z")
        }
    }

    struct Result: Encodable {
        var listener: String
        var mood: String?
        var taste: String
        var tracks: [Recommendation]
    }

    func run() throws {
        let library = try store.open()
        let listener = try library.listener(named: self.listener)
        let date = at.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date()
        let space = FeatureSpace(try LibrarySnapshot(store: library))
        guard !space.snapshot.tracks.isEmpty else {
            throw CLIError("no analysed tracks in \(library.path): run aidj ingest first")
        }
        let scorer = try TasteScorer(
            listener: listener.name, listenerID: listener.id, store: library, space: space, at: date)
        var recommender = Recommender()
        recommender.mood = try mood.map { try MoodSpace.region(named: $0) }
        recommender.limit = limit
        recommender.recentDays = recentDays
        let picks = recommender.recommend(scorer: scorer, space: space, at: date)
        if json {
            try Output.printJSON(Result(listener: listener.name, mood: mood, taste: scorer.explanation, tracks: picks))
            return
        }
        print("\(listener.name)\(mood.map { ", \($0)" } ?? ""): \(scorer.explanation)")
        guard !picks.isEmpty else {
            print("nothing to recommend: every track was heard recently, disliked, or does not fit the mood")
            return
        }
        for (n, p) in picks.enumerated() {
            let name = TrackTitle.display(artist: p.artist, title: p.title, path: p.path)
            print(String(format: "%2d. %.3f  %@", n + 1, p.score, name))
            for reason in p.reasons { print("        \(reason)") }
        }
    }
}
