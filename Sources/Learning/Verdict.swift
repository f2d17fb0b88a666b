/// A classifier's call on one message.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    case spam, ham, unsure
}
