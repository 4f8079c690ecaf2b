import AIDJCore
import Testing

@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test("matches the reference implementation's outputs (Vigna's splitmix64.c), so seeds mean the same everywhere")
    func referenceOutputs() {
        var zero = SplitMix64(seed: 0)
        #expect(
            [zero.next(), zero.next(), zero.next()] == [
                0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F,
            ])
        var other = SplitMix64(seed: 1_234_567)
        #expect(other.next() == 6_457_827_717_110_365_317)
    }

    @Test("scrambled seeding is the plain generator on seed XOR the constant")
    func scrambling() {
        var a = SplitMix64(scrambling: 42)
        var b = SplitMix64(seed: 42 ^ 0x5DEE_CE66_D1CE_4E5B)
        #expect(a.next() == b.next())
    }

    @Test("uniform and noise stay in their ranges; normals have mean ≈ 0 and variance ≈ 1")
    func distributions() {
        var random = SplitMix64(seed: 3)
        let n = 20_000
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<n {
            let u = random.uniform(), x = random.noise(), o = random.openUniform()
            #expect(u >= 0 && u < 1 && x >= -1 && x < 1 && o > 0 && o < 1)
            let g = Double(random.normal())
            sum += g
            sumSquares += g * g
        }
        let mean = sum / Double(n)
        #expect(abs(mean) < 0.03, "mean \(mean)")
        #expect(abs(sumSquares / Double(n) - mean * mean - 1) < 0.05)
    }
}
