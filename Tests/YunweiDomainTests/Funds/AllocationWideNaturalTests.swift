import Testing

@testable import YunweiDomain

@Suite("Wide natural numbers for exact remainders")
struct AllocationWideNaturalTests {
    @Test("multiplying carries into a new word: (2⁶⁴ − 1)² = 2¹²⁸ − 2⁶⁵ + 1")
    func multiply() {
        let square = WideNatural(.max) * .max
        #expect(square.words == [1, .max - 1])
        #expect((WideNatural(5) * 0).isZero)
    }

    @Test("adding and subtracting undo each other across words")
    func addSubtract() {
        let large = WideNatural(.max) * .max * 12_345
        let sum = large + WideNatural(.max)
        #expect(sum - WideNatural(.max) == large)
        #expect(sum - large == WideNatural(.max))
        #expect((sum - sum).isZero)
    }

    @Test("comparison looks at the highest word first")
    func compare() {
        #expect(WideNatural(.max) < WideNatural(1) * .max * 2)
        #expect(WideNatural(3) < WideNatural(4))
        #expect(!(WideNatural(4) < WideNatural(4)))
        #expect(WideNatural.zero < WideNatural(1))
    }
}
