import AIDJServer
import AIDJStore
import AIDJTaste
public import ArgumentParser
import Foundation

struct ListenerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listener", abstract: "Add, list and show listeners (whose feedback shapes taste models).",
        subcommands: [Add.self, List.self, Show.self, Password.self, APIKey.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a listener (with a password, also a user of `aidj serve`).")
        @Argument(help: "Name (unique, ignoring case).") var name: String
        @OptionGroup var password: PasswordOptions
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the name is empty") }
            try password.validate(required: false)
        }

        func run() throws {
            let library = try store.open()
            // Read and seal the password first, so a failure adds nobody.
            let sealed = try password.read().map { try password.seal($0, database: store.path) }
            let id = try library.addListener(name)
            if let sealed { try library.setSealedPassword(listenerID: id, sealed: sealed) }
            print("added listener '\(name)'" + (sealed == nil ? "" : " with a password"))
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a listener's password for `aidj serve`.",
            discussion: """
                Subsonic's token login needs the password in clear on the server, so it is stored sealed \
                (AES-GCM) with a key file beside the database (DB.key, readable only by you).
                """)
        @Argument(help: "Listener name.") var name: String
        @OptionGroup var password: PasswordOptions
        @OptionGroup var store: StoreOptions

        func validate() throws { try password.validate(required: true) }

        func run() throws {
            let library = try store.open()
            guard let listener = try library.listenerIdentity(named: name) else {
                throw CLIError.noListener(name, library)
            }
            let sealed = try password.seal(try password.read()!, database: store.path)
            try library.setSealedPassword(listenerID: listener.id, sealed: sealed)
            print("password set for '\(listener.name)'")
        }
    }

    struct APIKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api-key", abstract: "Make, list or revoke a listener's API keys (OpenSubsonic apiKey).",
            discussion: """
                With no option, prints a new key: it is shown only this once (the database keeps its SHA-256). \
                Players log in with apiKey=KEY instead of a user name and password.
                """)
        @Argument(help: "Listener name.") var name: String
        @Flag(help: "List the keys (their first characters) instead.") var list = false
        @Option(help: "Revoke the keys that start with this prefix (as listed).") var revoke: String?
        @Flag(help: "Print JSON (with --list).") var json = false
        @OptionGroup var store: StoreOptions

        func validate() throws {
            if list && revoke != nil { throw ValidationError("--list and --revoke do not go together") }
            if let revoke, revoke.count < 8 {
                throw ValidationError("--revoke '\(revoke)' is too short: give at least 8 characters of the key")
            }
        }

        func run() throws {
            let library = try store.open()
            guard let listener = try library.listenerIdentity(named: name) else {
                throw CLIError.noListener(name, library)
            }
            if list {
                let keys = try library.apiKeys(listenerID: listener.id)
                if json {
                    try Output.printJSON(keys)
                    return
                }
                var table = Table(headers: ["KEY", "CREATED"])
                for key in keys { table.rows.append([key.prefix + "…", key.createdAt]) }
                print(keys.isEmpty ? "No API keys for '\(listener.name)'." : table.render())
            } else if let revoke {
                let count = try library.revokeAPIKeys(listenerID: listener.id, prefix: revoke)
                guard count > 0 else { throw CLIError("'\(listener.name)' has no API key starting with '\(revoke)'") }
                print("revoked \(count) key\(count == 1 ? "" : "s") of '\(listener.name)'")
            } else {
                let key = Credentials.newAPIKey()
                try library.addAPIKey(
                    listenerID: listener.id, hash: Credentials.hash(apiKey: key), prefix: String(key.prefix(12)))
                print(key)
            }
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

/// `--password-prompt` / `--password-stdin`, shared by `listener add` and `listener password`.
struct PasswordOptions: ParsableArguments {
    @Flag(name: .customLong("password-prompt"), help: "Ask for a password on the terminal (not echoed).")
    var prompt = false
    @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input.")
    var stdin = false

    func validate(required: Bool) throws {
        if prompt && stdin { throw ValidationError("--password-prompt and --password-stdin do not go together") }
        if required && !prompt && !stdin { throw ValidationError("give --password-prompt or --password-stdin") }
    }

    /// The password, nil when neither flag was given.
    func read() throws -> String? {
        let password: String
        if prompt {
            guard isatty(0) == 1 else {
                throw CLIError("--password-prompt needs a terminal; scripts use --password-stdin")
            }
            password = try Self.promptHidden("Password: ")
            guard try Self.promptHidden("Again: ") == password else { throw CLIError("the passwords differ") }
        } else if stdin {
            guard let line = readLine(strippingNewline: true) else {
                throw CLIError("--password-stdin: standard input is empty")
            }
            password = line
        } else {
            return nil
        }
        guard !password.isEmpty else { throw CLIError("the password is empty") }
        guard password.utf8.count <= 1024 else { throw CLIError("the password is longer than 1024 bytes") }
        return password
    }

    func seal(_ password: String, database: String) throws -> Data {
        try Credentials(keyFile: Credentials.keyFile(forDatabase: database), create: true).seal(password: password)
    }

    /// Reads a line from the terminal with echo off.
    static func promptHidden(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(0, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &quiet)
        defer {
            tcsetattr(0, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw CLIError("no password given") }
        return line
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
