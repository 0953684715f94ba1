import Foundation
import Testing
import YunweiDomain

@Suite("Money")
struct MoneyTests {
    @Test(
        "amounts show as yuan with a symbol and thousands separators",
        arguments: [
            (123_456, "¥1,234.56"), (0, "¥0.00"), (5, "¥0.05"), (50, "¥0.50"), (100, "¥1.00"),
            (99_999, "¥999.99"), (100_000, "¥1,000.00"), (123_456_789_012, "¥1,234,567,890.12"),
            (-123_456, "-¥1,234.56"), (-1, "-¥0.01"),
        ] as [(Int64, String)])
    func display(fen: Int64, shown: String) {
        #expect(Money(fen: fen).description == shown)
    }

    @Test(
        "bank files and CSV exports get plain yuan with two decimals",
        arguments: [
            (123_456, "1234.56"), (0, "0.00"), (7, "0.07"), (120_000_000, "1200000.00"), (-320, "-3.20"),
        ] as [(Int64, String)])
    func yuanString(fen: Int64, written: String) {
        #expect(Money(fen: fen).yuanString == written)
    }

    @Test("the smallest and largest amounts still print")
    func extremes() {
        #expect(Money(fen: .max).description == "¥92,233,720,368,547,758.07")
        #expect(Money(fen: .min).description == "-¥92,233,720,368,547,758.08")
        #expect(Money(fen: .min).yuanString == "-92233720368547758.08")
    }

    @Test(
        "yuan as people write them are read exactly into fen",
        arguments: [
            ("1234.56", 123_456), ("1,234.5", 123_450), ("¥12", 1200), ("-3.2", -320), ("0.07", 7),
            ("0", 0), ("-0", 0), ("￥1,000,000.00", 100_000_000), ("-¥1,234.56", -123_456),
            ("¥-5", -500), ("+8.1", 810), ("  42.10\t", 4210), ("007", 700),
            ("92233720368547758.07", .max), ("0.1", 10), ("0.29", 29),
        ] as [(String, Int64)])
    func parses(text: String, fen: Int64) {
        #expect(Money(yuan: text) == Money(fen: fen))
    }

    @Test(
        "anything that is not an amount of yuan and fen is refused",
        arguments: [
            "", " ", "1.234", "0.001", "abc", "12a", "1.2.3", "12.", ".5", "1,23", "12,34.5", "1234,567",
            ",123", "1,,234", "--1", "¥¥1", "1 234", "1e3", "0x10", "NaN", "¥", "-", "1.-2", "1.2 3",
            "92233720368547758.08", "99999999999999999999", "１２", "1,234.5元",
        ])
    func refuses(text: String) {
        #expect(Money(yuan: text) == nil)
    }

    @Test(
        "what is printed reads back as the same amount",
        arguments: [Int64.min, -123_456, -1, 0, 1, 99, 100, 1_000_000_007, .max])
    func roundTrips(fen: Int64) {
        let money = Money(fen: fen)
        if fen != .min {  // |Int64.min| has no positive twin, so its text is out of range
            #expect(Money(yuan: money.description) == money)
            #expect(Money(yuan: money.yuanString) == money)
        }
    }

    @Test("amounts add, subtract and compare exactly")
    func arithmetic() {
        let tenCents = Money(yuan: "0.1")!
        let twentyCents = Money(yuan: "0.2")!
        #expect(tenCents + twentyCents == Money(yuan: "0.3"))
        #expect(Money(yuan: 5) - Money(fen: 1) == Money(fen: 499))
        #expect(-Money(fen: 3) == Money(fen: -3))
        #expect(Money(fen: -1) < .zero)
        #expect([Money(fen: 3), Money(fen: 1), Money(fen: 2)].max() == Money(fen: 3))
        #expect(Money(fen: -1).isNegative && !Money.zero.isNegative)
    }

    @Test("an amount is stored and sent as a bare number of fen")
    func codable() throws {
        let data = try JSONEncoder().encode(["amount": Money(fen: 123_456)])
        #expect(String(decoding: data, as: UTF8.self) == #"{"amount":123456}"#)
        let back = try JSONDecoder().decode([String: Money].self, from: data)
        #expect(back["amount"] == Money(fen: 123_456))
    }
}

@Suite("Money in Chinese capitals 人民币大写")
struct ChineseCapitalTests {
    @Test(
        "standard examples",
        arguments: [
            // The brief's and the rules' own examples.
            ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
            ("100", "壹佰元整"),
            ("1005", "壹仟零伍元整"),
            ("100200", "壹拾万零贰佰元整"),
            ("1409.50", "壹仟肆佰零玖元伍角整"),
            ("6007.14", "陆仟零柒元壹角肆分"),
            ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
            ("107000.53", "壹拾万柒仟元零伍角叁分"),
            ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
            ("325.04", "叁佰贰拾伍元零肆分"),
            // Tens, zeros and groups.
            ("10", "壹拾元整"),
            ("15", "壹拾伍元整"),
            ("110", "壹佰壹拾元整"),
            ("101", "壹佰零壹元整"),
            ("1001", "壹仟零壹元整"),
            ("1010", "壹仟零壹拾元整"),
            ("1100", "壹仟壹佰元整"),
            ("10000", "壹万元整"),
            ("10001", "壹万零壹元整"),
            ("10010", "壹万零壹拾元整"),
            ("100000", "壹拾万元整"),
            ("1000000", "壹佰万元整"),
            ("10100000", "壹仟零壹拾万元整"),
            ("100000000", "壹亿元整"),
            ("100001000", "壹亿零壹仟元整"),
            ("100010000", "壹亿零壹万元整"),
            ("105000000", "壹亿零伍佰万元整"),
            ("120003400", "壹亿贰仟万叁仟肆佰元整"),
            ("1000000000000", "壹万亿元整"),
            ("1200000000000.01", "壹万贰仟亿元零壹分"),
            ("1000000000", "壹拾亿元整"),
            ("1010000000", "壹拾亿壹仟万元整"),
            ("1000000010", "壹拾亿零壹拾元整"),
            ("10000000000000000", "壹亿亿元整"),
            ("20000", "贰万元整"),
            ("20000.5", "贰万元零伍角整"),
            // Below one yuan, and nothing at all.
            ("0.5", "伍角整"),
            ("0.56", "伍角陆分"),
            ("0.06", "陆分"),
            ("0", "零元整"),
            ("1.01", "壹元零壹分"),
            ("1.1", "壹元壹角整"),
            // Negatives.
            ("-1234.56", "负壹仟贰佰叁拾肆元伍角陆分"),
            ("-0.01", "负壹分"),
            ("-100", "负壹佰元整"),
        ])
    func capital(yuan: String, capital: String) {
        #expect(Money(yuan: yuan)!.chineseCapital == capital)
    }

    @Test("the largest amounts still have a capital form")
    func largest() {
        #expect(Money(fen: .max).chineseCapital == "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分")
        #expect(Money(fen: .min).chineseCapital.hasPrefix("负玖亿贰仟"))
    }

    @Test("a 零 is never doubled and never stands before a unit")
    func zerosAreWellPlaced() {
        for fen in stride(from: Int64(0), to: 2_000_000_000_000, by: 999_999_937) {
            let text = Money(fen: fen).chineseCapital
            #expect(!text.contains("零零"), "\(fen)")
            #expect(!text.contains("零元") || text == "零元整", "\(fen)")
            #expect(!text.contains("零万") && !text.contains("零亿") && !text.contains("零整"), "\(fen)")
        }
    }
}
