import AIDJStore
import AIDJTaste
public import ArgumentParser
import Foundation

struct ListenerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listener", abstract: "Add, list and show listeners (whose feedback shapes taste models).",
        subcommands: [Add.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a listener.")
        @Argument(help: "Name (unique, ignoring case).") var name: String
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the name is empty") }
        }

        func run() throws {
            let library = try store.open()
            try library.addListener(name)
            print("added listener '\(name)'")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List listeners with their event counts.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let listeners = try store.open().listeners()
            if json {
                try Output.printJSON(listeners.map(ListenerJSON.init))
                return
            }
            var table = Table(
                headers: ["NAME", "PLAYS", "SKIPS", "LIKES", "DISLIKES", "RATINGS", "SINCE"],
                rightAligned: [1, 2, 3, 4, 5])
            for l in listeners {
                table.rows.append([
                    l.name, "\(l.plays)", "\(l.skips)", "\(l.likes)", "\(l.dislikes)", "\(l.ratings)", l.createdAt,
                ])
            }
            print(listeners.isEmpty ? "No listeners. Add one with: aidj listener add NAME" : table.render())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A listener's profile: counts, top genres, preferences.")
        @Argument(help: "Listener name.") var name: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let library = try store.open()
            guard let profile = try ListenerProfile.load(name: name, from: library) else {
                throw CLIError.noListener(name, library)
            }
            // A model this aidj cannot use is shown as the reason, not as a failure of the whole profile.
            var tasteModel: TasteReport?
            var tasteNote: String?
            do {
                tasteModel = try TasteModel.load(listener: profile.summary.name, from: library)?.1
            } catch {
                tasteNote = "\(error)"
            }
            if json {
                var document = ProfileJSON(profile)
                document.tasteModel = tasteModel
                document.tasteModelProblem = tasteNote
                try Output.printJSON(document)
                return
            }
            let s = profile.summary
            print(
                "\(s.name): \(s.plays) plays, \(s.skips) skips, \(s.likes) likes, \(s.dislikes) dislikes, \(s.ratings) ratings"
            )
            print(
                "Top genres: "
                    + (profile.topGenres.isEmpty
                        ? "–" : profile.topGenres.map { "\($0.genre) (\($0.count))" }.joined(separator: ", ")))
            if let bpm = profile.meanBPM {
                print(
                    String(
                        format:
                            "Liked tracks (%d): %.1f BPM, energy %.2f, valence %.2f, danceability %.2f on average",
                        profile.likedTracks, bpm, profile.meanEnergy ?? 0, profile.meanValence ?? 0,
                        profile.meanDanceability ?? 0))
            }
            if let report = tasteModel {
                print(
                    "Taste model: \(report.events) events on \(report.tracks) tracks"
                        + (report.likedAUC.map { String(format: ", %d-fold AUC for liked %.2f", report.folds ?? 0, $0) }
                            ?? ""))
            } else {
                print("Taste model: " + (tasteNote ?? "none yet (aidj train taste \(profile.summary.name))"))
            }
        }
    }
}

struct ListenerJSON: Encodable {
    var name: String, createdAt: String, plays: Int, skips: Int, likes: Int, dislikes: Int, ratings: Int
    init(_ s: ListenerSummary) {
        (name, createdAt, plays, skips, likes, dislikes, ratings) = (
            s.name, s.createdAt, s.plays, s.skips, s.likes, s.dislikes, s.ratings
        )
    }
    enum CodingKeys: String, CodingKey {
        case name, createdAt = "created_at", plays, skips, likes, dislikes, ratings
    }
}

struct ProfileJSON: Encodable {
    var listener: ListenerJSON
    var topGenres: [ListenerProfile.GenreCount]
    var meanBPM, meanEnergy, meanValence, meanDanceability: Double?
    var likedTracks: Int
    var tasteModel: TasteReport?
    var tasteModelProblem: String?
    init(_ p: ListenerProfile) {
        listener = ListenerJSON(p.summary)
        topGenres = p.topGenres
        (meanBPM, meanEnergy, meanValence, meanDanceability) = (
            p.meanBPM, p.meanEnergy, p.meanValence, p.meanDanceability
        )
        likedTracks = p.likedTracks
    }
    enum CodingKeys: String, CodingKey {
        case listener, topGenres = "top_genres", meanBPM = "mean_bpm", meanEnergy = "mean_energy",
            meanValence = "mean_valence", meanDanceability = "mean_danceability", likedTracks = "liked_tracks",
            tasteModel = "taste_model", tasteModelProblem = "taste_model_problem"
    }
}

extension ListenerEventKind: ExpressibleByArgument {}

struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback", abstract: "Record what a listener did with a track.",
        discussion:
            "KIND is like, dislike, skip, play, or rate (with a value 1–5): aidj feedback alice song.flac rate 4")

    @Argument(help: "Listener name.") var listener: String
    @Argument(help: "Track id, path, or the end of a path.") var track: String
    @Argument(help: "like | dislike | skip | play | rate") var kind: String
    @Argument(help: "Rating 1–5 (with rate).") var value: Int?
    @OptionGroup var store: StoreOptions

    var eventKind: ListenerEventKind? {
        kind == "rate" ? .rating : ListenerEventKind(rawValue: kind).flatMap { $0 == .rating ? nil : $0 }
    }

    func validate() throws {
        guard let eventKind else {
            throw ValidationError("'\(kind)' is not a feedback kind (like, dislike, skip, play, rate)")
        }
        if eventKind == .rating {
            guard let value, (1...5).contains(value) else { throw ValidationError("rate needs a value from 1 to 5") }
        } else if value != nil {
            throw ValidationError("only rate takes a value")
        }
    }

    func run() throws {
        let library = try store.open()
        guard let listenerID = try library.listenerID(named: listener) else {
            throw CLIError.noListener(listener, library)
        }
        let trackID = try library.resolveTrack(track)
        try library.recordEvent(listenerID: listenerID, trackID: trackID, kind: eventKind!, rating: value)
        print("recorded \(kind)\(value.map { " \($0)" } ?? "") for \(listener)")
    }
}

extension CLIError {
    static func noListener(_ name: String, _ library: LibraryStore) -> CLIError {
        CLIError("no listener named '\(name)' in \(library.path); add one with: aidj listener add \(name)")
    }
}
