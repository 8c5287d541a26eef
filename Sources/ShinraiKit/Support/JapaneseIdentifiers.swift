import Foundation

// Japanese public identifiers with their check rules.
//
// - 法人番号 (Corporate Number): 13 digits, the FIRST digit is the check digit.
//   check = 9 − ((Σ_{n=1…12} Pn × Qn) mod 9), Pn = n-th digit of the 12-digit base counted from the
//   least significant, Qn = 1 for odd n and 2 for even n (法人番号の指定等に関する省令 第2条).
// - 全国地方公共団体コード (Local Government Code, JIS X 0402 + 検査数字): 6 digits = prefecture (2) +
//   municipality (3) + check digit. Σ = d1×6 + d2×5 + d3×4 + d4×3 + d5×2; check = the last digit of
//   (11 − Σ mod 11). So remainder 0 → 1 and remainder 1 → 0 (e.g. 札幌市中央区 011011 has remainder 0,
//   渋谷区 131130 has remainder 1).
// - 証券コード (securities code, 株式固有名コード): 4 characters. Rule of the 証券コード協議会 (secretariat:
//   Tokyo Stock Exchange / JPX, announced 2022-05-31, applied to codes set from 2024-01-01; JPX page
//   「英文字を含む証券コード」): new codes may have an upper-case letter in the 2nd and/or the 4th position
//   (e.g. 9A76, 987A, 9A7A; the first was 130A, Veritas In Silico, 2024); the 1st and 3rd positions
//   are always digits; B, E, I, O, Q, V and Z are never used, leaving 19 letters
//   (A C D F G H J K L M N P R S T U W X Y). Existing numeric codes do not change. Codes are assigned
//   in the range 1300–9999 (lower numbers are kept for bonds), so a numeric code below 1300 and a code
//   starting with 0 are refused.
//
// All initialisers accept full-width digits/letters and lower case, and ignore spaces and hyphens.

/// Why a Japanese identifier was refused, in Japanese and in English.
public struct JapaneseIdentifierError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public enum Kind: String, Sendable, Equatable {
        case corporateNumberFormat
        case corporateNumberCheckDigit
        case localGovernmentCodeFormat
        case localGovernmentCodePrefecture
        case localGovernmentCodeCheckDigit
        case securitiesCodeFormat
        case securitiesCodeExcludedLetter
        case securitiesCodeLetterPosition
        case securitiesCodeRange
    }

    public var kind: Kind
    /// 「法人番号は13桁の数字で入力してください」
    public var messageJa: String
    /// "A corporate number has 13 digits"
    public var messageEn: String

    public init(kind: Kind, ja: String, en: String) {
        self.kind = kind
        self.messageJa = ja
        self.messageEn = en
    }

    public func message(_ language: UILanguage) -> String { language == .ja ? messageJa : messageEn }
    public var localizedText: LocalizedText { LocalizedText(ja: messageJa, en: messageEn) }
    public var description: String { messageEn }
    public var errorDescription: String? { messageEn }
    /// The `FieldError.code` to use for this error.
    public var fieldErrorCode: String { FieldError.Code.invalid }

    /// A `FieldError` for the field at `pointer`.
    public func fieldError(at pointer: String) -> FieldError {
        FieldError(pointer: pointer, code: fieldErrorCode, detail: messageEn, detailJa: messageJa)
    }
}

enum IdentifierText {
    /// Full-width ASCII (U+FF01…U+FF5E) → ASCII, lower-case letters → upper case, and removes spaces
    /// (including U+3000) and hyphen-like characters (‐‑‒–—―−－ｰー).
    static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            var v = scalar.value
            if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }
            switch v {
            case 0x20, 0x09, 0x3000, 0x2D, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFF70, 0x30FC:
                continue
            default:
                break
            }
            if (0x61...0x7A).contains(v) { v -= 0x20 }
            out.append(Unicode.Scalar(v)!)
        }
        return String(out)
    }

    static func isAsciiDigits(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func digits(_ s: String) -> [Int] { s.utf8.map { Int($0 - 0x30) } }
}

// MARK: - 法人番号

/// 法人番号 (Corporate Number) issued by the National Tax Agency: 13 digits, check digit first.
public struct CorporateNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 13 ASCII digits.
    public let value: String

    /// Accepts half- or full-width digits; spaces and hyphens are ignored.
    public init(_ string: String) throws {
        let normalized = IdentifierText.normalize(string)
        guard normalized.utf8.count == 13, IdentifierText.isAsciiDigits(normalized) else {
            throw JapaneseIdentifierError(kind: .corporateNumberFormat,
                                          ja: "法人番号は13桁の数字で入力してください。",
                                          en: "A corporate number has 13 digits")
        }
        guard CorporateNumber.computeCheckDigit(String(normalized.dropFirst())) == IdentifierText.digits(normalized)[0] else {
            throw JapaneseIdentifierError(kind: .corporateNumberCheckDigit,
                                          ja: "法人番号のチェックデジットが一致しません。",
                                          en: "The corporate number's check digit does not match")
        }
        value = normalized
    }

    /// The check digit (1…9) for a 12-digit base number. `base12` must be 12 digits (half- or full-width;
    /// spaces and hyphens ignored): anything else is a programming error and stops the program.
    public static func checkDigit(for base12: String) -> Int {
        guard let check = computeCheckDigit(base12) else {
            preconditionFailure("CorporateNumber.checkDigit(for:) needs 12 digits, got \"\(base12)\"")
        }
        return check
    }

    /// The check digit, or nil if `base12` is not 12 digits.
    public static func computeCheckDigit(_ base12: String) -> Int? {
        let base = IdentifierText.normalize(base12)
        guard base.utf8.count == 12, IdentifierText.isAsciiDigits(base) else { return nil }
        var sum = 0
        for (offset, digit) in IdentifierText.digits(base).reversed().enumerated() {
            let n = offset + 1
            sum += digit * (n % 2 == 1 ? 1 : 2)
        }
        return 9 - sum % 9
    }

    /// The number with a check digit computed for a 12-digit base.
    public static func from(base12: String) throws -> CorporateNumber {
        guard let check = computeCheckDigit(base12) else {
            throw JapaneseIdentifierError(kind: .corporateNumberFormat,
                                          ja: "法人番号の基礎番号は12桁の数字です。",
                                          en: "The base of a corporate number has 12 digits")
        }
        return try CorporateNumber("\(check)" + IdentifierText.normalize(base12))
    }

    public var checkDigit: Int { IdentifierText.digits(value)[0] }
    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        try self.init(c.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

// MARK: - 都道府県

/// A prefecture with its JIS X 0401 code.
public struct JapanesePrefecture: Sendable, Hashable {
    /// 1…47.
    public var code: Int
    /// 「東京都」
    public var nameJa: String
    /// "Tokyo"
    public var nameEn: String

    /// Two digits, "01"…"47".
    public var twoDigitCode: String { code < 10 ? "0\(code)" : "\(code)" }
    public func name(_ language: UILanguage) -> String { language == .ja ? nameJa : nameEn }

    /// The prefecture with this code, or nil outside 1…47.
    public static func byCode(_ code: Int) -> JapanesePrefecture? {
        (1...47).contains(code) ? all[code - 1] : nil
    }

    /// The 47 prefectures in code order.
    public static let all: [JapanesePrefecture] = [
        ("北海道", "Hokkaido"), ("青森県", "Aomori"), ("岩手県", "Iwate"), ("宮城県", "Miyagi"), ("秋田県", "Akita"),
        ("山形県", "Yamagata"), ("福島県", "Fukushima"), ("茨城県", "Ibaraki"), ("栃木県", "Tochigi"), ("群馬県", "Gunma"),
        ("埼玉県", "Saitama"), ("千葉県", "Chiba"), ("東京都", "Tokyo"), ("神奈川県", "Kanagawa"), ("新潟県", "Niigata"),
        ("富山県", "Toyama"), ("石川県", "Ishikawa"), ("福井県", "Fukui"), ("山梨県", "Yamanashi"), ("長野県", "Nagano"),
        ("岐阜県", "Gifu"), ("静岡県", "Shizuoka"), ("愛知県", "Aichi"), ("三重県", "Mie"), ("滋賀県", "Shiga"),
        ("京都府", "Kyoto"), ("大阪府", "Osaka"), ("兵庫県", "Hyogo"), ("奈良県", "Nara"), ("和歌山県", "Wakayama"),
        ("鳥取県", "Tottori"), ("島根県", "Shimane"), ("岡山県", "Okayama"), ("広島県", "Hiroshima"), ("山口県", "Yamaguchi"),
        ("徳島県", "Tokushima"), ("香川県", "Kagawa"), ("愛媛県", "Ehime"), ("高知県", "Kochi"), ("福岡県", "Fukuoka"),
        ("佐賀県", "Saga"), ("長崎県", "Nagasaki"), ("熊本県", "Kumamoto"), ("大分県", "Oita"), ("宮崎県", "Miyazaki"),
        ("鹿児島県", "Kagoshima"), ("沖縄県", "Okinawa"),
    ].enumerated().map { JapanesePrefecture(code: $0.offset + 1, nameJa: $0.element.0, nameEn: $0.element.1) }
}

// MARK: - 全国地方公共団体コード

/// 全国地方公共団体コード: 6 digits (JIS X 0402 five digits + 検査数字).
public struct LocalGovernmentCode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 6 ASCII digits.
    public let value: String

    /// Accepts the 6-digit code (half- or full-width; spaces and hyphens ignored). With
    /// `allowFiveDigits`, a 5-digit JIS X 0402 code is also accepted and its check digit added.
    public init(_ string: String, allowFiveDigits: Bool = false) throws {
        var normalized = IdentifierText.normalize(string)
        let formatError = JapaneseIdentifierError(kind: .localGovernmentCodeFormat,
                                                  ja: "地方公共団体コードは6桁の数字で入力してください。",
                                                  en: "A local government code has 6 digits")
        guard IdentifierText.isAsciiDigits(normalized) else { throw formatError }
        if allowFiveDigits && normalized.utf8.count == 5 {
            guard let check = LocalGovernmentCode.computeCheckDigit(normalized) else { throw formatError }
            normalized += String(check)
        }
        guard normalized.utf8.count == 6 else { throw formatError }
        let digits = IdentifierText.digits(normalized)
        let prefecture = digits[0] * 10 + digits[1]
        guard (1...47).contains(prefecture) else {
            throw JapaneseIdentifierError(kind: .localGovernmentCodePrefecture,
                                          ja: "地方公共団体コードの先頭2桁（都道府県コード）は01〜47です。",
                                          en: "The first two digits of a local government code (the prefecture) must be 01 to 47")
        }
        guard LocalGovernmentCode.computeCheckDigit(String(normalized.prefix(5))) == digits[5] else {
            throw JapaneseIdentifierError(kind: .localGovernmentCodeCheckDigit,
                                          ja: "地方公共団体コードの検査数字が一致しません。",
                                          en: "The local government code's check digit does not match")
        }
        value = normalized
    }

    /// The 検査数字 for the first five digits: Σ = d1×6 + d2×5 + d3×4 + d4×3 + d5×2; check digit =
    /// (11 − Σ mod 11) mod 10. `base5` must be 5 digits: anything else is a programming error and stops
    /// the program.
    public static func checkDigit(for base5: String) -> Int {
        guard let check = computeCheckDigit(base5) else {
            preconditionFailure("LocalGovernmentCode.checkDigit(for:) needs 5 digits, got \"\(base5)\"")
        }
        return check
    }

    /// The 検査数字, or nil if `base5` is not 5 digits.
    public static func computeCheckDigit(_ base5: String) -> Int? {
        let base = IdentifierText.normalize(base5)
        guard base.utf8.count == 5, IdentifierText.isAsciiDigits(base) else { return nil }
        let sum = zip(IdentifierText.digits(base), [6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
        return (11 - sum % 11) % 10
    }

    /// "13" for 東京都 and its municipalities.
    public var prefectureCode: String { String(value.prefix(2)) }
    public var prefecture: JapanesePrefecture { JapanesePrefecture.byCode(Int(prefectureCode)!)! }
    /// True for a prefecture itself (the middle three digits are 000), e.g. 130001 東京都.
    public var isPrefecture: Bool { value.dropFirst(2).prefix(3) == "000" }
    /// The JIS X 0402 five-digit code (without the check digit).
    public var fiveDigitCode: String { String(value.prefix(5)) }
    public var description: String { value }

    /// The code of a prefecture itself, e.g. 13 → 130001.
    public static func forPrefecture(_ code: Int) -> LocalGovernmentCode? {
        guard (1...47).contains(code) else { return nil }
        let base = (code < 10 ? "0\(code)" : "\(code)") + "000"
        return try? LocalGovernmentCode(base, allowFiveDigits: true)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        try self.init(c.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

// MARK: - 証券コード

/// 証券コード (4-character securities code), numeric (`7203`) or alphanumeric (`130A`, `9A7A`).
public struct SecuritiesCode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 4 upper-case ASCII characters.
    public let value: String

    /// The 19 letters that may appear (all but B, E, I, O, Q, V, Z).
    public static let allowedLetters: Set<Character> = Set("ACDFGHJKLMNPRSTUWXY")
    /// Letters never used because they are confused with digits or with each other.
    public static let excludedLetters: Set<Character> = Set("BEIOQVZ")

    /// Accepts full-width and lower-case input; spaces are ignored.
    public init(_ string: String) throws {
        let normalized = IdentifierText.normalize(string)
        let chars = Array(normalized)
        let formatError = JapaneseIdentifierError(kind: .securitiesCodeFormat,
            ja: "証券コードは4桁の英数字で入力してください（例: 7203、130A）。",
            en: "A securities code has 4 characters, such as 7203 or 130A")
        guard chars.count == 4, chars.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) else { throw formatError }
        if chars.contains(where: { SecuritiesCode.excludedLetters.contains($0) }) {
            throw JapaneseIdentifierError(kind: .securitiesCodeExcludedLetter,
                ja: "証券コードに英字B・E・I・O・Q・V・Zは使われません。",
                en: "Securities codes never use the letters B, E, I, O, Q, V or Z")
        }
        if chars[0].isLetter || chars[2].isLetter {
            throw JapaneseIdentifierError(kind: .securitiesCodeLetterPosition,
                ja: "証券コードの英字は2桁目と4桁目にのみ使われます。",
                en: "Letters appear only in the 2nd and 4th positions of a securities code")
        }
        if chars.allSatisfy(\.isNumber) ? Int(normalized)! < 1300 : chars[0] == "0" {
            throw JapaneseIdentifierError(kind: .securitiesCodeRange,
                ja: "証券コードは1300〜9999の範囲で設定されています。",
                en: "Securities codes are assigned from 1300 to 9999")
        }
        value = normalized
    }

    /// True for the codes with letters introduced in 2024.
    public var isAlphanumeric: Bool { value.contains(where: \.isLetter) }
    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        try self.init(c.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
