import NIOConcurrencyHelpers

/// What `GET /metrics` reports, in Prometheus's text format: messages scored by verdict, a latency histogram,
/// errors, and the requests served by protocol. Shared by every connection.
public final class ServerMetrics: @unchecked Sendable {
    /// The upper bounds of the latency histogram's buckets, in seconds.
    static let buckets: [Double] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1]
    private let lock = NIOLock()
    // Guarded by `lock`.
    private var verdicts: [String: Int] = [:]
    private var bucketCounts = [Int](repeating: 0, count: buckets.count)
    private var latencySum = 0.0
    private var latencyCount = 0
    private var errors = 0
    private var requests: [String: Int] = [:]

    public init() {}

    func scored(verdict: String, seconds: Double) {
        lock.withLock {
            verdicts[verdict, default: 0] += 1
            latencySum += seconds
            latencyCount += 1
            for (k, bound) in Self.buckets.enumerated() where seconds <= bound { bucketCounts[k] += 1 }
        }
    }

    func failed() { lock.withLock { errors += 1 } }

    func request(_ protocolName: String) { lock.withLock { requests[protocolName, default: 0] += 1 } }

    /// The exposition text.
    func text() -> String {
        lock.withLock {
            var lines = [
                "# HELP hamlet_messages_total Messages scored, by verdict.", "# TYPE hamlet_messages_total counter"
            ]
            for verdict in ["spam", "ham", "unsure"] {
                lines.append("hamlet_messages_total{verdict=\"\(verdict)\"} \(verdicts[verdict] ?? 0)")
            }
            lines += [
                "# HELP hamlet_scoring_seconds Time to score a message.", "# TYPE hamlet_scoring_seconds histogram"
            ]
            for (k, bound) in Self.buckets.enumerated() {
                lines.append("hamlet_scoring_seconds_bucket{le=\"\(bound)\"} \(bucketCounts[k])")
            }
            lines += [
                "hamlet_scoring_seconds_bucket{le=\"+Inf\"} \(latencyCount)",
                "hamlet_scoring_seconds_sum \(latencySum)", "hamlet_scoring_seconds_count \(latencyCount)",
                "# HELP hamlet_errors_total Messages that could not be scored.", "# TYPE hamlet_errors_total counter",
                "hamlet_errors_total \(errors)",
                "# HELP hamlet_requests_total Requests served, by protocol.", "# TYPE hamlet_requests_total counter"
            ]
            for name in requests.keys.sorted() {
                lines.append("hamlet_requests_total{protocol=\"\(name)\"} \(requests[name] ?? 0)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
