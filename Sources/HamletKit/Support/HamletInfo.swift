/// Hamlet's version, shown by `--version` and in `X-Spam-Status`.
public enum HamletInfo {
    public static let version = "0.1.0"
}
