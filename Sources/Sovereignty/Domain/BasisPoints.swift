import Foundation

/// Shares and scores are kept as integer basis points (1/10000) so that comparisons with
/// thresholds and targets are exact.
public enum BasisPoints {
    /// `6500` → `"0.65"`, `10000` → `"1"`, `1234` → `"0.1234"`.
    public static func decimal(_ bp: Int) -> String {
        let sign = bp < 0 ? "-" : ""
        let whole = abs(bp) / 10000, fraction = abs(bp) % 10000
        guard fraction != 0 else { return "\(sign)\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 4 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }

    /// `2345` → `"23.5%"` (one decimal, half up).
    public static func percent(_ bp: Int) -> String { tenths(bp) + "%" }

    /// A difference of shares in percentage points: `-235` → `"-2.4"`, `120` → `"+1.2"`.
    public static func points(_ bp: Int) -> String { (bp > 0 ? "+" : "") + tenths(bp) }

    private static func tenths(_ bp: Int) -> String {
        let sign = bp < 0 ? "-" : ""
        let t = (abs(bp) + 5) / 10
        return "\(sign)\(t / 10).\(t % 10)"
    }

    /// A share 0…1 rounded to basis points.
    public static func of(_ numerator: Double, over denominator: Double) -> Int? {
        guard denominator > 0 else { return nil }
        return Int((numerator / denominator * 10000).rounded())
    }

    /// Parses a decimal such as `0.65` (at most 4 decimals) into basis points.
    public static func parse(decimal text: String) -> Int? {
        parse(text.trimmingCharacters(in: .whitespaces), scale: 4)
    }

    /// Parses a percentage such as `30`, `30.5` or `30.25%` (at most 2 decimals) into basis points.
    public static func parse(percent text: String) -> Int? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") || t.hasSuffix("％") { t.removeLast() }
        return parse(t.trimmingCharacters(in: .whitespaces), scale: 2)
    }

    /// A JSON decimal (0.65) into basis points, nil when it has more than 4 decimals.
    public static func from(_ value: Decimal) -> Int? {
        var scaled = value * 10000
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, abs(rounded) <= 1_000_000_000 else { return nil }
        return NSDecimalNumber(decimal: rounded).intValue
    }

    /// Digits with an optional fraction of at most `scale` digits, in units of 1/10^scale.
    private static func parse(_ text: String, scale: Int) -> Int? {
        let halfWidth = String(text.unicodeScalars.map { scalar -> Character in
            // Full-width digits and point, as typed with a Japanese input method.
            if (0xFF10...0xFF19).contains(scalar.value) { return Character(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!) }
            if scalar.value == 0xFF0E { return "." }
            return Character(scalar)
        })
        let parts = halfWidth.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 6,
              parts[0].allSatisfy(\.isASCIIDigit), let whole = Int(parts[0]) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let f = parts[1]
            guard !f.isEmpty, f.count <= scale, f.allSatisfy(\.isASCIIDigit) else { return nil }
            fraction = Int(f + String(repeating: "0", count: scale - f.count))!
        }
        var pow = 1
        for _ in 0..<scale { pow *= 10 }
        // A decimal with 4 places and a percentage with 2 places are both in basis points.
        return whole * pow + fraction
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
