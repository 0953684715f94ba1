/// A small seeded random source (SplitMix64, Steele et al. 2014) for the demo county. The demo
/// must come out the same on every machine and Swift version, so it neither uses the system
/// generator nor the standard library's `random(in:using:)`, whose algorithm is not promised.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`; the modulo bias is far below anything a demo could show.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// An index into `weights`, chosen with probability proportional to its weight.
    public mutating func pick(weights: [Int]) -> Int {
        var roll = int(in: 0...(weights.reduce(0, +) - 1))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }
}
