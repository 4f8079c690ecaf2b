import AIDJStore
import ArgumentParser
import Foundation

/// `--db PATH`, shared by every command that touches the library.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Database file (default: $AIDJ_DB, else $XDG_DATA_HOME/aidj/library.sqlite).")
    var db: String?

    var path: String { db ?? LibraryStore.defaultPath() }

    func open() throws -> LibraryStore {
        try LibraryStore(path: path)
    }
}

extension LibraryStore {
    /// The one track a command-line reference names (id, path, end of a path, or part of the file name).
    ///
    /// - Throws: `CLIError` when nothing or more than one track matches.
    func resolveTrack(_ reference: String) throws -> Int64 {
        let ids = try findTracks(
            matching: reference, absolutePath: URL(fileURLWithPath: reference).standardizedFileURL.path)
        guard let id = ids.first else { throw CLIError("no track matches '\(reference)' in \(path)") }
        guard ids.count == 1 else {
            throw CLIError("'\(reference)' matches \(ids.count) tracks; give more of the path or the id")
        }
        return id
    }
}

extension LibraryStore {
    /// The listener a command names (ignoring case).
    ///
    /// - Throws: `CLIError` when there is none.
    func listener(named name: String) throws -> ListenerSummary {
        guard let listener = try listeners().first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw CLIError.noListener(name, self)
        }
        return listener
    }
}
