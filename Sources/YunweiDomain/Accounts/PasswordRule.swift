/// What a new password must be: long enough, with a letter and a digit, and not the username —
/// the guesses an attacker tries first. Every broken requirement is reported, so a person can fix
/// them all at once.
public enum PasswordRule {
    /// The shortest acceptable password, in characters as people see them. The text of
    /// `password.too_short` states this number.
    public static let minLength = 8

    /// The catalog keys of every requirement `password` breaks, in a fixed order; empty when it is
    /// acceptable: `password.too_short`, `password.needs_letter`, `password.needs_digit`,
    /// `password.same_as_username`.
    public static func violations(of password: String, username: String) -> [String] {
        var keys: [String] = []
        if password.count < minLength { keys.append("password.too_short") }
        if !password.contains(where: \.isLetter) { keys.append("password.needs_letter") }
        if !password.contains(where: \.isDecimalDigit) { keys.append("password.needs_digit") }
        if password.lowercased() == username.lowercased() { keys.append("password.same_as_username") }
        return keys
    }
}

extension Character {
    /// 0–9, full-width ０–９ from a Chinese input method, or another script's decimal digit — but
    /// not 四 or ④, which Swift also counts as numbers.
    fileprivate var isDecimalDigit: Bool {
        unicodeScalars.count == 1 && unicodeScalars.first!.properties.numericType == .decimal
    }
}
