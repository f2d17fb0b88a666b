extension StringProtocol {
    /// The string without leading and trailing characters from `set` (by Unicode scalar).
    public func trimming(_ set: String) -> String {
        let characters = Set(set.unicodeScalars)
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, characters.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, characters.contains(last) { scalars.removeLast() }
        return String(scalars)
    }

    /// Without white space (spaces, tabs, line breaks) at either end.
    var trimmedWhitespace: String { trimming(" \t\r\n") }

    /// Without quotes and white space at either end.
    var trimmingQuotes: String { trimming(" \t\r\n\"'") }
}
