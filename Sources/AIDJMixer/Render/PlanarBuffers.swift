/// Planar Float buffers with a table of their channel pointers, owned for as long as a C library holds on to
/// them: Rubber Band's API takes `const float *const *` (and `float *const *`) tables.
final class PlanarBuffers {
    let channels: Int
    let frames: Int
    private let table: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>

    init(channels: Int, frames: Int) {
        self.channels = channels
        self.frames = frames
        table = .allocate(capacity: channels)
        for c in 0..<channels {
            let channel = UnsafeMutablePointer<Float>.allocate(capacity: frames)
            channel.initialize(repeating: 0, count: frames)
            table[c] = channel
        }
    }

    deinit {
        for c in 0..<channels { table[c]?.deallocate() }
        table.deallocate()
    }

    /// The table as Rubber Band's input (`const float *const *`).
    var readPointers: UnsafePointer<UnsafePointer<Float>?> {
        UnsafeRawPointer(table).assumingMemoryBound(to: UnsafePointer<Float>?.self)
    }

    /// The table as Rubber Band's output (`float *const *`).
    var writePointers: UnsafePointer<UnsafeMutablePointer<Float>?> { UnsafePointer(table) }

    /// Copies frames `start ..< start + count` of each channel of `source` to the start of the buffers.
    func load(_ source: [[Float]], from start: Int, count: Int) {
        precondition(count <= frames && source.count == channels, "block larger than the buffers")
        for c in 0..<channels {
            source[c].withUnsafeBufferPointer { x in table[c]!.update(from: x.baseAddress! + start, count: count) }
        }
    }

    /// Appends the first `count` frames of each channel to `output`.
    func append(frames count: Int, to output: inout [[Float]]) {
        for c in 0..<channels { output[c].append(contentsOf: UnsafeBufferPointer(start: table[c]!, count: count)) }
    }
}
