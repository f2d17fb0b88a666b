import XCTest

@testable import HamletServer

final class AllowedNetworksTests: XCTestCase {
    func testNetworksContainTheirAddressesAndNoOthers() throws {
        let allowed = try AllowedNetworks(parsing: "10.0.0.0/8, 192.0.2.7, 2001:db8::/32")
        XCTAssertTrue(allowed.allows("10.200.3.4"))
        XCTAssertTrue(allowed.allows("192.0.2.7"))
        XCTAssertFalse(allowed.allows("192.0.2.8"))
        XCTAssertTrue(allowed.allows("2001:db8:1::5"))
        XCTAssertFalse(allowed.allows("2001:db9::1"))
        XCTAssertTrue(allowed.allows("::ffff:10.1.1.1"), "an IPv4 client on an IPv6 socket")
        XCTAssertFalse(allowed.allows("not an address"))
        XCTAssertTrue(AllowedNetworks.loopback.allows("127.0.0.1"))
        XCTAssertTrue(AllowedNetworks.loopback.allows("::1"))
        XCTAssertFalse(AllowedNetworks.loopback.allows("192.168.1.1"))
        XCTAssertThrowsError(try AllowedNetworks(parsing: "10.0.0.0/33"))
        XCTAssertThrowsError(try AllowedNetworks(parsing: "example.org"))
    }
}
