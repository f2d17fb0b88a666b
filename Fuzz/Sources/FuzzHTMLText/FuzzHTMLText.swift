import TextFeatures

/// Feeds arbitrary bytes to the HTML-to-text extractor (libxml2): no crash, no hang, no leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTMLText(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let content = HTMLText.extract(utf8: &bytes)
    return content.text.utf8.count + content.urls.count == -1 ? 1 : 0
}
