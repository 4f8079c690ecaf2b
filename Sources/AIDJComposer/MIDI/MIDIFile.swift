public import Foundation

/// A Standard MIDI File (SMF, formats 0 and 1; MIDI 1.0 Detailed Specification, "Standard MIDI Files 1.0"):
/// the notes of every track and channel, with tempo and time-signature changes. Other events are read past.
public struct MIDIFile: Sendable, Equatable {
    /// Ticks per quarter note (PPQN).
    public var ticksPerQuarter: Int
    public var format: Int
    public var notes: [Note]
    /// Tempo changes: (tick, microseconds per quarter note), sorted; 500 000 (120 BPM) when the file has none.
    public var tempos: [(tick: Int, microsecondsPerQuarter: Int)]
    /// Time-signature changes: (tick, numerator, denominator).
    public var timeSignatures: [(tick: Int, numerator: Int, denominator: Int)]
    /// Program (instrument) per channel, where set.
    public var programs: [Int: Int]

    /// A note: start and end in ticks, MIDI pitch, velocity, channel (0–15) and track.
    public struct Note: Sendable, Equatable {
        public var startTick: Int
        public var endTick: Int
        /// MIDI note number, 0–127.
        public var pitch: Int
        public var velocity: Int
        /// 0–15; 9 is the General MIDI drum channel.
        public var channel: Int
        public var track: Int

        public init(startTick: Int, endTick: Int, pitch: Int, velocity: Int = 80, channel: Int = 0, track: Int = 0) {
            self.startTick = startTick
            self.endTick = endTick
            self.pitch = pitch
            self.velocity = velocity
            self.channel = channel
            self.track = track
        }
    }

    public init(
        ticksPerQuarter: Int = 480, format: Int = 0, notes: [Note] = [],
        tempos: [(tick: Int, microsecondsPerQuarter: Int)] = [],
        timeSignatures: [(tick: Int, numerator: Int, denominator: Int)] = [], programs: [Int: Int] = [:]
    ) {
        self.ticksPerQuarter = ticksPerQuarter
        self.format = format
        self.notes = notes
        self.tempos = tempos
        self.timeSignatures = timeSignatures
        self.programs = programs
    }

    /// Beats per minute of the first tempo (120 when none is given).
    public var initialBPM: Double {
        60_000_000 / Double(tempos.first?.microsecondsPerQuarter ?? 500_000)
    }

    public static func == (a: MIDIFile, b: MIDIFile) -> Bool {
        a.ticksPerQuarter == b.ticksPerQuarter && a.notes == b.notes && a.programs == b.programs
            && a.tempos.map(\.tick) == b.tempos.map(\.tick)
            && a.tempos.map(\.microsecondsPerQuarter) == b.tempos.map(\.microsecondsPerQuarter)
            && a.timeSignatures.map { [$0.tick, $0.numerator, $0.denominator] }
                == b.timeSignatures.map { [$0.tick, $0.numerator, $0.denominator] }
    }
}

/// A malformed or unsupported MIDI file: one line naming the file, the byte offset and the problem.
public struct MIDIError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let offset: Int?
    public let reason: String

    public var description: String {
        "cannot read MIDI '\(path)'" + (offset.map { " at byte \($0)" } ?? "") + ": \(reason)"
    }
}

// MARK: - Reading

extension MIDIFile {
    /// Reads the file at `path`.
    public init(contentsOf path: String) throws(MIDIError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MIDIError(path: path, offset: nil, reason: "cannot open the file")
        }
        try self.init(data: data, path: path)
    }

    /// Parses SMF bytes. Every length is checked against the data, so a truncated or corrupted file fails with a
    /// reason instead of reading out of bounds or looping.
    public init(data: Data, path: String = "<data>") throws(MIDIError) {
        var reader = ByteReader(bytes: [UInt8](data), path: path)
        guard try reader.ascii(4) == "MThd" else {
            throw reader.error("not a Standard MIDI File (no MThd header)", at: 0)
        }
        let headerLength = Int(try reader.uint32())
        guard headerLength >= 6 else { throw reader.error("header chunk too short (\(headerLength) bytes)") }
        let format = Int(try reader.uint16())
        let trackCount = Int(try reader.uint16())
        let division = Int(try reader.uint16())
        try reader.skip(headerLength - 6)
        guard format <= 1 else { throw reader.error("format \(format) (only formats 0 and 1 are supported)", at: 8) }
        guard division & 0x8000 == 0 else { throw reader.error("SMPTE time division is not supported", at: 12) }
        guard division > 0 else { throw reader.error("time division is 0 ticks per quarter note", at: 12) }
        var file = MIDIFile(ticksPerQuarter: division, format: format)
        var track = 0
        while track < trackCount && !reader.atEnd {
            let chunkStart = reader.offset
            let id = try reader.ascii(4)
            let length = Int(try reader.uint32())
            guard length <= reader.remaining else {
                throw reader.error(
                    "chunk '\(id)' declares \(length) bytes, only \(reader.remaining) remain", at: chunkStart)
            }
            if id == "MTrk" {
                var trackReader = ByteReader(
                    bytes: reader.bytes, path: path, offset: reader.offset, end: reader.offset + length)
                try trackReader.readTrack(track, into: &file)
                track += 1
            }
            try reader.skip(length)  // unknown chunks are skipped, as the standard asks
        }
        guard track == trackCount else {
            throw reader.error("header announces \(trackCount) tracks, the file holds \(track)")
        }
        file.tempos.sort { $0.tick < $1.tick }
        file.timeSignatures.sort { $0.tick < $1.tick }
        file.notes.sort { ($0.startTick, $0.pitch, $0.channel) < ($1.startTick, $1.pitch, $1.channel) }
        self = file
    }
}

struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0
    var end: Int

    init(bytes: [UInt8], path: String, offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.path = path
        self.offset = offset
        self.end = end ?? bytes.count
    }

    var atEnd: Bool { offset >= end }
    var remaining: Int { end - offset }

    func error(_ reason: String, at position: Int? = nil) -> MIDIError {
        MIDIError(path: path, offset: position ?? offset, reason: reason)
    }

    mutating func byte() throws(MIDIError) -> UInt8 {
        guard offset < end else { throw error("unexpected end of data") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func skip(_ count: Int) throws(MIDIError) {
        guard count >= 0, count <= remaining else { throw error("unexpected end of data (\(count) bytes to skip)") }
        offset += count
    }

    mutating func uint16() throws(MIDIError) -> UInt16 {
        UInt16(try byte()) << 8 | UInt16(try byte())
    }

    mutating func uint32() throws(MIDIError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 { value = value << 8 | UInt32(try byte()) }
        return value
    }

    mutating func ascii(_ count: Int) throws(MIDIError) -> String {
        var text = ""
        for _ in 0..<count { text.append(Character(UnicodeScalar(try byte()))) }
        return text
    }

    /// A variable-length quantity: at most 4 bytes, 7 bits each.
    mutating func variableLength() throws(MIDIError) -> Int {
        var value = 0
        for _ in 0..<4 {
            let b = try byte()
            value = value << 7 | Int(b & 0x7F)
            if b & 0x80 == 0 { return value }
        }
        throw error("variable-length quantity longer than 4 bytes")
    }

    mutating func readTrack(_ track: Int, into file: inout MIDIFile) throws(MIDIError) {
        var tick = 0
        var runningStatus: UInt8?
        var open: [Int: [(tick: Int, velocity: Int)]] = [:]  // (channel << 8 | pitch) → note-on stack
        func close(channel: Int, pitch: Int, at tick: Int) {
            let key = channel << 8 | pitch
            guard var starts = open[key], !starts.isEmpty else { return }
            let start = starts.removeFirst()
            open[key] = starts
            file.notes.append(
                MIDIFile.Note(
                    startTick: start.tick, endTick: max(tick, start.tick), pitch: pitch,
                    velocity: start.velocity, channel: channel, track: track))
        }
        trackLoop: while !atEnd {
            tick += try variableLength()
            let eventStart = offset
            var status = try byte()
            if status < 0x80 {
                guard let running = runningStatus else {
                    throw error("data byte without a status byte", at: eventStart)
                }
                status = running
                offset -= 1
            }
            switch status {
            case 0xFF:
                let type = try byte()
                let length = try variableLength()
                guard length <= remaining else { throw error("meta event longer than its track", at: eventStart) }
                let data = Array(bytes[offset..<(offset + length)])
                offset += length
                switch type {
                case 0x2F: break trackLoop
                case 0x51 where length == 3:
                    let value = Int(data[0]) << 16 | Int(data[1]) << 8 | Int(data[2])
                    guard value > 0 else { throw error("tempo of 0 µs per quarter note", at: eventStart) }
                    file.tempos.append((tick, value))
                case 0x58 where length >= 2:
                    let denominator = 1 << Int(min(data[1], 7))
                    file.timeSignatures.append((tick, Int(data[0]), denominator))
                default: break
                }
            case 0xF0, 0xF7:
                let length = try variableLength()
                try skip(length)
                runningStatus = nil
            case 0x80...0xEF:
                runningStatus = status
                let channel = Int(status & 0x0F)
                let data1 = Int(try byte())
                switch status & 0xF0 {
                case 0xC0:
                    file.programs[channel] = data1
                case 0xD0:
                    break
                default:
                    let data2 = Int(try byte())
                    guard data1 < 128, data2 < 128 else { throw error("data byte above 127", at: eventStart) }
                    if status & 0xF0 == 0x90 && data2 > 0 {
                        open[channel << 8 | data1, default: []].append((tick, data2))
                    } else if status & 0xF0 == 0x80 || status & 0xF0 == 0x90 {
                        close(channel: channel, pitch: data1, at: tick)
                    }
                }
            default:
                throw error(String(format: "unexpected status byte 0x%02X", status), at: eventStart)
            }
        }
        // Notes still sounding at the end of the track end there.
        for (key, starts) in open {
            for start in starts {
                file.notes.append(
                    MIDIFile.Note(
                        startTick: start.tick, endTick: max(tick, start.tick + 1), pitch: key & 0xFF,
                        velocity: start.velocity, channel: key >> 8, track: track))
            }
        }
    }
}

// MARK: - Writing

extension MIDIFile {
    /// SMF bytes: format 0 (one track with everything) or format 1 (a conductor track with tempo and time
    /// signature, then one track per channel in use).
    public func data(format: Int = 1) -> Data {
        var out: [UInt8] = Array("MThd".utf8)
        let channels = Array(Set(notes.map(\.channel))).sorted()
        let trackCount = format == 0 ? 1 : 1 + channels.count
        out +=
            Self.be32(6) + Self.be16(UInt16(format)) + Self.be16(UInt16(trackCount))
            + Self.be16(UInt16(ticksPerQuarter))
        var meta: [(tick: Int, order: Int, bytes: [UInt8])] = []
        for tempo in (tempos.isEmpty ? [(0, 500_000)] : tempos) {
            let t = tempo.1
            meta.append((tempo.0, 0, [0xFF, 0x51, 3, UInt8(t >> 16 & 0xFF), UInt8(t >> 8 & 0xFF), UInt8(t & 0xFF)]))
        }
        for signature in (timeSignatures.isEmpty ? [(0, 4, 4)] : timeSignatures) {
            let power = UInt8(max(0, Int(log2(Double(signature.2)))))
            meta.append((signature.0, 0, [0xFF, 0x58, 4, UInt8(signature.1), power, 24, 8]))
        }
        func channelEvents(_ channel: Int) -> [(tick: Int, order: Int, bytes: [UInt8])] {
            var events: [(tick: Int, order: Int, bytes: [UInt8])] = []
            if let program = programs[channel] {
                events.append((0, 1, [0xC0 | UInt8(channel), UInt8(program & 0x7F)]))
            }
            for note in notes where note.channel == channel {
                // Note-offs sort before note-ons at the same tick, so repeated notes re-strike cleanly.
                events.append(
                    (
                        note.startTick, 3,
                        [0x90 | UInt8(channel), UInt8(note.pitch), UInt8(max(1, min(127, note.velocity)))]
                    ))
                events.append((note.endTick, 2, [0x80 | UInt8(channel), UInt8(note.pitch), 0]))
            }
            return events
        }
        var tracks: [[(tick: Int, order: Int, bytes: [UInt8])]] = []
        if format == 0 {
            tracks = [meta + channels.flatMap(channelEvents)]
        } else {
            tracks = [meta] + channels.map(channelEvents)
        }
        for events in tracks {
            var body: [UInt8] = []
            var last = 0
            for event in events.sorted(by: { ($0.tick, $0.order) < ($1.tick, $1.order) }) {
                body += Self.variableLength(event.tick - last) + event.bytes
                last = event.tick
            }
            body += [0x00, 0xFF, 0x2F, 0x00]
            out += Array("MTrk".utf8) + Self.be32(UInt32(body.count)) + body
        }
        return Data(out)
    }

    /// Writes the file atomically (a temporary file renamed into place).
    public func write(to path: String, format: Int = 1) throws {
        try data(format: format).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func variableLength(_ value: Int) -> [UInt8] {
        var value = max(0, value)
        var bytes = [UInt8(value & 0x7F)]
        value >>= 7
        while value > 0 {
            bytes.insert(UInt8(value & 0x7F) | 0x80, at: 0)
            value >>= 7
        }
        return bytes
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}
