import Synchronization

/// Slows down password guessing per client address.
///
/// An address with no failed login is never delayed, however many requests it sends at once. Once it has failed,
/// every attempt from it counts when it arrives (before it is checked, so attempts sent in parallel count too):
/// beyond `freeAttempts`, each waits for a slot, and slots are spaced `baseDelay · 2^(n − freeAttempts − 1)`
/// apart, capped at `maximumDelay` — parallel guessing queues one behind the other and gains nothing. A
/// successful login clears the address; an address quiet for `forgetAfter` starts afresh, and at most
/// `maximumAddresses` are remembered (the least recently seen go first), so the table stays bounded under a
/// flood of addresses. A lock, not an actor: every request passes here, and a check takes well under a
/// microsecond.
final class LoginThrottle: Sendable {
    struct Policy: Sendable {
        var freeAttempts = 5
        var baseDelay: Duration = .milliseconds(250)
        var maximumDelay: Duration = .seconds(8)
        var forgetAfter: Duration = .seconds(15 * 60)
        var maximumAddresses = 10_000
    }

    private struct Entry {
        var failures = 0
        var pending = 0
        var lastSeen: ContinuousClock.Instant
        var nextSlot: ContinuousClock.Instant
    }

    let policy: Policy
    private let entries = Mutex<[String: Entry]>([:])
    private let clock = ContinuousClock()

    init(policy: Policy) { self.policy = policy }

    /// How long an attempt from `address` must wait before it is checked; the slot is taken at once. Every call
    /// is followed by ``failed(_:)`` or ``succeeded(_:)``.
    func admit(_ address: String) -> Duration {
        let now = clock.now
        return entries.withLock { entries in admit(address, now: now, entries: &entries) }
    }

    private func admit(_ address: String, now: ContinuousClock.Instant, entries: inout [String: Entry]) -> Duration {
        guard var entry = entries[address] else { return .zero }
        if now - entry.lastSeen > policy.forgetAfter, entry.pending == 0 {
            entries[address] = nil
            return .zero
        }
        entry.pending += 1
        entry.lastSeen = now
        let attempt = entry.failures + entry.pending
        var wait = Duration.zero
        if attempt > policy.freeAttempts {
            let slot = max(entry.nextSlot, now)
            entry.nextSlot = slot + delay(attempt: attempt)
            wait = slot - now
        }
        entries[address] = entry
        return wait
    }

    func failed(_ address: String) {
        let now = clock.now
        entries.withLock { entries in failed(address, now: now, entries: &entries) }
    }

    private func failed(_ address: String, now: ContinuousClock.Instant, entries: inout [String: Entry]) {
        var entry = entries[address] ?? Entry(lastSeen: now, nextSlot: now)
        entry.failures += 1
        entry.pending = max(0, entry.pending - 1)
        entry.lastSeen = now
        entries[address] = entry
        if entries.count > policy.maximumAddresses,
            let oldest = entries.min(by: { $0.value.lastSeen < $1.value.lastSeen })?.key
        {
            entries[oldest] = nil
        }
    }

    /// A successful login: the address starts afresh.
    func succeeded(_ address: String) {
        entries.withLock { entries in
            if entries[address] != nil { entries[address] = nil }
        }
    }

    private func delay(attempt: Int) -> Duration {
        let doublings = min(attempt - policy.freeAttempts - 1, 20)
        return min(policy.baseDelay * (1 << doublings), policy.maximumDelay)
    }
}
