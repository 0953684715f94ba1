/// A natural number wider than 64 bits, as little-endian 64-bit words, with only what exact
/// allocation needs: multiplying by a word, adding, subtracting and comparing.
///
/// Why it exists: each factor's shares have their own denominator (its total), so the parts of a
/// village's amount below a millionth of a fen add up exactly only over the product of up to five
/// totals — far more than 128 bits. Comparing those sums is what makes a tie in the largest
/// remainder a real tie rather than an accident of precision.
struct WideNatural: Hashable, Sendable, Comparable {
    /// Least significant first, with no zero word at the top; zero has no words.
    private(set) var words: [UInt64]

    init(_ value: UInt64) { words = value == 0 ? [] : [value] }

    static let zero = WideNatural(0)

    var isZero: Bool { words.isEmpty }

    static func * (lhs: WideNatural, rhs: UInt64) -> WideNatural {
        guard rhs != 0, !lhs.isZero else { return .zero }
        var product = WideNatural(0)
        product.words.reserveCapacity(lhs.words.count + 1)
        var carry: UInt64 = 0
        for word in lhs.words {
            let (high, low) = word.multipliedFullWidth(by: rhs)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            product.words.append(sum)
            carry = high + (overflow ? 1 : 0)  // high ≤ 2⁶⁴ − 2, so this cannot overflow
        }
        if carry != 0 { product.words.append(carry) }
        return product
    }

    static func + (lhs: WideNatural, rhs: WideNatural) -> WideNatural {
        var sum = WideNatural(0)
        let count = max(lhs.words.count, rhs.words.count)
        sum.words.reserveCapacity(count + 1)
        var carry = false
        for index in 0..<count {
            let (partial, first) = lhs.word(index).addingReportingOverflow(rhs.word(index))
            let (word, second) = partial.addingReportingOverflow(carry ? 1 : 0)
            sum.words.append(word)
            carry = first || second
        }
        if carry { sum.words.append(1) }
        return sum
    }

    /// `lhs − rhs`; `rhs` must not be larger.
    static func - (lhs: WideNatural, rhs: WideNatural) -> WideNatural {
        precondition(rhs <= lhs, "a natural number cannot go below zero")
        var difference = WideNatural(0)
        difference.words.reserveCapacity(lhs.words.count)
        var borrow = false
        for index in 0..<lhs.words.count {
            let (partial, first) = lhs.words[index].subtractingReportingOverflow(rhs.word(index))
            let (word, second) = partial.subtractingReportingOverflow(borrow ? 1 : 0)
            difference.words.append(word)
            borrow = first || second
        }
        while difference.words.last == 0 { difference.words.removeLast() }
        return difference
    }

    static func < (lhs: WideNatural, rhs: WideNatural) -> Bool {
        guard lhs.words.count == rhs.words.count else { return lhs.words.count < rhs.words.count }
        for index in lhs.words.indices.reversed() where lhs.words[index] != rhs.words[index] {
            return lhs.words[index] < rhs.words[index]
        }
        return false
    }

    private func word(_ index: Int) -> UInt64 { index < words.count ? words[index] : 0 }
}
