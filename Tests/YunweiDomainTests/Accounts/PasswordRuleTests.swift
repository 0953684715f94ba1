import Testing
import YunweiDomain

@Suite("New passwords")
struct PasswordRuleTests {
    @Test(
        "a password of eight characters with a letter and a digit is accepted",
        arguments: ["abcdefg1", "1234567a", "Zhang2025!", "密码abc12345", "ｐａｓｓ１２３４"])
    func accepted(password: String) {
        #expect(PasswordRule.violations(of: password, username: "wangfang").isEmpty)
    }

    @Test("a password shorter than eight characters is refused")
    func tooShort() {
        #expect(PasswordRule.minLength == 8)  // the text of password.too_short says 8
        #expect(PasswordRule.violations(of: "abcdef1", username: "wangfang") == ["password.too_short"])
    }

    @Test("a password of letters alone, or digits alone, is refused")
    func needsLetterAndDigit() {
        #expect(PasswordRule.violations(of: "abcdefgh", username: "u") == ["password.needs_digit"])
        #expect(PasswordRule.violations(of: "12345678", username: "u") == ["password.needs_letter"])
        #expect(PasswordRule.violations(of: "abcdefg④", username: "u") == ["password.needs_digit"])
        #expect(PasswordRule.violations(of: "四五六七八九十百", username: "u") == ["password.needs_digit"])
    }

    @Test("the username, in any case, is not a password")
    func notTheUsername() {
        #expect(PasswordRule.violations(of: "WangFang88", username: "wangfang88") == ["password.same_as_username"])
        #expect(PasswordRule.violations(of: "wangfang88x", username: "wangfang88").isEmpty)
    }

    @Test("every broken requirement is reported at once, in a fixed order")
    func allAtOnce() {
        #expect(
            PasswordRule.violations(of: "", username: "")
                == ["password.too_short", "password.needs_letter", "password.needs_digit", "password.same_as_username"])
        #expect(
            PasswordRule.violations(of: "!!!", username: "x")
                == ["password.too_short", "password.needs_letter", "password.needs_digit"])
    }

    @Test("length counts characters as people see them")
    func lengthInCharacters() {
        #expect(PasswordRule.violations(of: "管护员1号ab", username: "x") == ["password.too_short"])
        #expect(PasswordRule.violations(of: "管护员1号abc", username: "x").isEmpty)
    }
}
