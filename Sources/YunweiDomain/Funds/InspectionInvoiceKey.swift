/// A fast fingerprint of an invoice number in `InvoiceKey`'s normalised form, so that R5 can hash
/// a million numbers without building a key for each; the few invoices that share a fingerprint
/// are then compared by `InvoiceKey` itself, the same rule that refuses a reused invoice at
/// submission.
enum InspectionInvoiceKey {
    /// Equal `InvoiceKey` numbers have equal fingerprints. Plain ASCII without spaces (nearly
    /// every number) is hashed from its bytes, lower-cased; anything else from its `InvoiceKey`
    /// form.
    static func fingerprint(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            guard byte >= 0x21, byte < 0x80 else {
                return InspectionName.fingerprint(InvoiceKey(issuer: "", number: text).number)
            }
            hash = (hash ^ UInt64((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
