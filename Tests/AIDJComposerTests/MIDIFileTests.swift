import AIDJCore
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJComposer

@Suite("Standard MIDI files")
struct MIDIFileTests {
    static let sample = MIDIFile(
        ticksPerQuarter: 96, format: 1,
        notes: [
            .init(startTick: 0, endTick: 96, pitch: 60, velocity: 100, channel: 0, track: 1),
            .init(startTick: 96, endTick: 144, pitch: 64, velocity: 90, channel: 0, track: 1),
            .init(startTick: 144, endTick: 192, pitch: 64, velocity: 90, channel: 0, track: 1),  // repeated pitch
            .init(startTick: 0, endTick: 384, pitch: 48, velocity: 70, channel: 1, track: 2),
        ],
        tempos: [(0, 600_000), (192, 500_000)], timeSignatures: [(0, 3, 4)], programs: [0: 73, 1: 32])

    @Test("write then read gives the same notes, tempos, time signature and programs", arguments: [0, 1])
    func roundTrip(format: Int) throws {
        let data = Self.sample.data(format: format)
        var read = try MIDIFile(data: data)
        #expect(read.format == format)
        // Track numbers follow the written layout; compare the rest.
        read.notes = read.notes.map {
            var n = $0; n.track = Self.sample.notes.first { $0.pitch == n.pitch && $0.startTick == n.startTick }!.track;
            return n
        }
        var expected = Self.sample
        expected.format = format
        expected.notes.sort { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
        #expect(read == expected)
        #expect(abs(read.initialBPM - 100) < 1e-9)
    }

    @Test("running status, note-on with velocity 0 as note-off, meta and sysex events skipped")
    func handWritten() throws {
        var track: [UInt8] = []
        track += [0x00, 0xF0, 0x03, 0x7E, 0x7F, 0xF7]  // sysex
        track += [0x00, 0xFF, 0x03, 0x04] + Array("Lead".utf8)  // track name
        track += [0x00, 0x90, 60, 100]  // note on C4
        track += [0x60, 62, 100]  // running status: note on D4 at 96
        track += [0x00, 60, 0]  // running status, velocity 0: C4 off at 96
        track += [0x60, 0x80, 62, 64]  // D4 off at 192
        track += [0x00, 0xFF, 0x2F, 0x00]
        let bytes: [UInt8] =
            Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8)
            + [0, 0, 0, UInt8(track.count)] + track
        let file = try MIDIFile(data: Data(bytes))
        #expect(file.notes.map(\.pitch) == [60, 62])
        #expect(file.notes.map(\.endTick) == [96, 192])
    }

    @Test("malformed files fail with a reason and the byte offset, never crash or hang")
    func malformed() {
        let cases: [(String, [UInt8])] = [
            ("not MIDI", Array("hello world, not a MIDI file".utf8)),
            ("empty", []),
            ("truncated header", Array("MThd".utf8) + [0, 0, 0, 6, 0]),
            ("format 2", Array("MThd".utf8) + [0, 0, 0, 6, 0, 2, 0, 1, 0, 96]),
            ("SMPTE", Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0xE7, 0x28]),
            ("missing track", Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96]),
            (
                "track longer than file",
                Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8) + [0, 0, 1, 0, 0]
            ),
            (
                "data byte first",
                Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8) + [0, 0, 0, 3, 0, 60, 100]
            ),
            (
                "endless VLQ",
                Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8) + [
                    0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                ]
            ),
        ]
        for (name, bytes) in cases {
            #expect(throws: MIDIError.self, "\(name)") { try MIDIFile(data: Data(bytes), path: "\(name).mid") }
        }
    }

    @Test("fuzz: 3,000 mutated files (bytes flipped, cut, repeated) either parse or fail cleanly")
    func fuzz() {
        let original = [UInt8](Self.sample.data(format: 1))
        var random = SplitMix64(seed: 77)
        var failures = 0
        for _ in 0..<3000 {
            var bytes = original
            let mutations = 1 + Int(random.next() % 6)
            for _ in 0..<mutations {
                switch random.next() % 3 {
                case 0: bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
                default:
                    if !bytes.isEmpty {
                        let i = Int(random.next() % UInt64(bytes.count))
                        bytes.insert(contentsOf: bytes[i..<min(bytes.count, i + 8)], at: i)
                    }
                }
                if bytes.isEmpty { break }
            }
            do {
                let file = try MIDIFile(data: Data(bytes))
                #expect(file.notes.allSatisfy { $0.endTick >= $0.startTick && (0..<128).contains($0.pitch) })
            } catch {
                failures += 1
                #expect(!error.description.isEmpty && !error.description.contains("\n"))
            }
        }
        #expect(failures > 0, "mutations should break some files")
    }
}
