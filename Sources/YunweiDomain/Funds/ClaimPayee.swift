/// Who a claim pays 收款人. A person with an account is named by it, so that the policy can keep
/// them from approving their own payment; anyone else by name and resident ID number; a supplier
/// or contractor by its name.
public enum ClaimPayee: Sendable, Hashable {
    /// A person with an account — a caretaker, a village official — by user id, and their name.
    case user(id: Int64, name: String)
    /// A person without an account, by name and 18-character resident ID number 公民身份号码.
    case person(name: String, idNumber: String)
    /// A company or other organisation, by its name.
    case organisation(name: String)

    /// The longest name, in characters.
    public static let maxNameLength = 50

    /// The payee's account, when they have one.
    public var userID: Int64? {
        if case .user(let id, _) = self { return id }
        return nil
    }

    /// The name as entered.
    public var name: String {
        switch self {
        case .user(_, let name), .person(let name, _), .organisation(let name): name
        }
    }

    /// What is wrong with the payee, each beside its field (`payee.name`, `payee.id_number`).
    public var issues: [FundIssue] {
        var issues: [FundIssue] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            issues.append(FundIssue(field: "payee.name", key: "claim.issue.payee_required"))
        } else if trimmed.count > Self.maxNameLength {
            issues.append(
                FundIssue(
                    field: "payee.name", key: "claim.issue.payee_too_long", args: ["max": String(Self.maxNameLength)]))
        }
        if case .person(_, let idNumber) = self, !Self.isResidentID(idNumber) {
            issues.append(FundIssue(field: "payee.id_number", key: "claim.issue.payee_id_number"))
        }
        return issues
    }

    /// Whether `text` is a resident ID number (GB 11643): 17 digits and a check character that
    /// is a digit or `X`, by ISO 7064 MOD 11-2. Spaces around it, full-width digits and a lower
    /// `x` are accepted, as people type them.
    public static func isResidentID(_ text: String) -> Bool {
        let folded = Array(InvoiceKey.foldWidth(text).trimmingCharacters(in: .whitespacesAndNewlines).uppercased())
        guard folded.count == 18 else { return false }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (digit, weight) in zip(folded.prefix(17), weights) {
            guard digit.isASCII, let value = digit.wholeNumberValue else { return false }
            sum += value * weight
        }
        let checks: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
        return folded[17] == checks[sum % 11]
    }
}
