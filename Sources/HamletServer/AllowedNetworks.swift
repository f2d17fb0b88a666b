import Platform

/// The client addresses a TCP listener serves, as spamd's `--allowed-ips`: networks written `ADDRESS/BITS`
/// (IPv4 or IPv6; a bare address is one host). Loopback only unless the operator says otherwise.
public struct AllowedNetworks: Sendable {
    struct Network: Sendable {
        var bytes: [UInt8]
        var bits: Int
    }

    var networks: [Network]

    public static let loopback = AllowedNetworks(networks: [
        Network(bytes: [127, 0, 0, 0], bits: 8), Network(bytes: [UInt8](repeating: 0, count: 15) + [1], bits: 128)
    ])

    /// Parses `10.0.0.0/8,192.0.2.7,::1`; nil names the first entry that is not a network.
    public init(parsing list: String) throws {
        networks = []
        for entry in list.split(separator: ",").map({ String($0.filter { $0 != " " }) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.addressBytes(parts[0]) else { throw InvalidNetwork(entry: entry) }
            let bits = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let bits, bits >= 0, bits <= bytes.count * 8 else { throw InvalidNetwork(entry: entry) }
            networks.append(Network(bytes: bytes, bits: bits))
        }
    }

    init(networks: [Network]) { self.networks = networks }

    /// Whether a client at `address` (dotted or colon notation) may connect.
    public func allows(_ address: String) -> Bool {
        guard var bytes = Self.addressBytes(address) else { return false }
        // An IPv4 client on an IPv6 socket arrives as ::ffff:a.b.c.d.
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12...])
        }
        return networks.contains { network in
            guard network.bytes.count == bytes.count else { return false }
            for bit in 0..<network.bits {
                let mask = UInt8(0x80) >> UInt8(bit % 8)
                if network.bytes[bit / 8] & mask != bytes[bit / 8] & mask { return false }
            }
            return true
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// A `--allow` entry that is not an address or network.
public struct InvalidNetwork: Error, CustomStringConvertible {
    public var entry: String
    public var description: String { "\(entry) is not an address or a network such as 10.0.0.0/8" }
}
