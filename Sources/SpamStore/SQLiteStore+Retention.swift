/// The examples' ages, for retention (`Trainer`'s expiry) and `hamlet stats`. These read every example's
/// `learned_at`: the trainer and `stats` ask, never the delivery path.
extension SQLiteStore {
    public func oldestExampleLearnedAt() throws -> Int64? {
        let statement = try database.prepare("SELECT min(learned_at) FROM examples")
        guard try statement.step(), !statement.isNull(0) else { return nil }
        defer { statement.reset() }
        return statement.int(0)
    }

    public func digestsToExpire(learnedBefore cutoff: Int64?, keepingNewest newest: Int?) throws -> [String] {
        // Oldest first; the same instant is broken by digest, so that which of a batch goes is deterministic.
        let statement = try database.prepare(
            """
            SELECT digest FROM examples
            WHERE learned_at < ?1
               OR digest NOT IN (SELECT digest FROM examples ORDER BY learned_at DESC, digest DESC LIMIT ?2)
            ORDER BY learned_at, digest
            """)
        statement.bind(1, cutoff ?? Int64.min).bind(2, newest.map(Int64.init) ?? -1)
        var digests: [String] = []
        while try statement.step() { digests.append(statement.string(0) ?? "") }
        statement.reset()
        return digests
    }

    public func examplesLearned(since times: [Int64]) throws -> [Int] {
        let statement = try database.prepare("SELECT count(*) FROM examples WHERE learned_at >= ?")
        defer { statement.reset() }
        return try times.map { time in
            statement.reset()
            statement.bind(1, time)
            _ = try statement.step()
            return Int(statement.int(0))
        }
    }
}
