import Learning

/// The token ids of a few examples numbered 0, 1, 2, ... in first-seen order, so that an update on those
/// examples works on a small local model (its cost follows the examples, not the store).
struct LocalTokenIndex {
    /// Local number → store id.
    private(set) var storeIDs: [Int32] = []
    private var localByStoreID: [Int32: Int32] = [:]

    init<S: Sequence>(_ countLists: S) where S.Element == [(Int32, Int)] {
        for counts in countLists {
            for (id, _) in counts where localByStoreID[id] == nil {
                localByStoreID[id] = Int32(storeIDs.count)
                storeIDs.append(id)
            }
        }
    }

    /// The local number of a store id, nil if none of the examples has it.
    subscript(storeID: Int32) -> Int32? { localByStoreID[storeID] }

    /// A vector over store ids, renumbered locally (every id must be one of the examples').
    func remap(_ vector: SparseVector) -> SparseVector {
        SparseVector(unsortedPairs: zip(vector.indices, vector.values).map { (localByStoreID[$0.0]!, $0.1) })
    }
}
