import Dispatch
import Synchronization

/// The last few sources decoded at the mix rate, by path, shared by the threads that render decks.
///
/// A live stream places the track after the one on air ahead of time, and renders that track's deck then for the
/// phase check; a skip changes where the track comes in, so its deck is rendered again, and so is the deck after
/// it, often while the placement the skip dropped is still decoding it. Decoding is most of a deck's cost (an
/// 8-minute Opus record: 2.2 s in libopus, 1.4 s to resample), so sources are kept, and a thread that asks for a
/// source another is decoding waits for it instead of decoding it too.
///
/// Memory stays bounded: ``capacity`` whole tracks (a 10-minute one is 212 MB at 44.1 kHz stereo), whose arrays
/// are shared, not copied, with the decks made from them.
final class SourceCache: Sendable {
    /// One source: decoded once; `done` is left when `result` is set.
    final class Entry: @unchecked Sendable {
        let path: String
        let done = DispatchGroup()
        var result: Result<[[Float]], any Error>?

        init(path: String) {
            self.path = path
            done.enter()
        }
    }

    let capacity: Int
    private let entries = Mutex<[Entry]>([])

    init(capacity: Int) { self.capacity = capacity }

    /// The source at `path`: kept, being decoded by another thread (waited for), or decoded now by `decode`.
    /// A failed decode is not kept.
    func source(_ path: String, decode: () throws -> [[Float]]) throws -> [[Float]] {
        let (entry, mine) = entries.withLock { e -> (Entry, Bool) in
            if let k = e.firstIndex(where: { $0.path == path }) {
                let entry = e.remove(at: k)
                e.append(entry)
                return (entry, false)
            }
            let entry = Entry(path: path)
            e.append(entry)
            if e.count > capacity { e.removeFirst(e.count - capacity) }
            return (entry, true)
        }
        if mine {
            entry.result = Result { try decode() }
            entry.done.leave()
            if case .failure = entry.result! { entries.withLock { e in e.removeAll { $0 === entry } } }
        } else {
            entry.done.wait()
        }
        return try entry.result!.get()
    }
}
