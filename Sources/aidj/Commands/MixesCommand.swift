import AIDJStore
import ArgumentParser
import Foundation

struct MixesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mixes", abstract: "List the mixes rendered from this library, newest first.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let mixes = try store.open().mixes()
        if json {
            try Output.printJSON(mixes)
            return
        }
        guard !mixes.isEmpty else {
            print("No mixes yet. Make one with: aidj mix --mood chill --minutes 30 --out chill.flac")
            return
        }
        var table = Table(
            headers: ["ID", "CREATED", "MOOD", "ARC", "FOR", "TRACKS", "LENGTH", "LUFS", "FILE"],
            rightAligned: [0, 5, 6, 7])
        for m in mixes {
            table.rows.append([
                "\(m.id)", String(m.createdAt.prefix(16)), m.mood, m.arc, m.listener ?? "–", "\(m.tracks)",
                ProgressBar.clock(m.durationS), m.loudnessLUFS.map { String(format: "%.1f", $0) } ?? "–", m.path,
            ])
        }
        print(table.render())
    }
}
