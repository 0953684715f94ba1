/// How an invoice's issuer and number are compared across claims (R5): as a clerk might have
/// typed them either way — surrounding spaces trimmed, full-width letters and digits (`ＡＢ１２`)
/// read as half-width, letters compared without case.
enum InspectionInvoiceKey {
    /// The text in its compared form. Most text is already in that form, and is returned as it
    /// is without building a new string.
    static func normalized(_ text: String) -> String {
        if isPlain(text) { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) {
                value -= 0xFEE0
            } else if value == 0x3000 {
                value = 0x20
            }
            if (0x41...0x5A).contains(value) { value += 0x20 }
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars).trimmedOfSpaces
    }

    /// `InspectionName.fingerprint` of the normalized form, computed from the bytes of plain
    /// ASCII text without building a string. Equal texts have equal fingerprints; the rare unequal texts
    /// that share one are told apart by comparing `normalized` forms.
    static func fingerprint(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var plainASCII = true
        for byte in text.utf8 {
            guard byte >= 0x21, byte < 0x80 else {
                plainASCII = false
                break
            }
            hash = (hash ^ UInt64((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)) &* 0x100_0000_01b3
        }
        return plainASCII ? hash : InspectionName.fingerprint(normalized(text))
    }

    /// Whether the text holds no ASCII capital, no full-width form (UTF-8 lead byte `EF`), no
    /// ideographic space (lead byte `E3`, with some CJK punctuation that takes the slow way), and
    /// no white space at either end.
    private static func isPlain(_ text: String) -> Bool {
        for byte in text.utf8 where (0x41...0x5A).contains(byte) || byte == 0xEF || byte == 0xE3 {
            return false
        }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return true }
        return !first.isInspectionSpace && !last.isInspectionSpace
    }
}
