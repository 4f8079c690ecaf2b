import AIDJCore
import Testing

@Suite("Interleaving")
struct InterleavingTests {
    @Test("interleave then deinterleave gives the channels back; a range lands at the start of the output")
    func roundTrip() {
        let channels: [[Float]] = [[1, 2, 3, 4], [10, 20, 30, 40], [100, 200, 300, 400]]
        let interleaved = Interleaving.interleave(channels)
        #expect(interleaved == [1, 10, 100, 2, 20, 200, 3, 30, 300, 4, 40, 400])
        var back: [[Float]] = [[], [], []]
        Interleaving.deinterleave(interleaved, frames: 4, appendingTo: &back)
        #expect(back == channels)
        var part = [Float](repeating: -1, count: 9)
        Interleaving.interleave(channels, from: 2, count: 2, into: &part)
        #expect(part == [3, 30, 300, 4, 40, 400, -1, -1, -1])
    }

    @Test("mix-down averages the channels of the frames asked for; mono is copied")
    func mixDown() {
        var mono = [Float](repeating: 9, count: 3)
        Interleaving.mixDown([1, 3, -2, 2, 5, 5, 7, 7], channels: 2, frames: 2, into: &mono)
        #expect(mono == [2, 0, 9])
        Interleaving.mixDown([0.5, 0.25], channels: 1, frames: 2, into: &mono)
        #expect(mono == [0.5, 0.25, 9])
        Interleaving.mixDown([1, 2, 3, 4, 5, 6, 7, 8, 9], channels: 3, frames: 3, into: &mono)
        #expect(mono == [2, 5, 8])
    }
}
