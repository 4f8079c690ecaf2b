import Foundation

/// The threads the server's request handling runs on.
///
/// Without it, handlers run on Swift's global executor, whose pool has one thread per core: anything else in the
/// process that keeps those threads busy (a mix render, an analysis, or other tests running in parallel) would
/// stall every request behind it. Measured: with the whole test suite running on 2 cores, requests to an
/// in-process server on the global executor timed out after 60 s. The server asks for this executor as its tasks'
/// preference (`withTaskExecutorPreference`), which every child task of the server inherits.
final class ServerExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var threads: [Thread] = []

    init(threads count: Int) {
        for n in 0..<count {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "aidj-serve-\(n)"
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// One per process: the threads live as long as it does.
    static let shared = ServerExecutor(threads: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount))
}
