import CLibXML2
import MailParser

import Platform

/// What a reader sees of an HTML part: its visible text (with `alt` and `title` text), and the link targets
/// (`href`, `src`, `action`). Parsed by libxml2's HTML parser in recover mode with network access and entity
/// loading off; script, style and comments never reach the text.
public struct HTMLContent: Sendable, Equatable {
    public var text: String
    public var urls: [String]
    /// Text a reader would not see: inside display:none or visibility:hidden, at a font size of 0 to 2 px/pt, or
    /// coloured like its background. Hiding text is itself a spam sign, so it is kept apart.
    public var hiddenText: String = ""

    public init(text: String, urls: [String], hiddenText: String = "") {
        self.text = text
        self.urls = urls
        self.hiddenText = hiddenText
    }
}

/// Converts HTML to text through libxml2's HTML parser, driven as a SAX parser: the text, links and styles are
/// taken from the parser's callbacks as it reads, so no document tree is built, walked and freed (that was a
/// third of the time spent on HTML). The input must already be UTF-8 (convert with `Charset` first: libxml2
/// stops at the first byte invalid in a declared charset).
public enum HTMLText {
    private static let initialized: Bool = {
        hamlet_xml_init_quiet()
        return true
    }()

    /// Elements whose content is never shown to a reader.
    fileprivate static let invisible: Set<String> = [
        "script", "style", "template", "object", "applet", "xml", "noembed"
    ]
    /// Elements that break words apart (block-level or line-breaking).
    fileprivate static let breaking: Set<String> = [
        "p", "div", "br", "td", "th", "tr", "li", "ul", "ol", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "blockquote", "pre", "center", "dd", "dt", "dl", "form", "option", "select", "title", "body",
        "html", "address", "section", "article", "header", "footer", "nav", "img", "input", "textarea", "button",
        "caption", "frame", "iframe", "area", "map"
    ]

    /// What the text extraction needs to know about an element name, found without making a `String`: names up
    /// to 16 bytes packed into two words (libxml2 hands HTML element and attribute names over lower-cased).
    fileprivate struct PackedName: Hashable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        init?(_ name: UnsafePointer<UInt8>) {
            var k = 0
            while name[k] != 0 {
                guard k < 16 else { return nil }
                if k < 8 {
                    low |= UInt64(name[k]) << (8 * UInt64(k))
                } else {
                    high |= UInt64(name[k]) << (8 * UInt64(k - 8))
                }
                k += 1
            }
        }

        init(_ name: String) {
            var copy = name
            let packed = copy.withUTF8 { bytes in
                (bytes + [0]).withUnsafeBufferPointer { PackedName($0.baseAddress!) }
            }
            self = packed!
        }
    }

    fileprivate struct ElementKind {
        var invisible = false
        var breaking = false
    }

    fileprivate static let elementKinds: [PackedName: ElementKind] = {
        var kinds: [PackedName: ElementKind] = [:]
        for name in invisible { kinds[PackedName(name), default: ElementKind()].invisible = true }
        for name in breaking { kinds[PackedName(name), default: ElementKind()].breaking = true }
        return kinds
    }()

    fileprivate enum AttributeKind { case link, altText, style, backgroundColor, color, hidden }

    fileprivate static let attributeKinds: [PackedName: AttributeKind] = [
        PackedName("href"): .link, PackedName("src"): .link, PackedName("action"): .link,
        PackedName("background"): .link,
        PackedName("alt"): .altText, PackedName("title"): .altText, PackedName("style"): .style,
        PackedName("bgcolor"): .backgroundColor, PackedName("color"): .color, PackedName("hidden"): .hidden
    ]

    public static func extract(_ html: String) -> HTMLContent {
        var bytes = Array(html.utf8)
        return extract(utf8: &bytes)
    }

    public static func extract(utf8 bytes: inout [UInt8]) -> HTMLContent {
        let content = extractBytes(utf8: &bytes)
        return HTMLContent(
            text: String(decoding: content.text, as: UTF8.self), urls: content.urls,
            hiddenText: String(decoding: content.hidden, as: UTF8.self))
    }

    /// The same as UTF-8 bytes (libxml2 hands text over as UTF-8), for the tokenizer.
    static func extractBytes(utf8 bytes: inout [UInt8]) -> (text: [UInt8], hidden: [UInt8], urls: [String]) {
        _ = initialized
        guard !bytes.isEmpty else { return ([], [], []) }
        guard let context = htmlNewParserCtxt() else { return (bytes, [], []) }
        defer { htmlFreeParserCtxt(context) }
        var reader = Reader()
        reader.text.reserveCapacity(bytes.count / 2)
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | XML_PARSE_HUGE.rawValue)
        withUnsafeMutablePointer(to: &reader) { readerPointer in
            context.pointee.sax.pointee = saxHandler()
            context.pointee._private = UnsafeMutableRawPointer(readerPointer)
            bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                    // No startDocument callback, so no document is built: the result is nil by design.
                    _ = htmlCtxtReadMemory(context, pointer, Int32(clamping: buffer.count), nil, "UTF-8", options)
                }
            }
        }
        return (reader.text, reader.hidden, reader.urls)
    }

    /// The reader behind a parser context (its `_private` field), from a SAX callback's context argument.
    @inline(__always)
    fileprivate static func reader(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<Reader>? {
        guard let context else { return nil }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        return parser.pointee._private?.assumingMemoryBound(to: Reader.self)
    }

    private static func saxHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.startElement = { context, name, attributes in
            guard let name else { return }
            HTMLText.reader(context)?.pointee.start(name, attributes)
        }
        handler.endElement = { context, name in
            guard let name else { return }
            HTMLText.reader(context)?.pointee.end(name)
        }
        handler.characters = { context, characters, length in
            guard let characters, length > 0 else { return }
            HTMLText.reader(context)?.pointee.characters(UnsafeBufferPointer(start: characters, count: Int(length)))
        }
        handler.ignorableWhitespace = { context, _, _ in
            HTMLText.reader(context)?.pointee.text.append(0x20)
        }
        // Script and style content: never text.
        handler.cdataBlock = { _, _, _ in }
        return handler
    }

    /// What an element passes on to its content.
    struct Style {
        var hidden = false
        var invisible = false
        var background: String? = nil
    }

    /// The state of one HTML part's reading: text so far, links, and a stack of open elements with their styles.
    struct Reader {
        var text: [UInt8] = []
        var hidden: [UInt8] = []
        var urls: [String] = []
        /// Open elements: the parser's interned name pointer, whether it breaks words, the style it gives its content.
        private var open: [(name: UnsafePointer<UInt8>, breaking: Bool, style: Style)] = []

        private var current: Style { open.last?.style ?? Style() }

        mutating func characters(_ characters: UnsafeBufferPointer<UInt8>) {
            let style = current
            if style.invisible { return }
            if style.hidden { hidden.append(contentsOf: characters) } else { text.append(contentsOf: characters) }
        }

        mutating func start(_ name: UnsafePointer<UInt8>, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
            let kind = PackedName(name).flatMap { HTMLText.elementKinds[$0] } ?? ElementKind()
            var style = current
            if kind.invisible { style.invisible = true }
            if !style.invisible {
                if kind.breaking { text.append(0x20) }
                style = visit(attributes, inheriting: style)
            }
            open.append((name, kind.breaking, style))
        }

        mutating func end(_ name: UnsafePointer<UInt8>) {
            // libxml2 closes every element it opened, implied and auto-closed ones included; an end without a
            // matching open element is ignored rather than trusted.
            guard let match = open.lastIndex(where: { $0.name == name || HTMLText.sameName($0.name, name) }) else {
                return
            }
            for closed in open[match...].reversed() where closed.breaking && !closed.style.invisible {
                text.append(0x20)
            }
            open.removeSubrange(match...)
        }

        /// Reads an element's attributes: links, alt/title text, and the style its content inherits.
        private mutating func visit(
            _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, inheriting inherited: Style
        ) -> Style {
            var style = inherited
            guard var attribute = attributes else { return style }
            var color: String? = nil
            var altText: [UInt8] = []
            while let name = attribute.pointee {
                let value = attribute.successor().pointee
                attribute += 2
                guard let kind = PackedName(name).flatMap({ HTMLText.attributeKinds[$0] }) else { continue }
                if kind == .hidden { style.hidden = true; continue }
                guard let value else { continue }
                switch kind {
                case .link:
                    urls.append(String(cString: value))
                case .altText:
                    altText.append(0x20)
                    HTMLText.appendCString(value, to: &altText)
                    altText.append(0x20)
                case .style:
                    let css = Self.compactStyle(value)
                    let declared = Self.declarations(String(decoding: css, as: UTF8.self))
                    if Self.contains(css, "display:none") || Self.contains(css, "visibility:hidden")
                        || Self.tinyFont(declared.fontSize)
                    {
                        style.hidden = true
                    }
                    if let c = declared.color { color = Self.normalizedColor(c) }
                    if let b = declared.backgroundColor ?? declared.background {
                        style.background = Self.normalizedColor(b)
                    }
                case .backgroundColor:
                    style.background = Self.normalizedColor(String(cString: value))
                case .color:
                    color = Self.normalizedColor(String(cString: value))
                case .hidden:
                    break
                }
            }
            if let color, color == (style.background ?? "#ffffff") { style.hidden = true }
            if style.hidden { hidden += altText } else { text += altText }
            return style
        }

        /// A style attribute's bytes in ASCII lower case without white space (`Display: None` → `display:none`).
        static func compactStyle(_ value: UnsafePointer<UInt8>) -> [UInt8] {
            var css: [UInt8] = []
            var p = value
            while p.pointee != 0 {
                let byte = p.pointee
                p += 1
                switch byte {
                case 0x20, 0x09, 0x0A, 0x0D: continue
                case 0x41...0x5A: css.append(byte | 0x20)
                default: css.append(byte)
                }
            }
            return css
        }

        /// Whether `pattern` occurs in `bytes`.
        static func contains(_ bytes: [UInt8], _ pattern: StaticString) -> Bool {
            let needle = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
            guard bytes.count >= needle.count, let first = needle.first else { return false }
            return bytes.withUnsafeBufferPointer { haystack in
                var i = 0
                while i + needle.count <= haystack.count {
                    if haystack[i] == first, memcmp(haystack.baseAddress! + i, needle.baseAddress!, needle.count) == 0 {
                        return true
                    }
                    i += 1
                }
                return false
            }
        }

        /// The properties hidden-text detection reads, from a declaration list without white space (`a:b;c:d`), in
        /// one pass: the first declaration of each wins, a value ends at `!` (`!important`).
        static func declarations(_ css: String) -> (
            color: Substring?, backgroundColor: Substring?, background: Substring?, fontSize: Substring?
        ) {
            var result: (color: Substring?, backgroundColor: Substring?, background: Substring?, fontSize: Substring?) =
                (nil, nil, nil, nil)
            for declaration in css.split(separator: ";") {
                guard let colon = declaration.firstIndex(of: ":") else { continue }
                var value = declaration[declaration.index(after: colon)...]
                if let bang = value.firstIndex(of: "!") { value = value[..<bang] }
                switch declaration[..<colon] {
                case "color": if result.color == nil { result.color = value }
                case "background-color": if result.backgroundColor == nil { result.backgroundColor = value }
                case "background": if result.background == nil { result.background = value }
                case "font-size": if result.fontSize == nil { result.fontSize = value }
                default: break
                }
            }
            return result
        }

        static func tinyFont(_ size: Substring?) -> Bool {
            guard let size else { return false }
            let digits = size.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(digits) else { return false }
            let unit = size.dropFirst(digits.count)
            return (unit == "px" || unit == "pt" || unit.isEmpty) && value <= 2
        }

        /// Lower-case `#rrggbb` for hex and the common names; other values as written.
        static func normalizedColor<S: StringProtocol>(_ raw: S) -> String {
            let value = raw.lowercased().filter { $0 != " " }
            switch value {
            case "white", "#fff": return "#ffffff"
            case "black", "#000": return "#000000"
            default: return value.split(separator: " ").first.map(String.init) ?? value
            }
        }
    }

    fileprivate static func sameName(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>) -> Bool {
        var k = 0
        while a[k] == b[k] {
            if a[k] == 0 { return true }
            k += 1
        }
        return false
    }

    fileprivate static func appendCString(_ pointer: UnsafePointer<xmlChar>, to text: inout [UInt8]) {
        var p = pointer
        while p.pointee != 0 {
            text.append(p.pointee)
            p += 1
        }
    }
}
