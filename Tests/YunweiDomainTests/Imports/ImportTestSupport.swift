import Foundation
import Testing
import YunweiDomain

/// The issues an import rejected `body`'s file with, or [] if it was accepted.
func rejectionIssues<T>(_ body: () throws -> T) -> [ImportIssue] {
    do {
        _ = try body()
        return []
    } catch let rejection as ImportRejection {
        return rejection.issues
    } catch {
        Issue.record(error, "an import may only throw ImportRejection")
        return []
    }
}

/// A file's bytes as a clerk's editor saves them: lines joined by `\n`.
func csvFile(_ lines: String...) -> Data { Data(lines.joined(separator: "\n").utf8) }

extension [ImportIssue] {
    /// `key@line` for each issue, the shape tests compare.
    var keysAndLines: [String] { map { "\($0.key)@\($0.line)" } }
}
