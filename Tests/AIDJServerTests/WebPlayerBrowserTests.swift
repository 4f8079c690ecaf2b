import AIDJAudio
import AIDJCore
import AIDJServer
import AIDJStore
import AIDJTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A W3C WebDriver client for Debian's chromium-driver, over loopback.
final class WebDriver: @unchecked Sendable {
    let driver: Process
    let base: String
    var session = ""

    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    init() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            throw CLIFailure("chromedriver is not installed: `make test` installs chromium and chromium-driver")
        }
        let port = Int.random(in: 20_000...40_000)
        base = "http://127.0.0.1:\(port)"
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        for _ in 0..<100 {
            if let status = try? await call("GET", "/status"),
                (status["value"] as? [String: Any])?["ready"] as? Bool == true
            {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": "/usr/bin/chromium",
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--autoplay-policy=no-user-gesture-required", "--window-size=1280,860",
                        ],
                    ],
                ]
            ]
        ]
        let created = try await call("POST", "/session", capabilities)
        guard let value = created["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            throw CLIFailure("no WebDriver session: \(created)")
        }
        session = id
    }

    func quit() async {
        _ = try? await call("DELETE", "/session/\(session)")
        driver.terminate()
        for _ in 0..<50 where driver.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
    }

    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (_, data) = try RawHTTP.request(method, URL(string: base + path)!, body: payload)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func open(_ url: String) async throws { try await call("POST", "/session/\(session)/url", ["url": url]) }

    /// The element matching a CSS selector, waiting up to `timeout` seconds for it.
    func element(_ css: String, timeout: Double = 10) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let found = try await call(
                "POST", "/session/\(session)/element", ["using": "css selector", "value": css])
            if let value = found["value"] as? [String: Any], let id = value[Self.elementKey] as? String { return id }
            if Date() > deadline { throw CLIFailure("no element '\(css)' on the page: \(found)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func type(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        try await call("POST", "/session/\(session)/element/\(id)/value", ["text": text])
    }

    func click(_ css: String) async throws {
        let id = try await element(css)
        try await call("POST", "/session/\(session)/element/\(id)/click", [:])
    }

    func script(_ source: String) async throws -> Any? {
        try await call("POST", "/session/\(session)/execute/sync", ["script": source, "args": []])["value"]
    }

    /// Waits until `source` (a script returning a value) returns true.
    func waitFor(_ source: String, timeout: Double, _ what: String) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try await script(source) as? Bool != true {
            if Date() > deadline { throw CLIFailure("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func screenshot(to path: String) async throws {
        let shot = try await call("GET", "/session/\(session)/screenshot")
        guard let base64 = shot["value"] as? String, let data = Data(base64Encoded: base64) else {
            throw CLIFailure("no screenshot")
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }
}

@Suite("aidj serve: the web player in a browser")
struct WebPlayerBrowserTests {
    /// Where the screenshot of the run is kept: `.build/artifacts/web-player.png` in the checkout.
    static let screenshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/artifacts/web-player.png").path

    @Test("headless Chromium logs in, searches, plays a track past 1 s, and likes it")
    func browse() async throws {
        let h = try await ServerHarness()
        // Real audio for one track, so the browser can play it: 20 s of a 440 Hz tone.
        let path = h.folder.path + "/music/Ana Moreno/Daybreak/01 Morning Light.flac"
        let writer = try AudioFileWriter(path: path, format: .flac16, sampleRate: 44_100, channels: 1)
        try writer.write(Signals.sine(frequency: 440, seconds: 20, amplitude: 0.2))
        try writer.finish()

        let browser = try await WebDriver()
        do {
            try await browser.open(h.base + "/")
            try await browser.type("#login-user", "alice")
            try await browser.type("#login-password", ServerHarness.alicePassword)
            try await browser.click("#login-button")
            _ = try await browser.element("#library-table tbody tr[data-id]")
            try await browser.type("#search", "morning")
            try await browser.waitFor(
                "return document.querySelectorAll('#library-table tbody tr[data-id]').length === 1", timeout: 10,
                "the search to narrow the table")
            try await browser.click("#library-table tbody tr[data-id]")
            _ = try await browser.element("#similar-list li")
            try await browser.click("#track-play")
            try await browser.waitFor(
                "return document.getElementById('player').currentTime > 1", timeout: 20, "playback past 1 s")
            try await browser.click("#like-button")
            try await browser.waitFor(
                "return document.getElementById('like-button').textContent.includes('Liked')", timeout: 10,
                "the like to register")
            try await browser.screenshot(to: Self.screenshot)
            let playing = try await browser.script("return document.getElementById('now-playing').textContent")
            #expect((playing as? String)?.contains("Morning Light") == true)
        } catch {
            try? await browser.screenshot(to: Self.screenshot)
            await browser.quit()
            throw error
        }
        await browser.quit()

        let events = try h.store.events(listenerID: h.aliceID)
        #expect(
            events.contains {
                $0.kind == .like && $0.trackID == h.ids["Morning Light"] && $0.source == "subsonic:aidj-web"
            })
        await h.stop()
    }

    @Test("headless Chromium plays a mood's live stream, likes the track on air and skips it")
    func live() async throws {
        let folder = TemporaryDirectory("aidj-live-browser")
        let (database, mood) = try LiveStreamTests.library(in: folder)
        let (server, task, base) = try await LiveStreamTests.startServer(database: database, pace: 1)

        let browser = try await WebDriver()
        let nowPlaying = "document.getElementById('now-playing').textContent"
        do {
            try await browser.open(base + "/")
            try await browser.type("#login-user", "alice")
            try await browser.type("#login-password", "pw")
            try await browser.click("#login-button")
            // The login answers asynchronously: the app (and its mood lists) exist once the library is listed.
            _ = try await browser.element("#library-table tbody tr[data-id]")
            try await browser.click("button[data-tab=live]")
            try await browser.waitFor(
                "return !document.getElementById('tab-live').classList.contains('hidden')", timeout: 10, "the Live tab")
            _ = try await browser.script("document.getElementById('live-mood').value = '\(mood.name)'")
            try await browser.click("#live-play")
            try await browser.waitFor(
                "return document.getElementById('player').currentTime > 1", timeout: 30, "live playback past 1 s")
            try await browser.waitFor("return \(nowPlaying).includes('Groove')", timeout: 10, "the track on air")
            let first = try await browser.script("return \(nowPlaying)") as? String ?? ""
            try await browser.click("#live-like")
            try await browser.waitFor(
                "return document.getElementById('live-status').textContent.startsWith('♥ Groove')", timeout: 10,
                "the like to register")
            try await browser.click("#live-skip")
            try await browser.waitFor(
                "return /Skipping|Already/.test(document.getElementById('live-status').textContent)", timeout: 10,
                "the skip to register")
            try await browser.waitFor(
                "return \(nowPlaying) !== \(Self.literal(first)) && \(nowPlaying).includes('Groove')", timeout: 60,
                "the next track on air")
            try await browser.screenshot(to: Self.screenshot.replacingOccurrences(of: ".png", with: "-live.png"))
        } catch {
            try? await browser.screenshot(to: Self.screenshot.replacingOccurrences(of: ".png", with: "-live.png"))
            await browser.quit()
            await server.stop()
            throw error
        }
        await browser.quit()
        let store = try LibraryStore(path: database)
        let alice = try #require(try store.listenerID(named: "alice"))
        let events = try store.events(listenerID: alice)
        #expect(events.contains { $0.kind == .like && $0.source == "live" }, "\(events.map(\.kind))")
        #expect(events.contains { $0.kind == .skip && $0.source == "live" }, "\(events.map(\.kind))")
        await server.stop()
        _ = await task.result
    }

    /// A JavaScript string literal.
    static func literal(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text])
        return String(decoding: data ?? Data("[\"\"]".utf8), as: UTF8.self).dropFirst().dropLast().description
    }
}
