/// Whether a token is a word of the message's text or a sign about the message. Words are the body text's plain
/// words and its `cjk:`, `pair:` and `skip:` tokens; signs are the tokens in a namespace of their own: `subject:`
/// and `from:` words, header tokens, `url:` and `attach:` tokens, `hidden:` text and `shape:` tokens. (A plain word
/// never holds a colon: the tokenizer splits there.)
///
/// Split normalisation scales each group to unit length on its own, so a long text does not drown the signs of its
/// headers and links, nor do they outweigh a short text's words.
public enum TokenKind: Sendable {
    case word
    case sign

    /// The kind of a token given as its UTF-8 bytes.
    @inlinable
    public static func of(_ token: UnsafeBufferPointer<UInt8>) -> TokenKind {
        guard let colon = token.firstIndex(of: 0x3A) else { return .word }
        return isWordNamespace(UnsafeBufferPointer(rebasing: token[..<colon])) ? .word : .sign
    }

    /// The kind of a token given as a string.
    public static func of(_ token: String) -> TokenKind {
        var token = token
        return token.withUTF8 { of($0) }
    }

    /// `cjk`, `pair` or `skip`: namespaces of tokens that stand for words of the text.
    @usableFromInline
    static func isWordNamespace(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        switch name.count {
        case 3: return name[0] == 0x63 && name[1] == 0x6A && name[2] == 0x6B  // cjk
        case 4:
            return (name[0] == 0x70 && name[1] == 0x61 && name[2] == 0x69 && name[3] == 0x72)  // pair
                || (name[0] == 0x73 && name[1] == 0x6B && name[2] == 0x69 && name[3] == 0x70)  // skip
        default: return false
        }
    }
}
