import Foundation

/// Helpers shared by Hamlet's test targets: temporary folders, the repository's paths, the shared corpus.
public enum TestSupport {
    /// The package's root folder (found from this file's path).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled sample corpus, `corpus/`.
    public static var sampleCorpus: URL { packageRoot.appendingPathComponent("corpus") }

    /// `../shared/corpora/spamassassin` beside the repository, if present.
    public static var spamAssassinCorpus: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora/spamassassin")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Settings for tests about delivery mechanics on stores trained on the sample corpus. Its 66 ham make a
    /// young store, whose raised spam threshold leaves some of its spam unsure; these tests are about where mail
    /// goes, not about that rule (which has tests of its own), so they turn it off.
    public static let matureStoreSettings = "[filter]\nyoung_store_ham = 0\n"

    /// Writes `matureStoreSettings` as the configuration file `hamlet` reads under this config folder
    /// (`$XDG_CONFIG_HOME`, or `~/.config`).
    public static func writeMatureStoreSettings(configHome: URL, extra: String = "") throws {
        let folder = configHome.appendingPathComponent("hamlet")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try (matureStoreSettings + extra).write(
            to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    }

    /// True when running under CI, where tests that need a tool must fail rather than skip.
    /// A loopback TCP port nothing listens on now.
    public static func freeLoopbackPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 ? getsockname(fd, pointer, &length) : -1
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A fresh private folder, removed by `remove()`.
    public static func temporaryDirectory(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hamlet-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    /// Bytes of a string (tests write messages as string literals).
    public static func bytes(_ text: String, crlf: Bool = false) -> [UInt8] {
        Array((crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text).utf8)
    }

    /// Every n-th file under a folder, for sampled corpus tests (sorted, deterministic).
    public static func sample(of folder: URL, every n: Int) -> [URL] {
        guard
            let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url)
        }
        files.sort { $0.path < $1.path }
        return stride(from: 0, to: files.count, by: n).map { files[$0] }
    }
}
