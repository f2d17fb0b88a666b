import HamletTestSupport
import XCTest

extension XCTestCase {
    /// A private PostgreSQL server for this test, or a skip when there can be none (a failure under CI, which
    /// installs PostgreSQL).
    func privatePostgres() throws -> PrivatePostgres {
        do {
            return try PrivatePostgres()
        } catch let unavailable as PrivatePostgres.Unavailable where !TestSupport.isCI {
            throw XCTSkip(unavailable.reason)
        }
    }
}
