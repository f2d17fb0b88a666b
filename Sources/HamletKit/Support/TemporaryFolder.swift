import MailParser

import Platform

/// A private temporary folder (mkdtemp), removed with everything in it.
struct TemporaryFolder {
    let path: String

    init() throws {
        let base = ProcessEnvironment.current["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/hamlet-evaluate-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw HamletError.io("cannot create a temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    func remove() {
        if let names = try? Mailbox.listDirectoryEntries(path) {
            for name in names { unlink(path + "/" + name) }
        }
        rmdir(path)
    }
}
