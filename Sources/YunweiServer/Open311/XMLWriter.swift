/// Writes an XML 1.0 document in UTF-8, element by element, escaping every text so that any
/// description a reporter typed comes out as well-formed XML. Element names are the
/// specification's fixed ASCII names, never user input.
struct XMLWriter {
    private(set) var text = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"

    mutating func open(_ name: String) {
        precondition(Self.isName(name), "not an XML element name: \(name)")
        text += "<\(name)>"
    }

    mutating func close(_ name: String) {
        text += "</\(name)>"
    }

    /// `<name>text</name>`, or `<name/>` when there is no text.
    mutating func element(_ name: String, _ content: String?) {
        precondition(Self.isName(name), "not an XML element name: \(name)")
        guard let content, !content.isEmpty else {
            text += "<\(name)/>"
            return
        }
        text += "<\(name)>\(Self.escape(content))</\(name)>"
    }

    /// Character data made safe: the five markup characters as entities, a carriage return as a
    /// character reference (a parser would otherwise turn it into a line feed), and characters
    /// XML 1.0 cannot carry at all — other control characters, U+FFFE, U+FFFF — as U+FFFD.
    static func escape(_ content: String) -> String {
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(content.unicodeScalars.count)
        for scalar in content.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\r": escaped += "&#13;"
            case "\t", "\n": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Lower-case ASCII letters and `_`: all the specification's element names need.
    private static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { (97...122).contains($0) || $0 == 95 }
    }
}
