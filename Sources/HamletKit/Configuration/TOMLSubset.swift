/// A value from Hamlet's configuration file.
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    public var description: String {
        switch self {
        case .string(let s): return "\"" + s + "\""
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// Reads the subset of TOML Hamlet's configuration uses: `[section]` headers, `key = value` lines with basic
/// strings ("..." with \\ \" \n \t escapes), literal strings ('...'), integers, floats and booleans, and `#`
/// comments. Keys come back as `section.key`. Anything else is an error naming its line.
public enum TOMLSubset {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws -> [(key: String, value: ConfigValue, line: Int)] {
        var section = ""
        var result: [(key: String, value: ConfigValue, line: Int)] = []
        var seen = Set<String>()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = stripComment(Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)).trimmedSpaces
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw ParseError(line: number, message: "expected a [section] header")
                }
                section = String(line.dropFirst().dropLast()).trimmedSpaces
                guard isBareKey(section) else {
                    throw ParseError(line: number, message: "bad section name '\(section)'")
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: number, message: "expected key = value")
            }
            let key = String(line[..<equals]).trimmedSpaces
            guard isBareKey(key) else { throw ParseError(line: number, message: "bad key '\(key)'") }
            let fullKey = section.isEmpty ? key : section + "." + key
            guard seen.insert(fullKey).inserted else {
                throw ParseError(line: number, message: "'\(fullKey)' is set twice")
            }
            let rawValue = String(line[line.index(after: equals)...]).trimmedSpaces
            result.append((fullKey, try value(rawValue, line: number), number))
        }
        return result
    }

    private static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty
            && key.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0)
                    || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
            }
    }

    /// Removes a `#` comment that is not inside a string.
    private static func stripComment(_ line: Substring) -> Substring {
        var quote: Character? = nil
        var escaped = false
        for index in line.indices {
            let c = line[index]
            if let q = quote {
                if escaped {
                    escaped = false
                } else if c == "\\" && q == "\"" {
                    escaped = true
                } else if c == q {
                    quote = nil
                }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" {
                return line[..<index]
            }
        }
        return line
    }

    private static func value(_ text: String, line: Int) throws -> ConfigValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'") else {
                throw ParseError(line: line, message: "unterminated string")
            }
            return .string(String(text.dropFirst().dropLast()))
        }
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\"") else {
                throw ParseError(line: line, message: "unterminated string")
            }
            var out = ""
            var escaped = false
            for c in text.dropFirst().dropLast() {
                if escaped {
                    switch c {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "\\": out.append("\\")
                    case "\"": out.append("\"")
                    default: throw ParseError(line: line, message: "unknown escape \\\(c)")
                    }
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    out.append(c)
                }
            }
            return .string(out)
        }
        if let number = Double(text.replacingUnderscores), !text.isEmpty { return .number(number) }
        throw ParseError(line: line, message: "cannot read value '\(text)' (strings need quotes)")
    }
}

extension StringProtocol {
    var trimmedSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    var replacingUnderscores: String { String(self.filter { $0 != "_" }) }
}
