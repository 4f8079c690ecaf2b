import AIDJStore
import ArgumentParser

/// `--db PATH`, shared by every command that touches the library.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Database file (default: $AIDJ_DB, else $XDG_DATA_HOME/aidj/library.sqlite).")
    var db: String?

    var path: String { db ?? LibraryStore.defaultPath() }

    func open() throws -> LibraryStore {
        try LibraryStore(path: path)
    }
}
