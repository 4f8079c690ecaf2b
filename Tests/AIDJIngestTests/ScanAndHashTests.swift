import AIDJCore
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJIngest

@Suite("Folder scan and content hash")
struct ScanAndHashTests {
    @Test("hash: equal content equal hash; one changed byte or length, a different hash")
    func hash() throws {
        let folder = TemporaryDirectory()
        var random = SplitMix64(seed: 5)
        let bytes = (0..<100_003).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let a = folder.file("a.bin"), b = folder.file("b.bin"), c = folder.file("c.bin"), d = folder.file("d.bin")
        _ = FileManager.default.createFile(atPath: a, contents: Data(bytes))
        _ = FileManager.default.createFile(atPath: b, contents: Data(bytes))
        var changed = bytes
        changed[50_000] ^= 1
        _ = FileManager.default.createFile(atPath: c, contents: Data(changed))
        _ = FileManager.default.createFile(atPath: d, contents: Data(bytes + [0]))
        let ha = try ContentHash.ofFile(at: a)
        #expect(ha.count == 16)
        #expect(ha == (try ContentHash.ofFile(at: b)))
        #expect(ha != (try ContentHash.ofFile(at: c)))
        #expect(ha != (try ContentHash.ofFile(at: d)))
        _ = FileManager.default.createFile(atPath: folder.file("empty"), contents: Data())
        #expect(try ContentHash.ofFile(at: folder.file("empty")).count == 16)
    }

    @Test(
        "hash: golden digests (worked out independently), so a changed algorithm cannot silently orphan stored hashes")
    func goldenDigests() throws {
        let folder = TemporaryDirectory()
        let pattern = (0..<((1 << 20) + 3)).map { UInt8(($0 * 31) % 251) }  // crosses the 1 MiB read block
        for (name, bytes, digest) in [
            ("empty", [UInt8](), "c979b6eee831f551"),
            ("text", Array("aidj content hash\n".utf8), "0e51696918072638"),
            ("pattern", pattern, "a618cce8264a7ef2"),
        ] {
            _ = FileManager.default.createFile(atPath: folder.file(name), contents: Data(bytes))
            #expect(try ContentHash.ofFile(at: folder.file(name)) == digest, "\(name)")
        }
        #expect { try ContentHash.ofFile(at: folder.file("missing")) } throws: { error in
            (error as? IngestError)?.problem == .unreadable && "\(error)".contains("open: No such file")
        }
    }

    @Test("scan: recursive, sorted, hidden entries skipped, non-audio extensions skipped, Unicode and spaces kept")
    func scan() throws {
        let folder = TemporaryDirectory()
        for name in [
            "a.wav", "Sub Folder/Ünïcödé – song.flac", "deep/er/x.mp3", ".hidden.wav", ".git/y.wav", "cover.jpg",
            "notes.txt", "mystery",
        ] {
            _ = FileManager.default.createFile(atPath: folder.file(name), contents: Data([1]))
        }
        try FileManager.default.createSymbolicLink(atPath: folder.file("loop"), withDestinationPath: folder.path)
        let names = try FolderScanner.scan(folder.path).map { String($0.path.dropFirst(folder.path.count + 1)) }
        #expect(names == ["Sub Folder/Ünïcödé – song.flac", "a.wav", "deep/er/x.mp3", "mystery"])
    }

    @Test("scan of a missing folder names it")
    func missing() {
        #expect { _ = try FolderScanner.scan("/no/such/folder") } throws: { "\($0)".contains("/no/such/folder") }
    }
}
