/// A single mailbox from an address header: `Name <user@example.com>`, `user@example.com (Name)` or a bare address.
public struct Address: Sendable, Equatable {
    public var displayName: String?
    /// The address, lower-cased; nil when none could be found.
    public var email: String?
    /// The part of the address after its last `@`.
    public var domain: String? {
        guard let email, let at = email.lastIndex(of: "@") else { return nil }
        let domain = email[email.index(after: at)...]
        return domain.isEmpty ? nil : String(domain)
    }

    public init(displayName: String?, email: String?) {
        self.displayName = displayName
        self.email = email
    }

    /// Every mailbox of an address-list header (To, Cc, From with several authors), in order: commas inside
    /// quotes, angle brackets and comments do not split; `group: a, b;` yields the group's members.
    public static func list(_ value: String) -> [Address] {
        var pieces: [String] = []
        var current = ""
        var quoted = false, angle = 0, comment = 0, escaped = false
        for c in value {
            if escaped { current.append(c); escaped = false; continue }
            switch c {
            case "\\" where quoted: escaped = true
            case "\"": quoted.toggle()
            case "<" where !quoted: angle += 1
            case ">" where !quoted: angle = max(0, angle - 1)
            case "(" where !quoted: comment += 1
            case ")" where !quoted: comment = max(0, comment - 1)
            case ":" where !quoted && angle == 0 && comment == 0:
                current = ""  // a group name: its members follow
                continue
            case ",", ";":
                if !quoted && angle == 0 && comment == 0 {
                    pieces.append(current)
                    current = ""
                    continue
                }
            default: break
            }
            current.append(c)
        }
        pieces.append(current)
        return pieces.map { Address($0) }.filter { $0.email != nil || $0.displayName != nil }
    }

    public init(_ value: String) {
        let trimmed = value.trimmedWhitespace
        if let open = trimmed.lastIndex(of: "<"), let close = trimmed[open...].firstIndex(of: ">") {
            let email = trimmed[trimmed.index(after: open)..<close].trimmedWhitespace.lowercased()
            self.email = email.isEmpty ? nil : email
            let name = trimmed[..<open].trimmedWhitespace.trimmingQuotes
            displayName = name.isEmpty ? nil : name
            return
        }
        if let open = trimmed.firstIndex(of: "("), let close = trimmed.lastIndex(of: ")"), open < close {
            let email = trimmed[..<open].trimmedWhitespace.lowercased()
            self.email = email.contains("@") ? email : nil
            let name = trimmed[trimmed.index(after: open)..<close].trimmedWhitespace
            displayName = name.isEmpty ? nil : name
            return
        }
        if trimmed.contains("@") && !trimmed.contains(" ") {
            email = trimmed.lowercased()
            displayName = nil
        } else {
            email = nil
            displayName = trimmed.isEmpty ? nil : trimmed
        }
    }
}

