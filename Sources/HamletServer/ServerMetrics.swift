import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

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
    private var refusedConnections = 0
    private var siteModel: (id: Int64, updatedAt: Int64)?
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

    /// The site store's model the daemon now scores with: its version and when it was last written (Unix seconds).
    func siteModelLoaded(id: Int64, updatedAt: Int64) { lock.withLock { siteModel = (id, updatedAt) } }

    func refusedConnection() { lock.withLock { refusedConnections += 1 } }

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
                "# HELP hamlet_refused_connections_total Connections closed at once: the connection limit was reached.",
                "# TYPE hamlet_refused_connections_total counter",
                "hamlet_refused_connections_total \(refusedConnections)",
                "# HELP hamlet_requests_total Requests served, by protocol.", "# TYPE hamlet_requests_total counter"
            ]
            for name in requests.keys.sorted() {
                lines.append("hamlet_requests_total{protocol=\"\(name)\"} \(requests[name] ?? 0)")
            }
            if let siteModel {
                lines += [
                    "# HELP hamlet_model_version The site model's version (its id in the store).",
                    "# TYPE hamlet_model_version gauge", "hamlet_model_version \(siteModel.id)",
                    "# HELP hamlet_model_age_seconds Seconds since the site model was last written.",
                    "# TYPE hamlet_model_age_seconds gauge",
                    "hamlet_model_age_seconds \(max(0, Int64(time(nil)) - siteModel.updatedAt))"
                ]
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
