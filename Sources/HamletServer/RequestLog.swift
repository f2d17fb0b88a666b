import HamletKit

#if canImport(Glibc)
    import Glibc
#endif

/// Where the daemon writes its one line per request: standard error (which systemd's journal keeps), syslog's
/// mail facility (as spamd logs), or nowhere.
public enum RequestLog: String, Sendable, CaseIterable {
    case stderr, syslog, none

    /// Opens syslog under the daemon's name when that is the destination.
    public func open() {
        if self == .syslog { openlog("hamlet-serve", LOG_PID | LOG_NDELAY, LOG_MAIL) }
    }

    /// Writes one line (a request, or the daemon's own news).
    public func line(_ text: String) {
        switch self {
        case .stderr: StandardError.line("serve: " + text)
        case .syslog:
            text.withCString { line in withVaList([line]) { vsyslog(LOG_INFO, "%s", $0) } }
        case .none: break
        }
    }
}
