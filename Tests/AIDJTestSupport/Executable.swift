public import Foundation

/// Runs the built `aidj` binary, as a user would.
public enum Executable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `aidj` binary next to the test bundle (`.build/<triple>/debug/aidj`), or `$AIDJ_BIN`.
    public static var aidjPath: String {
        if let explicit = ProcessInfo.processInfo.environment["AIDJ_BIN"] { return explicit }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("aidj").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/aidj").path
    }

    /// Runs `aidj arguments…` to completion.
    public static func aidj(_ arguments: [String], environment: [String: String] = [:], input: String? = nil)
        throws -> Result
    {
        let process = try start(arguments, environment: environment, input: input)
        return finish(process)
    }

    /// Starts `aidj arguments…` without waiting (for kill tests).
    /// `input`, when given, is written to the process's standard input, which is then closed.
    public static func start(_ arguments: [String], environment: [String: String] = [:], input: String? = nil)
        throws -> RunningProcess
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: aidjPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let running = RunningProcess(process: process, out: out, err: err)
        running.startReading()
        return running
    }

    public static func finish(_ running: RunningProcess) -> Result {
        running.process.waitUntilExit()
        return Result(
            status: running.process.terminationStatus, stdout: running.collectedOut(), stderr: running.collectedErr())
    }

    /// A started process whose output is drained in the background (so a full pipe never blocks it).
    public final class RunningProcess: @unchecked Sendable {
        public let process: Process
        let out: Pipe
        let err: Pipe
        private var outData = Data(), errData = Data()
        private let lock = NSLock()
        private let group = DispatchGroup()

        init(process: Process, out: Pipe, err: Pipe) {
            self.process = process
            self.out = out
            self.err = err
        }

        func startReading() {
            for (pipe, isOut) in [(out, true), (err, false)] {
                group.enter()
                DispatchQueue.global().async {
                    // Chunk by chunk, so a running process's first lines can be read (`firstLine`).
                    while true {
                        let data = pipe.fileHandleForReading.availableData
                        if data.isEmpty { break }
                        self.lock.withLock { if isOut { self.outData += data } else { self.errData += data } }
                    }
                    self.group.leave()
                }
            }
        }

        /// The first line the running process wrote to standard output, waiting up to `timeout` seconds.
        public func firstLine(timeout: TimeInterval) -> String? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let text = lock.withLock { String(decoding: outData, as: UTF8.self) }
                if let end = text.firstIndex(of: "\n") { return String(text[..<end]) }
                if !process.isRunning { return nil }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return nil
        }

        func collectedOut() -> String {
            group.wait(); return lock.withLock { String(decoding: outData, as: UTF8.self) }
        }
        func collectedErr() -> String {
            group.wait(); return lock.withLock { String(decoding: errData, as: UTF8.self) }
        }
    }
}
