/// 人民币大写 — the Chinese capital form that vouchers 记账凭证 and payment documents carry beside
/// the figures, because capital numerals cannot be altered by adding a stroke.
///
/// Written by the rules of 《会计基础工作规范》 art. 52 and the PBOC's 《支付结算办法》 annex:
/// - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿 (壹万贰仟亿, not 壹万亿贰仟亿); ten is 壹拾;
/// - zeros inside the figure are read as one 零 (壹仟零伍元整, 陆仟零柒元壹角肆分); zeros at the end
///   of a group are silent (壹拾万柒仟元), but a group that starts with zeros, or a whole group of
///   zeros, is bridged by one 零 (壹拾万零贰佰元整, 壹亿零壹仟元整);
/// - 整 after 元 or 角, never after 分 (壹佰元整, 壹佰元伍角整, 壹佰元伍角陆分);
/// - 零 after 元 when 角 is zero and 分 is not (叁佰贰拾伍元零肆分), and when 元 ends in zero and
///   角 is not (壹仟陆佰捌拾元零叁角贰分) — the PBOC's first-listed form;
/// - below one yuan, no 元 (伍角整, 捌分); zero is 零元整; negative amounts take 负 in front.
extension Money {
    public var chineseCapital: String {
        let magnitude = fen.magnitude
        let yuan = magnitude / 100
        let jiao = Int(magnitude / 10 % 10)
        let fenDigit = Int(magnitude % 10)
        let sign = isNegative ? "负" : ""

        if magnitude == 0 { return "零元整" }
        var text = yuan > 0 ? ChineseCapital.integer(yuan) + "元" : ""
        if jiao == 0 && fenDigit == 0 { return sign + text + "整" }
        if yuan > 0 && (jiao == 0 || yuan % 10 == 0) { text += "零" }
        if jiao > 0 { text += ChineseCapital.digits[jiao] + "角" }
        text += fenDigit > 0 ? ChineseCapital.digits[fenDigit] + "分" : "整"
        return sign + text
    }
}

enum ChineseCapital {
    static let digits = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"]

    /// A positive whole number in capital numerals, without 元. A number is read as so many 亿
    /// (itself a number, so 壹万贰仟亿, 玖亿…亿 for the largest), then so many 万, then the rest;
    /// a part that is short of its full width is bridged to the part above it by 零.
    static func integer(_ value: UInt64) -> String {
        let (yi, rest) = value.quotientAndRemainder(dividingBy: 100_000_000)
        guard yi > 0 else { return belowYi(rest) }
        guard rest > 0 else { return integer(yi) + "亿" }
        return integer(yi) + "亿" + (rest < 10_000_000 ? "零" : "") + belowYi(rest)
    }

    private static func belowYi(_ value: UInt64) -> String {
        let (wan, rest) = value.quotientAndRemainder(dividingBy: 10_000)
        guard wan > 0 else { return belowWan(rest) }
        guard rest > 0 else { return belowWan(wan) + "万" }
        return belowWan(wan) + "万" + (rest < 1000 ? "零" : "") + belowWan(rest)
    }

    /// 1…9999: zeros between digits become one 零, zeros at the end are silent, ten is 壹拾.
    private static func belowWan(_ value: UInt64) -> String {
        var text = ""
        var zeroPending = false
        for (divisor, place) in [(1000, "仟"), (100, "佰"), (10, "拾"), (1, "")] as [(UInt64, String)] {
            let digit = Int(value / divisor % 10)
            if digit == 0 {
                zeroPending = !text.isEmpty
                continue
            }
            text += (zeroPending ? "零" : "") + digits[digit] + place
            zeroPending = false
        }
        return text
    }
}
