public import AIDJAnalysis
import AIDJAudio
public import AIDJStore
import Foundation

/// Brings a store up to date with music folders: scan, skip what has not changed, relink what moved, analyse the
/// rest in parallel, mark what disappeared.
///
/// Workers (one per core by default) each own a `TrackAnalyzer` (so FFTW plans are made once per worker) and
/// hash and analyse files; the calling thread is the single writer and commits each file's result in its own
/// transaction, so a run killed at any point leaves a consistent database and the next run resumes.
public final class Ingestor {
    /// Stack of each analysis worker (4 MiB), set rather than inherited so it does not depend on the process's
    /// limits: the decoders behind libsndfile (libvorbis, libopus, mpg123) keep large buffers on the stack.
    static let workerStackBytes = 4 << 20

    /// Worker count and whether to re-analyse unchanged files.
    public struct Options: Sendable {
        /// Worker threads. Default: the number of cores.
        public var jobs = ProcessInfo.processInfo.activeProcessorCount
        /// Re-analyse files even when unchanged.
        public var force = false
        public init() {}
    }

    /// One line of the run's failure list.
    public struct Failure: Sendable, Codable, Equatable {
        public var path: String
        public var reason: String
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var counts = IngestCounts()
        public var failures: [Failure] = []
        public var seconds = 0.0
        /// Per-stage analysis time summed over workers.
        public var timings = StageTimings()
    }

    /// Progress as files complete: `done` of `total` files that needed work.
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var path: String
        public var elapsedSeconds: Double
    }

    public let store: LibraryStore
    public let options: Options

    public init(store: LibraryStore, options: Options = Options()) {
        self.store = store
        self.options = options
    }

    /// Ingests `roots` (folders or files).
    ///
    /// - Parameter progress: called on the calling thread after the scan (done = 0) and after every file.
    /// - Throws: `IngestError` (`.unscannable`) when a root cannot be scanned, `StoreError` when the database fails.
    ///   A file that cannot be analysed is not an error: it lands in `Summary.failures`.
    public func ingest(_ roots: [String], progress: (Progress) -> Void = { _ in }) throws -> Summary {
        let started = now()
        var summary = Summary()
        let absoluteRoots = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var scanned: [ScannedFile] = []
        for root in absoluteRoots { scanned += try FolderScanner.scan(root) }
        var seen = Set<String>()
        scanned = scanned.filter { seen.insert($0.path).inserted }
        summary.counts.scanned = scanned.count
        let runID = try store.beginRun(roots: absoluteRoots)

        // Change detection against what the store knows under these roots.
        var known: [String: KnownFile] = [:]
        for root in absoluteRoots {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue {
                known.merge(try store.knownFiles(under: root)) { a, _ in a }
            } else if let file = try store.knownFiles(under: (root as NSString).deletingLastPathComponent)[root] {
                known[root] = file
            }
        }
        var work: [ScannedFile] = []
        for file in scanned {
            if let previous = known[file.path], !options.force, previous.sizeBytes == file.sizeBytes,
                previous.mtimeNs == file.modificationNanoseconds,
                previous.status == .failed
                    || (previous.status == .analyzed && previous.analysisVersion == TrackAnalysis.version)
            {
                summary.counts.unchanged += 1
            } else {
                work.append(file)
            }
        }
        // Tracks whose files are gone: candidates for a move, else missing at the end.
        let gone = known.values.filter { !seen.contains($0.path) && $0.status != .missing }
        let relinkable = Relinkable(gone + (try store.missingFiles()))

        progress(Progress(done: 0, total: work.count, path: "", elapsedSeconds: now() - started))
        let queue = WorkQueue(work)
        let results = ResultChannel()
        let jobs = max(1, min(options.jobs, work.count))
        let knownFiles = known
        for _ in 0..<jobs {
            let thread = Thread {
                let analyzer = TrackAnalyzer()
                while let file = queue.next() {
                    results.send(
                        Self.process(file, analyzer: analyzer, relinkable: relinkable, previous: knownFiles[file.path]))
                }
                results.workerFinished(timings: analyzer.timings)
            }
            thread.stackSize = Self.workerStackBytes
            thread.start()
        }
        var done = 0
        var relinked = Set<Int64>()
        while let outcome = results.receive(workers: jobs) {
            switch outcome {
            case .analyzed(let records):
                try store.save(records)
                summary.counts.analyzed += 1
            case .moved(let id, let file):
                try store.relink(trackID: id, to: file)
                relinked.insert(id)
                summary.counts.moved += 1
            case .failed(let file, let reason):
                try store.saveFailure(file, reason: reason, runID: runID)
                summary.failures.append(Failure(path: file.path, reason: reason))
                summary.counts.failed += 1
            case .notAudio:
                summary.counts.scanned -= 1
            }
            done += 1
            progress(Progress(done: done, total: work.count, path: outcome.path, elapsedSeconds: now() - started))
        }
        summary.timings = results.timings
        let missing = gone.map(\.id).filter { !relinked.contains($0) }
        try store.markMissing(trackIDs: missing)
        summary.counts.missing = missing.count
        summary.failures.sort { $0.path < $1.path }
        summary.seconds = now() - started
        try store.finishRun(runID, counts: summary.counts)
        return summary
    }

    enum Outcome: Sendable {
        case analyzed(AnalysisRecords)
        case moved(Int64, FileFacts)
        case failed(FileFacts, String)
        case notAudio(String)

        var path: String {
            switch self {
            case .analyzed(let records): records.track.path
            case .moved(_, let file), .failed(let file, _): file.path
            case .notAudio(let path): path
            }
        }
    }

    /// A worker's job for one file: hash it, relink it if it is a moved file (or a missing one back in place with
    /// the same content), else analyse it.
    static func process(_ file: ScannedFile, analyzer: TrackAnalyzer, relinkable: Relinkable, previous: KnownFile?)
        -> Outcome
    {
        let isKnown = previous != nil
        var facts = FileFacts(
            path: file.path, sizeBytes: file.sizeBytes, modificationNanoseconds: file.modificationNanoseconds,
            contentHash: "")
        do {
            facts.contentHash = try ContentHash.ofFile(at: file.path)
        } catch {
            return .failed(facts, error.description)
        }
        if let previous, previous.status == .missing, previous.contentHash == facts.contentHash,
            previous.analysisVersion == TrackAnalysis.version
        {
            return .moved(previous.id, facts)
        }
        if !isKnown, let id = relinkable.claim(hash: facts.contentHash, size: file.sizeBytes) {
            return .moved(id, facts)
        }
        do {
            let analysis = try analyzer.analyze(path: file.path)
            return .analyzed(AnalysisRecords(analysis: analysis, file: facts))
        } catch {
            let ext = (file.path as NSString).pathExtension.lowercased()
            if error.operation == .open && !FolderScanner.audioExtensions.contains(ext) && !isKnown {
                return .notAudio(file.path)  // a file of some other kind; not a failure
            }
            return .failed(facts, error.reason)
        }
    }
}

/// Tracks whose files disappeared, by content hash; each can be claimed by one moved file.
final class Relinkable: @unchecked Sendable {
    private var byHash: [String: [KnownFile]]
    private let lock = NSLock()

    init(_ files: [KnownFile]) {
        byHash = Dictionary(grouping: files, by: \.contentHash)
    }

    func claim(hash: String, size: Int64) -> Int64? {
        lock.withLock {
            guard var candidates = byHash[hash], let index = candidates.firstIndex(where: { $0.sizeBytes == size })
            else {
                return nil
            }
            let id = candidates.remove(at: index).id
            byHash[hash] = candidates
            return id
        }
    }
}

/// Files waiting for a worker.
final class WorkQueue: @unchecked Sendable {
    private var files: [ScannedFile]
    private var index = 0
    private let lock = NSLock()

    init(_ files: [ScannedFile]) { self.files = files }

    func next() -> ScannedFile? {
        lock.withLock {
            guard index < files.count else { return nil }
            defer { index += 1 }
            return files[index]
        }
    }
}

/// Outcomes from workers to the writer, in completion order.
final class ResultChannel: @unchecked Sendable {
    private var pending: [Ingestor.Outcome] = []
    private var finishedWorkers = 0
    private(set) var timings = StageTimings()
    private let condition = NSCondition()

    func send(_ outcome: Ingestor.Outcome) {
        condition.withLock {
            pending.append(outcome)
            condition.signal()
        }
    }

    func workerFinished(timings: StageTimings) {
        condition.withLock {
            finishedWorkers += 1
            self.timings.merge(timings)
            condition.signal()
        }
    }

    /// The next outcome; nil once every worker has finished and all outcomes were taken.
    func receive(workers: Int) -> Ingestor.Outcome? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && finishedWorkers < workers { condition.wait() }
        return pending.isEmpty ? nil : pending.removeFirst()
    }
}

@inline(__always) private func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
}
