import AIDJTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `aidj serve` and the server side of `aidj listener`, as a user runs them.
@Suite("aidj serve and listener credentials")
struct ServeCLITests {
    let data = TemporaryDirectory("aidj-serve-cli")

    @Test("password from stdin, API keys made, listed and revoked; serve prints its URL, answers, and stops on SIGINT")
    func serveEndToEnd() async throws {
        let db = data.file("s.sqlite")
        let add = try Executable.aidj(["listener", "add", "alice", "--password-stdin", "--db", db], input: "pw 1\n")
        #expect(add.status == 0 && add.stdout.contains("with a password"), "\(add.stderr)")
        var info = stat()
        #expect(stat(db + ".key", &info) == 0 && info.st_mode & 0o777 == 0o600)
        let empty = try Executable.aidj(["listener", "add", "bob", "--password-stdin", "--db", db], input: "")
        #expect(empty.status == 1 && empty.stderr.contains("standard input is empty"))
        // Nothing half-done: bob was not added without his password.
        #expect(!(try Executable.aidj(["listener", "list", "--db", db]).stdout.contains("bob")))
        let both = try Executable.aidj(
            ["listener", "password", "alice", "--password-stdin", "--password-prompt", "--db", db])
        #expect(both.status == 64)
        let key = try Executable.aidj(["listener", "api-key", "alice", "--db", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("aidj_") && key.count == 48)
        let listed = try Executable.aidj(["listener", "api-key", "alice", "--list", "--json", "--db", db])
        let keys = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(keys.count == 1 && keys.first?["prefix"] as? String == String(key.prefix(12)))
        #expect(!listed.stdout.contains(key))

        #expect(try Executable.aidj(["serve", "--listen", "nowhere", "--db", db]).status == 64)
        #expect(try Executable.aidj(["serve", "--listen", "127.0.0.1:70000", "--db", db]).status == 64)

        let server = try Executable.start(["serve", "--listen", "127.0.0.1:0", "--db", db])
        let line = server.firstLine(timeout: 20)
        #expect(line?.hasPrefix("listening on http://127.0.0.1:") == true, "\(line ?? "nothing")")
        let base = String(line?.dropFirst("listening on ".count) ?? "")
        func code(_ query: String) async throws -> Int? {
            let url = URL(string: base + "/rest/getUser.view?v=1.16.1&c=t&f=json&" + query)!
            let (body, _) = try await URLSession.shared.data(from: url)
            let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            let response = json?["subsonic-response"] as? [String: Any]
            return response?["status"] as? String == "ok" ? 0 : (response?["error"] as? [String: Any])?["code"] as? Int
        }
        #expect(try await code("apiKey=\(key)") == 0)
        #expect(try await code("u=alice&p=pw%201") == 0)
        // A second server on the same port fails with one line naming it.
        let port = String(base.split(separator: ":").last ?? "")
        let busy = try Executable.aidj(["serve", "--listen", "127.0.0.1:\(port)", "--db", db])
        #expect(busy.status == 1, "\(busy.stderr)")
        #expect(busy.stderr == "Error: cannot serve on 127.0.0.1:\(port): address already in use\n")
        // An address of no interface here (TEST-NET-1) is refused the same way.
        let foreign = try Executable.aidj(["serve", "--listen", "192.0.2.1:\(port)", "--db", db])
        #expect(foreign.status == 1, "\(foreign.stderr)")
        #expect(foreign.stderr == "Error: cannot serve on 192.0.2.1:\(port): cannot assign requested address\n")

        let revoked = try Executable.aidj([
            "listener", "api-key", "alice", "--revoke", String(key.prefix(12)), "--db", db,
        ])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try await code("apiKey=\(key)") == 44)

        server.process.interrupt()
        let result = Executable.finish(server)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
