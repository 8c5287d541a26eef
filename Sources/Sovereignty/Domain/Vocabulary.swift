import Foundation
import ShinraiKit

/// What is offered: a product, a service, or infrastructure (cloud regions, data centres,
/// compute and edge sites — where §1.5's domestic compute base is recorded).
public enum OfferingKind: String, Codable, CaseIterable, Sendable {
    case product
    case service
    case infrastructure
}

/// The kind of an infrastructure site.
public enum SiteType: String, Codable, CaseIterable, Sendable {
    case cloudRegion = "cloud-region"
    case dataCentre = "data-centre"
    case computeCluster = "compute-cluster"
    case edgeSite = "edge-site"
}

/// Foreign laws under which a government can compel a company to disclose data it holds,
/// wherever the data is stored.
public enum ForeignLaw: String, Codable, CaseIterable, Sendable {
    /// Clarifying Lawful Overseas Use of Data Act (United States, 2018).
    case usCloudAct = "us-cloud-act"
    /// Foreign Intelligence Surveillance Act, section 702 (United States).
    case usFISA702 = "us-fisa-702"
    /// 国家情报法 (People's Republic of China, 2017).
    case cnNationalIntelligenceLaw = "cn-national-intelligence-law"
    /// Any other law with the same effect (described in the note).
    case other
}

/// Whether the declaring organisation is public sector or private.
public enum Sector: String, Codable, CaseIterable, Sendable {
    case government
    case `private`

    /// National government bodies and municipalities are the public sector.
    public init(_ kind: OrganisationKind) {
        self = kind == .government || kind == .municipality ? .government : .private
    }
}

/// A vendor profile is self-declared until the operating agency has checked its evidence.
public enum ProfileStatus: String, Codable, CaseIterable, Sendable {
    case declared
    case verified
}

/// Japanese fiscal years (年度) run from 1 April to 31 March.
public enum FiscalYear {
    /// The earliest year a declaration or target may name.
    public static let earliest = 2000
    /// The latest year a target may name.
    public static let latestTarget = 2100

    /// The fiscal year of an instant, in Japan time.
    public static func of(_ date: Date) -> Int {
        let c = JapaneseDate.components(date)
        return c.month >= 4 ? c.year : c.year - 1
    }

    /// `2025年度（令和7年度）` / `FY2025`.
    public static func label(_ year: Int, _ language: UILanguage) -> String {
        guard language == .ja else { return "FY\(year)" }
        if let era = JapaneseDate.wareki(year: year, month: 4, day: 1) {
            return "\(year)年度（\(era.era)\(era.year == 1 ? "元" : String(era.year))年度）"
        }
        return "\(year)年度"
    }

    /// Short label for chart axes: `2025年度` / `FY2025`.
    public static func shortLabel(_ year: Int, _ language: UILanguage) -> String {
        language == .ja ? "\(year)年度" : "FY\(year)"
    }
}

extension FiscalYear {
    /// Reads `2025`, `2025年度`, `FY2025`, `令和7年度`, `令和7`, `R7`, `平成31年度` (full-width digits too).
    public static func parse(_ text: String) -> Int? {
        var t = String(text.unicodeScalars.map { scalar -> Character in
            if (0xFF10...0xFF19).contains(scalar.value) { return Character(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!) }
            if (0xFF21...0xFF3A).contains(scalar.value) { return Character(UnicodeScalar(scalar.value - 0xFF21 + 0x41)!) }
            return Character(scalar)
        }).trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["年度", "年"] where t.hasSuffix(suffix) { t.removeLast(suffix.count) }
        if t.hasPrefix("FY") { t.removeFirst(2) }
        let eras: [(prefixes: [String], start: Int)] = [(["令和", "R"], 2018), (["平成", "H"], 1988)]
        for era in eras {
            for prefix in era.prefixes where t.hasPrefix(prefix) {
                let rest = t.dropFirst(prefix.count)
                if rest == "元" { return era.start + 1 }
                guard !rest.isEmpty, rest.count <= 2, rest.allSatisfy(\.isASCIIDigit), let n = Int(rest), n >= 1 else { return nil }
                return era.start + n
            }
        }
        guard t.count == 4, t.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(t)
    }
}
