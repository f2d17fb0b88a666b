/// A number with exactly `decimals` digits after the point (no Foundation needed).
public func formatFixed(_ value: Double, decimals: Int) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let negative = value < 0
    let scaled = (abs(value) * scale).rounded()
    if scaled >= 9.0e15 { return String(value) }
    let integer = UInt64(scaled)
    let whole = integer / UInt64(scale)
    var fraction = String(integer % UInt64(scale))
    while fraction.count < decimals { fraction = "0" + fraction }
    let sign = negative && integer != 0 ? "-" : ""
    return decimals > 0 ? "\(sign)\(whole).\(fraction)" : "\(sign)\(whole)"
}
