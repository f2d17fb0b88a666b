import HamletTestSupport
import PostgresStore
import SpamStore
import XCTest

final class PostgresLocationTests: XCTestCase {
    let noEnvironment: (String) -> String? = { _ in nil }

    func testLibpqURLsGiveHostPortUserAndDatabase() throws {
        let tcp = try PostgresLocation(
            parsing: "postgresql://mail:s3cr%40t@db.example:6432/hamlet", environment: noEnvironment)
        XCTAssertEqual(tcp.user, "mail")
        XCTAssertEqual(tcp.password, "s3cr@t")
        XCTAssertEqual(tcp.host, "db.example")
        XCTAssertEqual(tcp.port, 6432)
        XCTAssertEqual(tcp.database, "hamlet")
        XCTAssertEqual(tcp.tls, .prefer)
        XCTAssertNil(tcp.socketPath)

        let socket = try PostgresLocation(
            parsing: "postgres:///hamlet?host=/run/postgresql&port=5433&user=filter", environment: noEnvironment)
        XCTAssertEqual(socket.socketPath, "/run/postgresql/.s.PGSQL.5433")
        XCTAssertEqual(socket.user, "filter")
        XCTAssertEqual(socket.tls, .disable, "nothing to encrypt over a Unix socket")

        let required = try PostgresLocation(parsing: "postgresql://u@h/d?sslmode=require", environment: noEnvironment)
        XCTAssertEqual(required.tls, .require)
    }

    func testThePasswordAndUserComeFromTheEnvironmentWhenTheURLHasNone() throws {
        let environment = ["PGPASSWORD": "from-env", "USER": "alice"]
        let location = try PostgresLocation(parsing: "postgresql://db/hamlet") { environment[$0] }
        XCTAssertEqual(location.password, "from-env")
        XCTAssertEqual(location.user, "alice")
        XCTAssertEqual(location.socketPath, nil)
        let withPGUSER = try PostgresLocation(parsing: "postgresql://db/hamlet") { ["PGUSER": "bob", "USER": "x"][$0] }
        XCTAssertEqual(withPGUSER.user, "bob")
    }

    func testThePasswordIsNeverShown() throws {
        let location = try PostgresLocation(
            parsing: "postgresql://mail:hunter2@db:5432/hamlet", environment: noEnvironment)
        XCTAssertFalse(location.description.contains("hunter2"))
        XCTAssertEqual(location.description, "postgresql://mail:***@db:5432/hamlet")
        do {
            _ = try PostgresLocation(parsing: "postgresql://mail:hunter2@db:99999/hamlet", environment: noEnvironment)
            XCTFail("a bad port is an error")
        } catch {
            XCTAssertFalse("\(error)".contains("hunter2"), "\(error)")
            XCTAssertTrue("\(error)".contains("port"), "\(error)")
        }
    }

    func testURLsThatDoNotSayWhereAreRefused() {
        for url in [
            "postgresql://db", "postgresql://db/", "postgresql://db/x?sslmode=verify-full",
            "postgresql://db/x?nonsense=1",
            "postgresql://db/x%zz", "mysql://db/x"
        ] {
            XCTAssertThrowsError(try PostgresLocation(parsing: url, environment: noEnvironment), url) { error in
                guard case StoreError.badLocation = error else { return XCTFail("\(url): \(error)") }
            }
        }
    }
}
