import Foundation

/// What identifies an invoice (DOMAIN.md §4.4 rule R5): its issuer and number, normalised so that
/// the same invoice typed twice is one key — spaces around them dropped, letters compared without
/// case, full-width letters, digits and punctuation folded to half-width (`ＮＯ．００１２３` is
/// `no.00123`). Spaces inside a number are dropped; inside an issuer's name, runs of them count
/// as one.
public struct InvoiceKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let issuer: String
    public let number: String

    public init(issuer: String, number: String) {
        self.issuer = Self.normalise(issuer).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        self.number = String(Self.normalise(number).filter { !$0.isWhitespace })
    }

    public var description: String { "\(issuer) \(number)" }

    public static func < (lhs: InvoiceKey, rhs: InvoiceKey) -> Bool {
        (lhs.issuer, lhs.number) < (rhs.issuer, rhs.number)
    }

    private static func normalise(_ text: String) -> String {
        foldWidth(text).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// `text` with full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space (U+3000)
    /// replaced by their half-width counterparts; everything else, Chinese included, untouched.
    static func foldWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
