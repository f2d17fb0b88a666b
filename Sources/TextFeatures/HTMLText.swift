import CLibXML2
import MailParser

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

/// Converts HTML to text through libxml2. The input must already be UTF-8 (convert with `Charset` first:
/// libxml2 stops at the first byte invalid in a declared charset).
public enum HTMLText {
    private static let initialized: Bool = {
        hamlet_xml_init_quiet()
        return true
    }()

    /// Elements whose content is never shown to a reader.
    fileprivate static let invisible: Set<String> = ["script", "style", "template", "object", "applet", "xml", "noembed"]
    /// Elements that break words apart (block-level or line-breaking).
    fileprivate static let breaking: Set<String> = [
        "p", "div", "br", "td", "th", "tr", "li", "ul", "ol", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "blockquote", "pre", "center", "dd", "dt", "dl", "form", "option", "select", "title", "body",
        "html", "address", "section", "article", "header", "footer", "nav", "img", "input", "textarea", "button",
        "caption", "frame", "iframe", "area", "map",
    ]

    public static func extract(_ html: String) -> HTMLContent {
        var bytes = Array(html.utf8)
        return extract(utf8: &bytes)
    }

    public static func extract(utf8 bytes: inout [UInt8]) -> HTMLContent {
        _ = initialized
        guard !bytes.isEmpty else { return HTMLContent(text: "", urls: []) }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | XML_PARSE_HUGE.rawValue)
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                htmlReadMemory(pointer, Int32(clamping: buffer.count), nil, "UTF-8", options)
            }
        }
        guard let document else { return HTMLContent(text: String(decoding: bytes, as: UTF8.self), urls: []) }
        defer { xmlFreeDoc(document) }
        var walker = Walker()
        walker.text.reserveCapacity(bytes.count / 2)
        walker.walk(xmlDocGetRootElement(document))
        return HTMLContent(text: String(decoding: walker.text, as: UTF8.self), urls: walker.urls,
                           hiddenText: String(decoding: walker.hidden, as: UTF8.self))
    }

    /// What an element passes on to its content.
    struct Style {
        var hidden = false
        var background: String? = nil
    }

    /// Iterative depth-first walk (no recursion: hostile HTML nests very deep), with a stack of inherited styles.
    struct Walker {
        var text: [UInt8] = []
        var hidden: [UInt8] = []
        var urls: [String] = []
        private var styles: [Style] = [Style()]

        mutating func walk(_ root: xmlNodePtr?) {
            var node = root
            while let current = node {
                var descend = false
                switch current.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = current.pointee.content {
                        if styles[styles.count - 1].hidden { appendCString(content, to: &hidden) } else { appendCString(content, to: &text) }
                    }
                case XML_ELEMENT_NODE:
                    let name = current.pointee.name.map { String(cString: $0) } ?? ""
                    if !invisible.contains(name) {
                        if breaking.contains(name) { text.append(0x20) }
                        let style = visit(current)
                        if current.pointee.children != nil {
                            styles.append(style)
                            descend = true
                        }
                    }
                default:
                    break  // comments, processing instructions, DTD nodes: not text
                }
                if descend, let child = current.pointee.children {
                    node = child
                    continue
                }
                // Next sibling, or climb (leaving each parent's content) until an ancestor has one.
                var climb: xmlNodePtr? = current
                node = nil
                while let c = climb {
                    if c == root { break }
                    if let next = c.pointee.next { node = next; break }
                    climb = c.pointee.parent
                    if let parent = climb {
                        styles.removeLast()
                        if parent.pointee.type == XML_ELEMENT_NODE, let n = parent.pointee.name, isBreaking(n) { text.append(0x20) }
                    }
                }
            }
        }

        /// Reads an element's attributes: links, alt/title text, and the style its content inherits.
        private mutating func visit(_ element: xmlNodePtr) -> Style {
            var style = styles[styles.count - 1]
            var color: String? = nil
            var altText: [UInt8] = []
            var attribute = element.pointee.properties
            while let a = attribute {
                defer { attribute = a.pointee.next }
                guard let attributeName = a.pointee.name,
                      let value = xmlNodeListGetString(element.pointee.doc, a.pointee.children, 1) else { continue }
                defer { hamlet_xmlFree(value) }
                switch String(cString: attributeName).lowercased() {
                case "href", "src", "action", "background":
                    urls.append(String(cString: value))
                case "alt", "title":
                    altText.append(0x20)
                    appendCString(value, to: &altText)
                    altText.append(0x20)
                case "style":
                    let css = String(cString: value).lowercased().filter { $0 != " " && $0 != "\t" && $0 != "\n" && $0 != "\r" }
                    if css.contains("display:none") || css.contains("visibility:hidden") || Self.tinyFont(css) { style.hidden = true }
                    if let c = Self.property("color", in: css) { color = Self.normalizedColor(c) }
                    if let b = Self.property("background-color", in: css) ?? Self.property("background", in: css) {
                        style.background = Self.normalizedColor(b)
                    }
                case "bgcolor":
                    style.background = Self.normalizedColor(String(cString: value))
                case "color":
                    color = Self.normalizedColor(String(cString: value))
                case "hidden":
                    style.hidden = true
                default:
                    break
                }
            }
            if let color, color == (style.background ?? "#ffffff") { style.hidden = true }
            if style.hidden { hidden += altText } else { text += altText }
            return style
        }

        /// The value of a CSS property in a declaration list without white space (`a:b;c:d`).
        static func property(_ name: String, in css: String) -> String? {
            for declaration in css.split(separator: ";") {
                guard let colon = declaration.firstIndex(of: ":"), declaration[..<colon] == name else { continue }
                let value = declaration[declaration.index(after: colon)...]
                return value.split(separator: "!").first.map(String.init) ?? String(value)
            }
            return nil
        }

        static func tinyFont(_ css: String) -> Bool {
            guard let size = property("font-size", in: css) else { return false }
            let digits = size.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(digits) else { return false }
            let unit = size.dropFirst(digits.count)
            return (unit == "px" || unit == "pt" || unit.isEmpty) && value <= 2
        }

        /// Lower-case `#rrggbb` for hex and the common names; other values as written.
        static func normalizedColor(_ raw: String) -> String {
            let value = raw.lowercased().filter { $0 != " " }
            switch value {
            case "white", "#fff": return "#ffffff"
            case "black", "#000": return "#000000"
            default: return value.split(separator: " ").first.map(String.init) ?? value
            }
        }
    }

    private static func isBreaking(_ name: UnsafePointer<xmlChar>) -> Bool {
        breaking.contains(String(cString: name))
    }

    fileprivate static func appendCString(_ pointer: UnsafePointer<xmlChar>, to text: inout [UInt8]) {
        var p = pointer
        while p.pointee != 0 {
            text.append(p.pointee)
            p += 1
        }
    }
}
