import AIDJStore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Logins (every mechanism and every failure code) and what listening teaches the taste model.
@Suite("aidj serve: auth and listening")
struct AuthAndListeningTests {
    @Test("token, password, enc: password and API key log in; each failure has its code")
    func authentication() async throws {
        let h = try await ServerHarness()
        let password = ServerHarness.alicePassword
        for auth: ServerHarness.Auth in [
            .token("alice", password), .password("alice", password), .encoded("alice", password),
            .token("ALICE", password),
        ] {
            #expect(try await h.json("getUser", auth: auth).object("user")["username"] as? String == "alice")
        }
        let key = Credentials.newAPIKey()
        try h.store.addAPIKey(
            listenerID: h.aliceID, hash: Credentials.hash(apiKey: key), prefix: String(key.prefix(12)))
        #expect(try await h.json("getUser", auth: .apiKey(key)).object("user")["username"] as? String == "alice")
        // The stored hash is not the key, and the key is not in the database file.
        let file = try Data(contentsOf: URL(fileURLWithPath: h.database))
        #expect(file.range(of: Data(key.utf8)) == nil)
        #expect(file.range(of: Data(ServerHarness.alicePassword.utf8)) == nil)

        #expect(try await h.json("getUser", auth: .token("alice", "wrong")).errorCode == 40)
        #expect(try await h.json("getUser", auth: .password("alice", "wrong")).errorCode == 40)
        #expect(try await h.json("getUser", auth: .password("nobody", "x")).errorCode == 40)
        #expect(try await h.json("getUser", auth: .none).errorCode == 10)
        #expect(try await h.json("getUser", auth: .apiKey("aidj_not-a-key")).errorCode == 44)
        let both = try await h.raw(URLRequest(url: h.url("getUser", [("apiKey", key)], auth: .alice)))
        #expect(try Self.code(both.body) == 43)
        let tokenAndPassword = try await h.raw(
            URLRequest(url: h.url("getUser", [("p", password)], auth: .token("alice", password))))
        #expect(try Self.code(tokenAndPassword.body) == 43)
        let noSalt = try await h.raw(URLRequest(url: h.url("getUser", [("t", "abc")], auth: .none)))
        #expect(try Self.code(noSalt.body) == 10)  // u missing
        #expect(try await h.json("getUser", [("username", "bob")]).errorCode == 50)
        // Open endpoints answer without credentials; the others do not.
        #expect(try await h.json("ping", auth: .none).ok)
        #expect(try await h.json("getLicense", auth: .none).ok)
        #expect(try await h.json("getSong", [("id", "\(h.ids["Tunnel"]!)")], auth: .none).errorCode == 10)
        let xml = try await h.xml("getUser", auth: .password("alice", "wrong"))
        #expect(!xml.ok && xml.errorCode == 40 && xml.root.attributes["status"] == "failed")
        await h.stop()
    }

    @Test("what the server keeps in memory follows the database: a password, a key or a star changed elsewhere counts")
    func cachesFollowTheDatabase() async throws {
        let h = try await ServerHarness()
        let old = ServerHarness.alicePassword
        #expect(try await h.json("getUser", auth: .token("alice", old)).ok)
        let credentials = try Credentials(keyFile: Credentials.keyFile(forDatabase: h.database), create: false)
        // Written through another connection, as `aidj listener password` in another process would.
        try h.store.setSealedPassword(listenerID: h.aliceID, sealed: credentials.seal(password: "new words"))
        #expect(try await h.json("getUser", auth: .token("alice", old)).errorCode == 40)
        #expect(try await h.json("getUser", auth: .password("alice", "new words")).ok)

        let key = Credentials.newAPIKey()
        try h.store.addAPIKey(
            listenerID: h.aliceID, hash: Credentials.hash(apiKey: key), prefix: String(key.prefix(12)))
        #expect(try await h.json("getUser", auth: .apiKey(key)).ok)
        #expect(try h.store.revokeAPIKeys(listenerID: h.aliceID, prefix: String(key.prefix(12))) == 1)
        #expect(try await h.json("getUser", auth: .apiKey(key)).errorCode == 44)

        let auth = ServerHarness.Auth.password("alice", "new words")
        #expect(try await h.json("getStarred2", auth: auth).object("starred2").list("song").isEmpty)
        try h.store.starSongs(listenerID: h.aliceID, trackIDs: [h.ids["Tunnel"]!], source: "test")
        let starred = try await h.json("getStarred2", auth: auth).object("starred2").list("song")
        #expect(starred.map { $0["title"] as? String } == ["Tunnel"])
        await h.stop()
    }

    static func code(_ body: Data) throws -> Int? {
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        return (json?["subsonic-response"] as? [String: Any])?.errorCode
    }

    @Test("a wrong password 100 times: every answer is 40, attempts are spaced out, then the right one still works")
    func repeatedWrongPasswords() async throws {
        let h = try await ServerHarness(throttleBase: .milliseconds(2), throttleMaximum: .milliseconds(8))
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<10 { #expect(try await h.json("ping", auth: .password("alice", "guess")).errorCode == 40) }
        // The rest in parallel: they queue for their slots.
        try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<90 {
                group.addTask { try await h.json("ping", auth: .password("alice", "guess")).errorCode }
            }
            for try await code in group { #expect(code == 40) }
        }
        let elapsed = clock.now - started
        // 5 free attempts, then slots 2, 4, 8, 8, … ms apart, parallel or not: at least 2 + 4 + 93 × 8 ms.
        #expect(elapsed >= .milliseconds(740), "\(elapsed)")
        #expect(try await h.json("ping", auth: .alice).ok)
        await h.stop()
    }

    @Test("scrobbles, stars and ratings land in the listener's events; a quick now-playing change is a skip")
    func listeningTeachesTaste() async throws {
        let h = try await ServerHarness()
        let a = "\(h.ids["Morning Light"]!)", b = "\(h.ids["Open Road"]!)", c = "\(h.ids["Tunnel"]!)"
        let t0 = 1_800_000_000_000
        // Now playing a, then b 10 s later (a skipped), b played through, then c 200 s later (no skip).
        for (id, time, submission) in [
            (a, t0, "false"), (b, t0 + 10_000, "false"), (b, t0 + 190_000, "true"), (c, t0 + 200_000, "false"),
        ] {
            #expect(try await h.json("scrobble", [("id", id), ("time", "\(time)"), ("submission", submission)]).ok)
        }
        #expect(try await h.json("star", [("id", c)]).ok)
        #expect(try await h.json("star", [("id", c)]).ok)  // starring twice is one like
        #expect(try await h.json("setRating", [("id", a), ("rating", "4")]).ok)
        let album = try await h.json("getSong", [("id", a)]).object("song")["albumId"] as! String
        #expect(try await h.json("star", [("albumId", album)]).ok)

        let events = try h.store.events(listenerID: h.aliceID)
        #expect(events.filter { $0.kind == .skip }.map(\.trackID) == [Int64(a)])
        #expect(events.filter { $0.kind == .play }.map(\.trackID) == [Int64(b)])
        #expect(events.filter { $0.kind == .like }.map(\.trackID) == [Int64(c)])
        #expect(events.filter { $0.kind == .rating }.map(\.rating) == [4])
        #expect(events.allSatisfy { $0.source == "subsonic:tests" })

        let starred = try await h.json("getStarred2").object("starred2")
        #expect(starred.list("song").compactMap { $0["id"] as? String } == [c])
        #expect(starred.list("album").compactMap { $0["id"] as? String } == [album])
        let song = try await h.json("getSong", [("id", a)]).object("song")
        #expect(song["userRating"] as? Int == 4 && song["playCount"] as? Int == 0)
        #expect(try await h.json("getSong", [("id", b)]).object("song")["playCount"] as? Int == 1)

        // `aidj listener show` reads the same events.
        let show = try Executable.aidj(["listener", "show", "alice", "--json", "--db", h.database])
        #expect(show.status == 0, "\(show.stderr)")
        let profile = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let counts = profile?["listener"] as? [String: Any] ?? [:]
        #expect(counts["plays"] as? Int == 1 && counts["skips"] as? Int == 1)
        #expect(counts["likes"] as? Int == 1 && counts["ratings"] as? Int == 1)

        // Unstar takes the like back; rating 0 removes the rating.
        #expect(try await h.json("unstar", [("id", c), ("albumId", album)]).ok)
        #expect(try await h.json("setRating", [("id", a), ("rating", "0")]).ok)
        let after = try h.store.events(listenerID: h.aliceID)
        #expect(!after.contains { $0.kind == .like || $0.kind == .rating })
        #expect(try await h.json("getStarred2").object("starred2").list("album").isEmpty)
        await h.stop()
    }

    @Test("key file: created 0600, refused when others can read it, and a replaced key is named in the error")
    func keyFile() throws {
        let folder = TemporaryDirectory("aidj-keys")
        let path = folder.file("k.key")
        let credentials = try Credentials(keyFile: path, create: true)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let sealed = try credentials.seal(password: "pässwörd")
        #expect(try credentials.open(sealed: sealed) == "pässwörd")
        #expect(throws: CredentialError.self) { try Credentials(keyFile: folder.file("none.key"), create: false) }
        chmod(path, 0o644)
        #expect(throws: CredentialError.self) { try Credentials(keyFile: path, create: false) }
        let other = try Credentials(keyFile: folder.file("other.key"), create: true)
        #expect(throws: CredentialError.self) { try other.open(sealed: sealed) }
    }
}
