import Foundation
import ShinraiKit

/// TSE market segments (since April 2022), plus TOKYO PRO Market and "other" for regional exchanges.
public enum MarketSegment: String, Codable, Sendable, CaseIterable {
    case prime, standard, growth
    case tokyoProMarket = "tokyo-pro-market"
    case other

    public func label(_ language: UILanguage) -> String {
        switch (self, language) {
        case (.prime, .ja): return "プライム市場"
        case (.standard, .ja): return "スタンダード市場"
        case (.growth, .ja): return "グロース市場"
        case (.tokyoProMarket, .ja): return "TOKYO PRO Market"
        case (.other, .ja): return "その他の市場"
        case (.prime, .en): return "Prime"
        case (.standard, .en): return "Standard"
        case (.growth, .en): return "Growth"
        case (.tokyoProMarket, .en): return "TOKYO PRO Market"
        case (.other, .en): return "Other market"
        }
    }

    /// Accepts the code and the Japanese or English label (CSV imports use either).
    public static func parse(_ text: String) -> MarketSegment? {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let segment = MarketSegment(rawValue: key) { return segment }
        return allCases.first { $0.label(.ja) == text.trimmingCharacters(in: .whitespaces) || $0.label(.en).lowercased() == key }
            ?? (["プライム": .prime, "スタンダード": .standard, "グロース": .growth] as [String: MarketSegment])[text.trimmingCharacters(in: .whitespaces)]
    }
}

/// Fiscal years are named by the calendar year in which they start (年度): with a March year
/// end, fiscal year 2025 runs from April 2025 to March 2026 (「2026年3月期」); with a December
/// year end, fiscal year 2025 is the calendar year 2025.
public enum FiscalYear {
    public static let supported: ClosedRange<Int> = 2000...2099

    /// The last day of fiscal year `year` for a company whose year ends in `endMonth`.
    public static func endDate(_ year: Int, endMonth: Int) -> LocalDate {
        let endYear = endMonth == 12 ? year : year + 1
        return LocalDate(year: endYear, month: endMonth, day: LocalDate.daysInMonth(year: endYear, month: endMonth))!
    }

    /// 「2025年度（2026年3月期）」/ "FY2025 (year ending March 2026)".
    public static func label(_ year: Int, endMonth: Int, _ language: UILanguage) -> String {
        let end = endDate(year, endMonth: endMonth)
        if language == .ja { return "\(year)年度（\(end.year)年\(end.month)月期）" }
        return "FY\(year) (year ending \(monthNames[end.month - 1]) \(end.year))"
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    /// 「2025年度」/ "FY2025" without a company's year end (surveys over an index).
    public static func shortLabel(_ year: Int, _ language: UILanguage) -> String {
        language == .ja ? "\(year)年度" : "FY\(year)"
    }
}


/// A listed company as entered (API, form or CSV row), validated and normalised.
public struct CompanyInput: Codable, Sendable, Equatable {
    public var corporateNumber: String
    public var securitiesCode: String
    public var name: String
    public var nameEn: String?
    public var marketSegment: MarketSegment
    public var fiscalYearEndMonth: Int
    public var secRegistrant: Bool?
    public var nis2Entity: Bool?

    public init(corporateNumber: String, securitiesCode: String, name: String, nameEn: String? = nil, marketSegment: MarketSegment,
                fiscalYearEndMonth: Int, secRegistrant: Bool? = nil, nis2Entity: Bool? = nil) {
        self.corporateNumber = corporateNumber; self.securitiesCode = securitiesCode; self.name = name; self.nameEn = nameEn
        self.marketSegment = marketSegment; self.fiscalYearEndMonth = fiscalYearEndMonth
        self.secRegistrant = secRegistrant; self.nis2Entity = nis2Entity
    }

    public struct Valid: Sendable, Equatable {
        public var corporateNumber: String
        public var securitiesCode: String
        public var name: String
        public var nameEn: String?
        public var marketSegment: MarketSegment
        public var fiscalYearEndMonth: Int
        public var secRegistrant: Bool
        public var nis2Entity: Bool
    }

    /// Normalised values, or field errors (pointers under `prefix`).
    public func validated(prefix: String = "") -> Result<Valid, JSONInputError> {
        var errors = ValidationErrors()
        var corporate = ""
        var code = ""
        do { corporate = try CorporateNumber(corporateNumber).value } catch let error as JapaneseIdentifierError {
            errors.add(error.fieldError(at: prefix + "/corporateNumber"))
        } catch {}
        do { code = try SecuritiesCode(securitiesCode).value } catch let error as JapaneseIdentifierError {
            errors.add(error.fieldError(at: prefix + "/securitiesCode"))
        } catch {}
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors.add(prefix + "/name", code: FieldError.Code.missing, .init(ja: "会社名を入力してください。", en: "Enter the company name."))
        } else if name.count > 200 {
            errors.add(prefix + "/name", code: FieldError.Code.invalid, .init(ja: "会社名は200文字以内にしてください。", en: "The name is at most 200 characters."))
        }
        let nameEn = self.nameEn?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if (nameEn?.count ?? 0) > 200 {
            errors.add(prefix + "/nameEn", code: FieldError.Code.invalid, .init(ja: "英語名は200文字以内にしてください。", en: "The English name is at most 200 characters."))
        }
        TextRules.check([(prefix + "/name", name), (prefix + "/nameEn", nameEn)], into: &errors)
        if !(1...12).contains(fiscalYearEndMonth) {
            errors.add(prefix + "/fiscalYearEndMonth", code: FieldError.Code.range, .init(ja: "決算月は1〜12で入力してください。", en: "The fiscal year end month must be from 1 to 12."))
        }
        if !errors.isEmpty { return .failure(errors.asInputError()) }
        return .success(Valid(corporateNumber: corporate, securitiesCode: code, name: name, nameEn: nameEn, marketSegment: marketSegment,
                              fiscalYearEndMonth: fiscalYearEndMonth, secRegistrant: secRegistrant ?? false, nis2Entity: nis2Entity ?? false))
    }
}

/// An index constituent list in CSV, with an error for every bad row.
///
/// The header names the columns (Japanese or English, any order): `securitiesCode` / 証券コード is
/// required; `corporateNumber` / 法人番号, `name` / 会社名, `nameEn` / 英文社名, `marketSegment` / 市場区分 and
/// `fiscalYearEndMonth` / 決算月 are needed only for companies not registered yet.
public enum ConstituentCSV {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var securitiesCode: String
        /// Present when the row carries enough to register the company.
        public var company: CompanyInput.Valid?
    }

    static let columnNames: [String: String] = [
        "securitiescode": "securitiesCode", "証券コード": "securitiesCode", "コード": "securitiesCode", "code": "securitiesCode",
        "corporatenumber": "corporateNumber", "法人番号": "corporateNumber",
        "name": "name", "会社名": "name", "銘柄名": "name",
        "nameen": "nameEn", "英文社名": "nameEn", "英語名": "nameEn",
        "marketsegment": "marketSegment", "市場区分": "marketSegment", "市場": "marketSegment",
        "fiscalyearendmonth": "fiscalYearEndMonth", "決算月": "fiscalYearEndMonth",
    ]

    public static let maxRows = 5000

    /// Parses the text; `known` tells which securities codes are registered already. Returns the rows or every problem,
    /// each with a pointer `/rows/<line>/<column>` (line = line number in the file).
    public static func parse(_ text: String, known: Set<String>) -> Result<[Row], JSONInputError> {
        var errors = ValidationErrors()
        let records: [CSVParser.Row]
        do { records = try CSVParser.parse(text) } catch let error as CSVParseError {
            errors.add("/csv", code: FieldError.Code.invalid, .init(ja: "\(error.line)行目: \(error.ja)", en: "Line \(error.line): \(error.en)"))
            return .failure(errors.asInputError())
        } catch {
            errors.add("/csv", code: FieldError.Code.invalid, .init(ja: "CSVとして読めません。", en: "The text is not CSV."))
            return .failure(errors.asInputError())
        }
        guard let header = records.first else {
            errors.add("/csv", code: FieldError.Code.missing, .init(ja: "CSVが空です。1行目に見出しを書いてください。", en: "The CSV is empty; put a header on the first line."))
            return .failure(errors.asInputError())
        }
        var columns: [String: Int] = [:]
        for (index, raw) in header.fields.enumerated() {
            let key = raw.trimmingCharacters(in: .whitespaces)
            if let name = columnNames[key.lowercased()] ?? columnNames[key] { columns[name] = index }
        }
        guard columns["securitiesCode"] != nil else {
            errors.add("/csv", code: FieldError.Code.missing,
                       .init(ja: "1行目の見出しに「証券コード」（securitiesCode）の列がありません。", en: "The header has no securitiesCode (証券コード) column."))
            return .failure(errors.asInputError())
        }
        let body = records.dropFirst()
        if body.isEmpty {
            errors.add("/csv", code: FieldError.Code.missing, .init(ja: "構成銘柄の行がありません。", en: "The CSV lists no constituents."))
        }
        if body.count > maxRows {
            errors.add("/csv", code: FieldError.Code.range, .init(ja: "一度に取り込めるのは\(maxRows)行までです。", en: "At most \(maxRows) rows can be imported at once."))
            return .failure(errors.asInputError())
        }
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for record in body {
            func field(_ name: String) -> String? {
                guard let index = columns[name], index < record.fields.count else { return nil }
                return CSVWriter.unprotect(record.fields[index]).trimmingCharacters(in: .whitespaces).nilIfEmpty
            }
            let pointer = "/rows/\(record.line)"
            guard let rawCode = field("securitiesCode") else {
                errors.add(pointer + "/securitiesCode", code: FieldError.Code.missing,
                           .init(ja: "\(record.line)行目: 証券コードがありません。", en: "Line \(record.line): the securities code is missing."))
                continue
            }
            let code: String
            do { code = try SecuritiesCode(rawCode).value } catch let error as JapaneseIdentifierError {
                errors.add(pointer + "/securitiesCode", code: FieldError.Code.invalid,
                           .init(ja: "\(record.line)行目: \(error.messageJa)（\(rawCode)）", en: "Line \(record.line): \(error.messageEn) (\(rawCode))"))
                continue
            } catch { continue }
            if let first = seen[code] {
                errors.add(pointer + "/securitiesCode", code: "duplicate",
                           .init(ja: "\(record.line)行目: 証券コード\(code)は\(first)行目と重複しています。", en: "Line \(record.line): securities code \(code) repeats line \(first)."))
                continue
            }
            seen[code] = record.line
            var company: CompanyInput.Valid?
            if let corporate = field("corporateNumber") {
                let month = field("fiscalYearEndMonth").map { $0.replacingOccurrences(of: "月", with: "") }
                let input = CompanyInput(corporateNumber: corporate, securitiesCode: code, name: field("name") ?? "", nameEn: field("nameEn"),
                                         marketSegment: field("marketSegment").flatMap(MarketSegment.parse) ?? .other,
                                         fiscalYearEndMonth: month.flatMap { Int($0) } ?? 0)
                if let segment = field("marketSegment"), MarketSegment.parse(segment) == nil {
                    errors.add(pointer + "/marketSegment", code: FieldError.Code.invalid,
                               .init(ja: "\(record.line)行目: 市場区分「\(segment)」が分かりません（プライム・スタンダード・グロース等）。",
                                     en: "Line \(record.line): unknown market segment \"\(segment)\" (prime, standard, growth, …)."))
                }
                switch input.validated(prefix: pointer) {
                case .success(let valid): company = valid
                case .failure(let problems):
                    for problem in problems.errors {
                        errors.add(FieldError(pointer: problem.pointer, code: problem.code, detail: "Line \(record.line): \(problem.detail)",
                                              detailJa: "\(record.line)行目: \(problem.detailJa ?? problem.detail)"))
                    }
                    continue
                }
            } else if !known.contains(code) {
                errors.add(pointer + "/corporateNumber", code: FieldError.Code.missing,
                           .init(ja: "\(record.line)行目: 証券コード\(code)の会社は未登録です。法人番号・会社名・市場区分・決算月を加えてください。",
                                 en: "Line \(record.line): no company with securities code \(code) is registered; add its corporate number, name, market segment and fiscal year end month."))
                continue
            }
            rows.append(Row(line: record.line, securitiesCode: code, company: company))
        }
        if !errors.isEmpty { return .failure(errors.asInputError()) }
        return .success(rows)
    }
}
