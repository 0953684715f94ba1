import Testing
import YunweiDomain

@Suite("Masking personal details")
struct MaskedTests {
    @Test(
        "a name keeps its first character",
        arguments: [
            ("张三", "张*"), ("张三丰", "张**"), (" 李四 ", "李*"), ("王", "王"), ("", ""),
        ])
    func name(input: String, expected: String) {
        #expect(Masked.name(input) == expected)
    }

    @Test("an ID number keeps its first three and last four characters")
    func idNumber() {
        #expect(Masked.idNumber("510121199001011234") == "510***********1234")
        #expect(Masked.idNumber("51012119900101123X") == "510***********123X")
        #expect(Masked.idNumber("1234567") == "*******")
        #expect(Masked.idNumber("12345678") == "123*5678")
    }

    @Test("an account number keeps its last four")
    func account() {
        #expect(Masked.account("6228480402564890018") == "***************0018")
        #expect(Masked.account("1234") == "****")
        #expect(Masked.account("12345") == "*2345")
    }
}
