extension String {
    /// Without white space (including the full-width space U+3000) at either end. Names and
    /// numbers seldom have any, so the common case returns the string itself without copying.
    var trimmedOfSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        guard first.isInspectionSpace || last.isInspectionSpace else { return self }
        guard let from = scalars.firstIndex(where: { !$0.isInspectionSpace }),
            let to = scalars.lastIndex(where: { !$0.isInspectionSpace })
        else { return "" }
        return String(scalars[from...to])
    }
}

extension Unicode.Scalar {
    /// White space as people type it into names and numbers: ASCII spaces and line breaks, the
    /// no-break space, the typographic spaces and the full-width space 全角空格 U+3000. Compared
    /// by value, as a million names are checked.
    var isInspectionSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

/// Names as numbers, for grouping and looking up a million payees. `String` hashes and compares
/// Chinese text through Unicode normalization, which costs more than the rest of a rule; names
/// typed into this system are compared as typed (trimmed), so their UTF-8 bytes are the name,
/// and a 64-bit FNV-1a fingerprint of the bytes stands for them. Fingerprints only find
/// candidates: whoever relies on a match compares the bytes.
enum InspectionName {
    static func fingerprint(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    static func same(_ lhs: String, _ rhs: String) -> Bool { lhs.utf8.elementsEqual(rhs.utf8) }

    /// Numbers names in the order they are first seen, the same number for the same bytes.
    struct Numbering {
        private var byFingerprint: [UInt64: (name: String, number: Int64)] = [:]
        /// Names whose fingerprint another name already holds: practically never used.
        private var collided: [String: Int64] = [:]
        private var count: Int64 = 0

        mutating func number(of name: String) -> Int64 {
            let fingerprint = InspectionName.fingerprint(name)
            if let known = byFingerprint[fingerprint] {
                if InspectionName.same(known.name, name) { return known.number }
                if let number = collided[name] { return number }
                collided[name] = count
            } else {
                byFingerprint[fingerprint] = (name, count)
            }
            count += 1
            return count - 1
        }
    }
}
