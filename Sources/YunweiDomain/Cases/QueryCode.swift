/// 查询码 — the code a member of the public gets for a report, to follow it and give feedback
/// without an account. Ten characters: nine random ones and a check character.
///
/// The alphabet leaves out 0/O, 1/I/L, which people misread on a receipt and mistype on a phone;
/// that leaves 31 characters, a prime. The check character makes Σ position × value (positions
/// 1…10) a multiple of 31, and since the weights 1…10 are distinct and never 0 modulo a prime, any
/// one wrong character and any two swapped characters are recognised without a database lookup.
/// Nine random characters give 31⁹ ≈ 2.6 × 10¹³ codes: guessing a live one is hopeless at any rate
/// the public form allows.
public struct QueryCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The canonical form: ten characters of `alphabet`, upper case, nothing else.
    public let rawValue: String

    /// 2–9 and A–Z without I, L and O.
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let length = 10

    /// Reads a code as a person types it: lower case, spaces, dashes and full-width characters
    /// from a Chinese input method are forgiven. Nil unless the result is a well-formed code.
    public init?(rawValue: String) {
        guard let values = Self.values(of: rawValue), values.count == Self.length,
            Self.weightedSum(values) % Self.alphabet.count == 0
        else { return nil }
        self.rawValue = String(values.map { Self.alphabet[$0] })
    }

    public init?(_ text: String) { self.init(rawValue: text) }

    public var description: String { rawValue }

    /// As printed on a receipt: two groups of five, `ABCDE-FGHJK`, easier to read aloud.
    public var grouped: String { rawValue.prefix(5) + "-" + rawValue.suffix(5) }

    /// Whether `text` is a code that could exist — the check before any database lookup.
    public static func isWellFormed(_ text: String) -> Bool { QueryCode(text) != nil }

    /// A new random code. The server passes `SystemRandomNumberGenerator`; tests a seeded one.
    public static func make(using generator: inout some RandomNumberGenerator) -> QueryCode {
        var values = (1..<length).map { _ in Int.random(in: 0..<alphabet.count, using: &generator) }
        values.append(checkValue(for: values))
        return QueryCode(rawValue: String(values.map { alphabet[$0] }))!
    }

    /// The check value that brings the weighted sum of `values` (the first nine) to a multiple of
    /// 31: c with 10·c ≡ −Σ, and 28 is the inverse of 10 modulo 31 (280 = 9·31 + 1).
    static func checkValue(for values: [Int]) -> Int {
        let modulus = alphabet.count
        let sum = weightedSum(values) % modulus
        return (modulus - sum) * 28 % modulus
    }

    private static func weightedSum(_ values: [Int]) -> Int {
        values.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
    }

    /// The alphabet positions of `text`'s characters after forgiving what people add; nil if any
    /// character is not in the alphabet.
    private static func values(of text: String) -> [Int]? {
        var values: [Int] = []
        for scalar in text.unicodeScalars {
            var value = scalar.value
            // Full-width ！…～ (U+FF01–FF5E) map onto ASCII.
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            let character = Character(Unicode.Scalar(value)!)
            if character.isWhitespace || character == "-" { continue }
            let upper = character.uppercased()
            guard upper.count == 1, let index = alphabet.firstIndex(of: Character(upper)) else { return nil }
            values.append(index)
        }
        return values
    }
}
