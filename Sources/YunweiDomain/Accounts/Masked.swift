/// How personal details are shown to everyone but the few who need them in full (public pages,
/// payroll lists): a person's name keeps its surname 张*, an ID number its first three and last
/// four characters, a passbook 一折通 or bank account number its last four.
public enum Masked {
    /// 张三 → 张*, 张三丰 → 张**; a single character stays as it is. Whitespace around is dropped.
    public static func name(_ name: String) -> String {
        let trimmed = name.trimmingWhitespace
        guard let first = trimmed.first, trimmed.count > 1 else { return trimmed }
        return String(first) + String(repeating: "*", count: trimmed.count - 1)
    }

    /// 510121199001011234 → 510***********1234; anything of seven characters or fewer is
    /// masked whole.
    public static func idNumber(_ number: String) -> String {
        keep(number.trimmingWhitespace, head: 3, tail: 4)
    }

    /// 6228480402564890018 → ***************0018; four characters or fewer are masked whole.
    public static func account(_ number: String) -> String {
        keep(number.trimmingWhitespace, head: 0, tail: 4)
    }

    private static func keep(_ text: String, head: Int, tail: Int) -> String {
        let characters = Array(text)
        guard characters.count > head + tail else { return String(repeating: "*", count: characters.count) }
        let hidden = characters.count - head - tail
        return String(characters.prefix(head)) + String(repeating: "*", count: hidden)
            + String(characters.suffix(tail))
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
