import Foundation

/// A release `aidj serve` run as its own process for a benchmark: started on a free loopback port, read from
/// /proc while it runs, stopped with SIGINT (SIGKILL after 10 s).
final class BenchServer {
    let process = Process()
    /// "http://127.0.0.1:PORT".
    let base: String

    /// The `aidj` binary beside this benchmark's, or `--aidj PATH`.
    static func binary(_ given: String?) throws -> String {
        let aidj =
            given
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("aidj")
            .path
        guard FileManager.default.isExecutableFile(atPath: aidj) else {
            throw BenchError("no aidj binary at \(aidj): build it (swift build -c release) or give --aidj PATH")
        }
        return aidj
    }

    init(aidj: String, database: String, extra: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: aidj)
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--db", database] + extra
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw BenchError("aidj serve exited before listening") }
            line += chunk
        }
        base = String(decoding: line, as: UTF8.self).split(separator: "\n")[0].replacingOccurrences(
            of: "listening on ", with: "")
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        let stopBy = Date().addingTimeInterval(10)
        while process.isRunning && Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            print("warning: aidj serve did not stop within 10 s of SIGINT; killed")
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// A field of /proc/PID/status in kB ("VmRSS", "VmHWM"), 0 when unreadable.
    func statusKB(_ field: String) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// User + system CPU seconds used so far.
    var cpuSeconds: Double {
        let stat = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let ticks = fields.count > 12 ? (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) : 0
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
