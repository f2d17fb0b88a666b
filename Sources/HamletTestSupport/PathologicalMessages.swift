/// Hostile messages generated at run time, each at a chosen scale, for the robustness tests and
/// scripts/pathological.py. `scale` 1.0 is the full size named in each case's description.
public enum PathologicalMessages {
    public struct Case: Sendable {
        public let name: String
        public let description: String
        public let make: @Sendable (Double) -> [UInt8]
    }

    private static func scaled(_ full: Int, _ scale: Double) -> Int { max(1, Int(Double(full) * scale)) }

    /// A deterministic byte stream (xorshift), for "random" content that is the same every run.
    private static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[i] = UInt8(truncatingIfNeeded: state)
        }
        return bytes
    }

    private static func base64(_ bytes: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 4 / 3 + bytes.count / 57 + 4)
        var i = 0
        var column = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int((n >> UInt32(shift)) & 63)]) }
            i += 3
            column += 4
            if column >= 76 { out.append(0x0A); column = 0 }
        }
        out.append(0x0A)
        return out
    }

    private static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    public static let all: [Case] = [
        Case(name: "long-line", description: "a 50 MB single-line body") { scale in
            text("Subject: one long line\n\n") + [UInt8](repeating: 0x61, count: scaled(50_000_000, scale)) + text("\n")
        },
        Case(name: "nested-multiparts", description: "10,000 nested multiparts") { scale in
            var out = text("Subject: nesting\n")
            let depth = scaled(10_000, scale)
            for level in 0..<depth { out += text("Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n") }
            out += text("Content-Type: text/plain\n\ndeep inside\n")
            for level in stride(from: depth - 1, through: 0, by: -1) { out += text("--b\(level)--\n") }
            return out
        },
        Case(name: "unclosed-boundary", description: "a boundary that never closes, 100,000 parts' worth of lines") {
            scale in
            var out = text("Subject: never closes\nContent-Type: multipart/mixed; boundary=open\n\n")
            for _ in 0..<scaled(100_000, scale) { out += text("--open\nContent-Type: text/plain\n\nword\n") }
            return out
        },
        Case(name: "many-headers", description: "100,000 header lines") { scale in
            var out: [UInt8] = []
            for i in 0..<scaled(100_000, scale) { out += text("X-Filler-\(i): value \(i)\n") }
            return out + text("Subject: many headers\n\nbody\n")
        },
        Case(name: "long-header", description: "a 1 MB header line") { scale in
            text("Subject: ") + [UInt8](repeating: 0x5A, count: scaled(1_000_000, scale))
                + text("\nFrom: a@example.org\n\nbody\n")
        },
        Case(name: "binary-as-text", description: "10 MB of base64 random binary declared as text/plain") { scale in
            text("Subject: binary\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n")
                + base64(noise(scaled(7_500_000, scale), seed: 7))
        },
        Case(name: "deep-html", description: "HTML nested 100,000 deep") { scale in
            let depth = scaled(100_000, scale)
            return text("Subject: deep\nContent-Type: text/html\n\n")
                + Array(repeating: text("<div>"), count: depth).flatMap { $0 }
                + text("deep words") + Array(repeating: text("</div>"), count: depth).flatMap { $0 }
        },
        Case(name: "entities", description: "a million HTML entities") { scale in
            text("Subject: entities\nContent-Type: text/html\n\n<p>")
                + Array(repeating: text("&amp;&#65;&lt;"), count: scaled(333_334, scale)).flatMap { $0 }
                + text("</p>\n")
        },
        Case(name: "nul-and-invalid-utf8", description: "NUL bytes and invalid UTF-8 everywhere (1 MB)") { scale in
            var out = text("Subject: \u{0}bad\u{0}\nFrom: ") + [0xFF, 0xFE, 0xC3] + text("@x\n\n")
            out += noise(scaled(1_000_000, scale), seed: 11).map { $0 == 0x0A ? 0x00 : $0 }
            return out
        },
        Case(name: "nonsense-charsets", description: "nonsense charset names in every place (1,000 parts)") { scale in
            var out = text(
                "Subject: =?x-no-such?B?AAAA?= =?utf-8?Q?fine?=\nContent-Type: multipart/mixed; boundary=c\n\n")
            for i in 0..<scaled(1_000, scale) {
                out +=
                    text("--c\nContent-Type: text/plain; charset=\"x-nonsense-\(i)\u{7F}\"\n\ncaf") + [0xE9]
                    + text("\n")
            }
            return out + text("--c--\n")
        },
        Case(name: "empty", description: "an empty message") { _ in [] },
        Case(name: "headers-only", description: "a message that is only headers") { _ in
            text("Subject: only headers\nFrom: a@example.org")
        }
    ]
}
