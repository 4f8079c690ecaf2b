import Synchronization

/// Encoded pieces of answers by id (a song's listener-independent JSON fields), made on first use and kept
/// while their catalogue lives. Bounded: past `limit` entries it starts afresh, so a client paging through a
/// huge library cannot grow it without end. A song's fields are most of a `search3` or `getSong` answer, and
/// encoding them again on every request was a third of the server's CPU time.
final class FragmentCache: Sendable {
    let limit: Int
    private let entries = Mutex<[Int64: [UInt8]]>([:])

    init(limit: Int) { self.limit = limit }

    func fragment(_ id: Int64, make: () -> [UInt8]) -> [UInt8] {
        if let known = entries.withLock({ $0[id] }) { return known }
        let made = make()
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[id] = made
        }
        return made
    }

    var count: Int { entries.withLock { $0.count } }
}
