/// Document counts recounted from the stored examples, for `check` in every backend: fed each example's label
/// and token counts, then compared with the vocabulary's stored counts.
public struct DocumentRecount {
    private var counted: [Int32: (spam: Int, ham: Int)] = [:]
    private var known = Set<Int32>()
    private var mismatched = 0

    public init() {}

    public mutating func addExample(isSpam: Bool, counts: [(Int32, Int)]) {
        for (id, _) in counts {
            let old = counted[id] ?? (0, 0)
            counted[id] = isSpam ? (old.spam + 1, old.ham) : (old.spam, old.ham + 1)
        }
    }

    /// A vocabulary entry's stored counts, compared with the recount.
    public mutating func compare(id: Int32, storedSpam: Int, storedHam: Int) {
        known.insert(id)
        let recounted = counted[id] ?? (0, 0)
        if recounted.spam != storedSpam || recounted.ham != storedHam { mismatched += 1 }
    }

    /// What disagreed, after every example and every vocabulary entry was given.
    public var problems: [String] {
        var problems: [String] = []
        if mismatched > 0 {
            problems.append("\(mismatched) tokens have document counts that disagree with the examples")
        }
        let unknown = counted.keys.filter { !known.contains($0) }.count
        if unknown > 0 { problems.append("examples name \(unknown) token ids missing from the vocabulary") }
        return problems
    }
}
