import MailParser
import Platform

/// Message ids (file names) in Hamlet's output: a name may hold any byte but NUL and `/`, so a newline, a tab or an
/// escape sequence in it could forge output lines or drive the terminal. Control characters, DEL and the
/// backslash are written as C escapes: `\n`, `\t`, `\r`, `\\`, and `\xHH` for the rest.
public enum OutputEscaping {
    /// `backslash: false` leaves backslashes alone (for notes whose names already show raw bytes as `\xHH`).
    public static func escaped(_ id: String, backslash: Bool = true) -> String {
        guard id.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || ($0 == 0x5C && backslash) }) else { return id }
        var result = ""
        for scalar in id.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\\": result += backslash ? "\\\\" : "\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
