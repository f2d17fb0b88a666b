import CLibXML2
import MailParser

/// What a reader sees of an HTML part: its visible text (with `alt` and `title` text), and the link targets
/// (`href`, `src`, `action`). Parsed by libxml2's HTML parser in recover mode with network access and entity
/// loading off; script, style and comments never reach the text.
public struct HTMLContent: Sendable, Equatable {
    public var text: String
    public var urls: [String]
}

/// Converts HTML to text through libxml2. The input must already be UTF-8 (convert with `Charset` first:
/// libxml2 stops at the first byte invalid in a declared charset).
public enum HTMLText {
    private static let initialized: Bool = {
        hamlet_xml_init_quiet()
        return true
    }()

    /// Elements whose content is never shown to a reader.
    private static let invisible: Set<String> = ["script", "style", "head", "template", "object", "applet", "xml"]
    /// Elements that break words apart (block-level or line-breaking).
    private static let breaking: Set<String> = [
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
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count / 2)
        var urls: [String] = []
        walk(xmlDocGetRootElement(document), text: &text, urls: &urls)
        return HTMLContent(text: String(decoding: text, as: UTF8.self), urls: urls)
    }

    /// Iterative depth-first walk (no recursion: hostile HTML nests very deep).
    private static func walk(_ root: xmlNodePtr?, text: inout [UInt8], urls: inout [String]) {
        var node = root
        while let current = node {
            var descend = false
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { appendCString(content, to: &text) }
            case XML_ELEMENT_NODE:
                let name = current.pointee.name.map { String(cString: $0) } ?? ""
                if !invisible.contains(name) {
                    descend = true
                    if breaking.contains(name) { text.append(0x20) }
                    collectAttributes(current, name: name, text: &text, urls: &urls)
                }
            default:
                break  // comments, processing instructions, DTD nodes: not text
            }
            if descend, let child = current.pointee.children {
                node = child
                continue
            }
            // Next sibling, or climb until an ancestor has one.
            var climb: xmlNodePtr? = current
            node = nil
            while let c = climb {
                if c == root { break }
                if c.pointee.type == XML_ELEMENT_NODE, let n = c.pointee.name, isBreaking(n) { text.append(0x20) }
                if let next = c.pointee.next { node = next; break }
                climb = c.pointee.parent
            }
        }
    }

    private static func isBreaking(_ name: UnsafePointer<xmlChar>) -> Bool {
        breaking.contains(String(cString: name))
    }

    private static func collectAttributes(_ node: xmlNodePtr, name: String, text: inout [UInt8], urls: inout [String]) {
        var attribute = node.pointee.properties
        while let a = attribute {
            defer { attribute = a.pointee.next }
            guard let attributeName = a.pointee.name else { continue }
            let key = String(cString: attributeName).lowercased()
            let isURL = key == "href" || key == "src" || key == "action" || key == "background"
            let isText = key == "alt" || key == "title"
            guard isURL || isText, let value = xmlNodeListGetString(node.pointee.doc, a.pointee.children, 1) else { continue }
            defer { hamlet_xmlFree(value) }
            if isURL {
                urls.append(String(cString: value))
            } else {
                text.append(0x20)
                appendCString(value, to: &text)
                text.append(0x20)
            }
        }
    }

    private static func appendCString(_ pointer: UnsafePointer<xmlChar>, to text: inout [UInt8]) {
        var p = pointer
        while p.pointee != 0 {
            text.append(p.pointee)
            p += 1
        }
    }
}
