import HamletKit
import Learning
import MailParser
import TextFeatures

/// The whole filter path from bytes to verdict: analysis (parse, HTML, tokens, digest), scoring with a small
/// fixed model, and the rewrite of the message with Hamlet's header fields, which must keep the input intact.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFilterPath(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let analysis = MessageAnalysis(SourcedMessage(id: "fuzz", bytes: bytes), settings: FeatureSettings())
    let vocabulary = Vocabulary(["free": Int32(0), "money": 1, "the": 2, "subject:free": 3])
    let model = LogisticRegression(weights: [1.5, 1.0, -0.5, 2.0], bias: -0.2)
    let vector = FeatureSettings().vector(bag: analysis.tokens, vocabulary: vocabulary)
    let result = Classification(id: "fuzz", logit: model.logit(vector), thresholds: .standard)
    let output = FilterRewriter.rewrite(bytes, adding: [("X-Spam-Flag", result.verdict == .spam ? "YES" : "NO"),
                                                        ("X-Hamlet-Verdict", result.verdict.rawValue)])
    // The contract: removing Hamlet's fields from the output gives the input minus its own Hamlet fields.
    precondition(output.count >= bytes.count - RawHeaderBlock(bytes).fields
        .filter { FilterRewriter.isHamletField($0.lowercasedName) }.reduce(0) { $0 + $1.range.count })
    return 0
}
