import AIDJCore
public import AIDJStore
import Foundation

/// From a request and the library to a plan: candidates (mood fit, taste), order, transitions.
public struct MixPlanner: Sendable {
    public var request: MixRequest
    /// Candidates kept for the search, best first: enough for long mixes, small enough to plan a 10k-track library
    /// in well under a second.
    public var poolSize = 300
    /// Tracks fitting the mood less than this are not considered.
    public var minimumFit = 0.2
    /// Leave out tracks whose file is gone (off only for benchmarks on generated rows).
    public var requireFiles = true

    public init(request: MixRequest) { self.request = request }

    /// Plans from every analysed track of the library.
    public func plan(store: LibraryStore) throws -> MixPlan {
        try plan(snapshot: LibrarySnapshot(store: store), store: store)
    }

    /// Plans from the tracks of `snapshot`; `store` gives their beat grids.
    public func plan(snapshot: LibrarySnapshot, store: LibraryStore) throws -> MixPlan {
        let pool = try pool(snapshot: snapshot, store: store)
        let (candidates, grids, notes) = (pool.candidates, pool.grids, pool.notes)
        var startIndex: Int?
        if let start = request.startTrackID {
            guard let index = candidates.firstIndex(where: { $0.track.id == start }) else {
                throw MixError(
                    .unusableStartTrack,
                    "the start track cannot open a mix: its file is gone or it has no usable beat grid")
            }
            startIndex = index
        }
        // The sequencer works with estimated lengths; the transition planner knows the real ones. Sequence, place,
        // then drop tracks from the end while the set stays long enough, or sequence again for more time.
        let target = request.minutes * 60
        /// Within one track of the target: short of it by less than the last track's length.
        func longEnough(_ plan: MixPlan) -> Bool {
            plan.durationS >= target - (plan.tracks.last.map { $0.mixEndS - $0.mixStartS } ?? 0)
        }
        var sequencing = request
        var best: MixPlan?
        for _ in 0..<4 {
            let sequencer = Sequencer(request: sequencing)
            var order = try sequencer.sequence(candidates, startIndex: startIndex)
            func place(_ order: [Int]) -> MixPlan {
                let ordered = order.map { candidates[$0] }
                return TransitionPlanner(request: request).plan(
                    ordered, grids: ordered.map { grids[$0.track.id]! }, sequencer: sequencer, notes: notes)
            }
            var plan = place(order)
            while order.count > 1 {
                let shorter = place(Array(order.dropLast()))
                guard shorter.durationS >= target else { break }
                order.removeLast()
                plan = shorter
            }
            if best == nil || abs(plan.durationS - target) < abs(best!.durationS - target) { best = plan }
            if longEnough(plan) { break }
            // Too short: ask the sequencer for proportionally more.
            sequencing.minutes *= min(2, target / max(plan.durationS, 1))
            if candidates.map(\.estimatedSeconds).reduce(0, +) < sequencing.minutes * 60 { break }
        }
        guard let plan = best, longEnough(plan) else {
            throw MixError(
                .notEnoughMusic,
                String(
                    format:
                        "not enough music: the %d tracks that fit %@ make a mix of about %.1f minutes, %.1f asked for",
                    candidates.count, request.mood.name, (best?.durationS ?? 0) / 60, request.minutes))
        }
        return plan
    }

    /// The tracks a mix may use, best-fitting first, with their bar grids and what was left out (for the notes).
    struct Pool {
        var candidates: [MixCandidate]
        var grids: [Int64: BarGrid]
        var notes: [String]
    }

    /// The candidates for the request: fitting the mood, with a file and a beat grid long enough to mix (or sound
    /// enough to fade), at most ``poolSize`` of them.
    ///
    /// - Throws: ``MixError`` when the library is empty or nothing fits.
    func pool(snapshot: LibrarySnapshot, store: LibraryStore) throws -> Pool {
        guard !snapshot.tracks.isEmpty else {
            throw MixError(.emptyLibrary, "no analysed tracks in \(store.path): run `aidj ingest FOLDER` first")
        }
        var notes: [String] = []
        if let listener = request.listener { notes.append("taste of \(listener.name): \(listener.explanation)") }
        var candidates: [MixCandidate] = []
        var beatless = 0, gone: [String] = []
        for track in snapshot.tracks {
            let fit = request.mood.fit(energy: track.energy, valence: track.valence, bpm: track.bpm)
            guard fit >= minimumFit || track.id == request.startTrackID else { continue }
            // A track without a beat can only be faded in and out.
            guard track.bpm > 0 || request.transitions.contains(.fade) else {
                beatless += 1
                continue
            }
            let taste = request.listener.map { $0.scores[track.id] ?? 0.5 }
            let score = fit * (taste.map { 0.4 + 0.6 * $0 } ?? 1)
            let bar = track.bpm > 0 ? 4 * 60 / track.bpm : TransitionPlanner.fadeSeconds / 2
            candidates.append(
                MixCandidate(
                    track: track,
                    key: track.key, moodFit: fit, taste: taste, score: score,
                    estimatedSeconds: max(
                        bar, track.cues.lastSoundS - track.cues.firstSoundS - Double(request.transitionBars) / 2 * bar))
            )
        }
        candidates.sort { ($0.score, $1.track.path) > ($1.score, $0.track.path) }
        // Files moved or deleted since ingest are left out (and named).
        candidates = candidates.filter { c in
            if !requireFiles || FileManager.default.fileExists(atPath: c.track.path) { return true }
            gone.append(c.track.path)
            return false
        }
        if !gone.isEmpty {
            notes.append(
                "left out \(gone.count) track(s) whose file is gone since ingest (run aidj ingest again): "
                    + gone.prefix(3).joined(separator: ", ") + (gone.count > 3 ? ", …" : ""))
        }
        guard !candidates.isEmpty else {
            throw MixError(
                .noFittingTracks,
                "no tracks fit \(request.mood.name)\(request.mood.summary.isEmpty ? "" : " (\(request.mood.summary))")"
                    + " in \(store.path): try another mood or a wider --energy/--valence/--bpm")
        }
        if candidates.count > poolSize {
            let start = candidates.first { $0.track.id == request.startTrackID }
            candidates = Array(candidates.prefix(poolSize))
            if let start, !candidates.contains(where: { $0.track.id == start.track.id }) { candidates.append(start) }
        }
        // Bar grids of the pool, with their sections. A track needs 16 whole bars to be beat-matched in and out;
        // without them it can only be faded, and at least 30 s long.
        var grids: [Int64: BarGrid] = [:]
        let ids = candidates.map(\.track.id)
        let sections = try store.sections(trackIDs: ids)
        for (id, beats) in try store.beats(trackIDs: ids) {
            grids[id] = BarGrid(beats: beats, lastSoundS: snapshot[id]?.cues.lastSoundS ?? 0)
            grids[id]?.place(sections[id] ?? [])
        }
        for k in candidates.indices { candidates[k].beatsPerBar = grids[candidates[k].track.id]?.beatsPerBar }
        let mixable = candidates.filter {
            (grids[$0.track.id]?.barCount ?? 0) >= TransitionPlanner.minimumBars
                || (request.transitions.contains(.fade) && $0.track.cues.lastSoundS - $0.track.cues.firstSoundS >= 30)
        }
        beatless += candidates.count - mixable.count
        candidates = mixable
        if beatless > 0 {
            notes.append(
                "left out \(beatless) fitting track(s) without a beat grid long enough to mix"
                    + (request.transitions.contains(.fade) ? " or 30 s of sound to fade" : ""))
        }
        guard !candidates.isEmpty else {
            throw MixError(
                .noFittingTracks, "no track that fits \(request.mood.name) has a beat grid long enough to mix")
        }
        return Pool(candidates: candidates, grids: grids, notes: notes)
    }
}
