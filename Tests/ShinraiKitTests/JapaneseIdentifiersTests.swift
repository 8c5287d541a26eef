import Foundation
import Testing
@testable import ShinraiKit

@Suite struct JapaneseIdentifiersTests {
    // MARK: 法人番号

    @Test(arguments: ["7000012050002", "1180301018771", "5010401067252"])
    func realCorporateNumbersAreValid(_ number: String) throws {
        // 国税庁, トヨタ自動車, ソニーグループ (each checked against the formula by hand as well).
        let n = try CorporateNumber(number)
        #expect(n.value == number)
        #expect(CorporateNumber.checkDigit(for: String(number.dropFirst())) == Int(String(number.first!)))
    }

    @Test func checkDigitFormulaWorkedExample() {
        // 国税庁 base 000012050002: odd positions from the right 2,0,5,2,0,0 (×1) = 9; even 0,0,0,1,0,0 (×2) = 2.
        // Σ = 11; 11 mod 9 = 2; 9 − 2 = 7.
        #expect(CorporateNumber.checkDigit(for: "000012050002") == 7)
        #expect(CorporateNumber.checkDigit(for: "000000000000") == 9)  // remainder 0 → 9
        #expect(CorporateNumber.computeCheckDigit("12345") == nil)
        #expect(CorporateNumber.computeCheckDigit("00001205000A") == nil)
        #expect(CorporateNumber.computeCheckDigit("００００１２０５０００２") == 7)
    }

    @Test func corporateNumberNormalisesInput() throws {
        #expect(try CorporateNumber("７０００ ０１２０ ５０００２").value == "7000012050002")
        #expect(try CorporateNumber("7-0000-1205-0002").value == "7000012050002")
        #expect(try CorporateNumber.from(base12: "000012050002").value == "7000012050002")
    }

    @Test func corporateNumberErrors() {
        func kind(_ s: String) -> JapaneseIdentifierError.Kind? {
            do { _ = try CorporateNumber(s); return nil } catch let e as JapaneseIdentifierError { return e.kind } catch { return nil }
        }
        #expect(kind("700001205000") == .corporateNumberFormat)      // 12 digits
        #expect(kind("70000120500021") == .corporateNumberFormat)    // 14 digits
        #expect(kind("700001205000A") == .corporateNumberFormat)
        #expect(kind("") == .corporateNumberFormat)
        #expect(kind("8000012050002") == .corporateNumberCheckDigit)
        #expect(kind("7000012050003") == .corporateNumberCheckDigit)
        do {
            _ = try CorporateNumber("8000012050002")
        } catch let e as JapaneseIdentifierError {
            #expect(e.message(.ja) == "法人番号のチェックデジットが一致しません。")
            #expect(e.message(.en) == "The corporate number's check digit does not match")
        } catch { Issue.record("wrong error") }
        do {
            _ = try CorporateNumber("123")
        } catch let e as JapaneseIdentifierError {
            #expect(e.messageJa == "法人番号は13桁の数字で入力してください。")
            #expect(e.messageEn == "A corporate number has 13 digits")
            #expect(e.localizedText == LocalizedText(ja: e.messageJa, en: e.messageEn))
        } catch { Issue.record("wrong error") }
    }

    @Test func corporateNumberDecodesStrictly() throws {
        struct Org: Decodable { var corporateNumber: CorporateNumber }
        let ok = try StrictJSONDecoder().decode(Org.self, from: Data(#"{"corporateNumber":"1180301018771"}"#.utf8))
        #expect(ok.corporateNumber.value == "1180301018771")
        do {
            _ = try StrictJSONDecoder().decode(Org.self, from: Data(#"{"corporateNumber":"1180301018772"}"#.utf8))
            Issue.record("accepted a bad check digit")
        } catch let e as JSONInputError {
            #expect(e.errors == [FieldError(pointer: "/corporateNumber", code: "invalid", detail: "The corporate number's check digit does not match",
                                            detailJa: "法人番号のチェックデジットが一致しません。")])
        }
    }

    // MARK: 地方公共団体コード

    @Test(arguments: ["130001", "131016", "011002", "271004", "141003", "472018", "010006",
                      "011011", "131130", "131121", "270008", "470007"])
    func realLocalGovernmentCodesAreValid(_ code: String) throws {
        let c = try LocalGovernmentCode(code)
        #expect(c.value == code)
        #expect(LocalGovernmentCode.checkDigit(for: String(code.prefix(5))) == Int(String(code.last!)))
    }

    @Test func localGovernmentRemaindersZeroAndOne() {
        // 札幌市中央区 01101: 0×6+1×5+1×4+0×3+1×2 = 11, remainder 0 → 11 − 0 = 11 → last digit 1.
        #expect(LocalGovernmentCode.checkDigit(for: "01101") == 1)
        // 渋谷区 13113: 6+15+4+3+6 = 34, remainder 1 → 11 − 1 = 10 → last digit 0.
        #expect(LocalGovernmentCode.checkDigit(for: "13113") == 0)
        #expect(LocalGovernmentCode.computeCheckDigit("1311") == nil)
        #expect(LocalGovernmentCode.computeCheckDigit("13101") == 6)
    }

    @Test func localGovernmentCodeProperties() throws {
        let tokyo = try LocalGovernmentCode("130001")
        #expect(tokyo.isPrefecture && tokyo.prefectureCode == "13" && tokyo.prefecture.nameJa == "東京都" && tokyo.prefecture.nameEn == "Tokyo")
        let chiyoda = try LocalGovernmentCode("１３１０１６")
        #expect(!chiyoda.isPrefecture && chiyoda.fiveDigitCode == "13101")
        #expect(try LocalGovernmentCode("13101", allowFiveDigits: true).value == "131016")
        #expect(LocalGovernmentCode.forPrefecture(1)?.value == "010006")
        #expect(LocalGovernmentCode.forPrefecture(47)?.value == "470007")
        #expect(LocalGovernmentCode.forPrefecture(48) == nil)
    }

    @Test func localGovernmentCodeErrors() {
        func kind(_ s: String, five: Bool = false) -> JapaneseIdentifierError.Kind? {
            do { _ = try LocalGovernmentCode(s, allowFiveDigits: five); return nil } catch let e as JapaneseIdentifierError { return e.kind } catch { return nil }
        }
        #expect(kind("13101") == .localGovernmentCodeFormat)
        #expect(kind("1310166") == .localGovernmentCodeFormat)
        #expect(kind("13101X") == .localGovernmentCodeFormat)
        #expect(kind("131017") == .localGovernmentCodeCheckDigit)
        #expect(kind("000000") == .localGovernmentCodePrefecture)
        #expect(kind("480001") == .localGovernmentCodePrefecture)
        #expect(kind("99000", five: true) == .localGovernmentCodePrefecture)
    }

    @Test func fortySevenPrefectures() {
        #expect(JapanesePrefecture.all.count == 47)
        #expect(JapanesePrefecture.byCode(1)?.nameJa == "北海道")
        #expect(JapanesePrefecture.byCode(13)?.nameJa == "東京都")
        #expect(JapanesePrefecture.byCode(26)?.nameJa == "京都府")
        #expect(JapanesePrefecture.byCode(27)?.name(.en) == "Osaka")
        #expect(JapanesePrefecture.byCode(47)?.nameJa == "沖縄県")
        #expect(JapanesePrefecture.byCode(47)?.twoDigitCode == "47")
        #expect(JapanesePrefecture.byCode(0) == nil && JapanesePrefecture.byCode(48) == nil)
        #expect(Set(JapanesePrefecture.all.map(\.nameEn)).count == 47)
        #expect(JapanesePrefecture.all.filter { $0.nameJa.hasSuffix("県") }.count == 43)
    }

    // MARK: 証券コード

    @Test(arguments: ["7203", "6758", "1301", "130A", "9A76", "987A", "9A7A", "2A46", "8A9A"])
    func validSecuritiesCodes(_ code: String) throws {
        #expect(try SecuritiesCode(code).value == code)
    }

    @Test func securitiesCodeNormalisation() throws {
        #expect(try SecuritiesCode("１３０ａ").value == "130A")
        #expect(try SecuritiesCode(" 130a ").value == "130A")
        #expect(try SecuritiesCode("130A").isAlphanumeric)
        #expect(try !SecuritiesCode("7203").isAlphanumeric)
        #expect(SecuritiesCode.allowedLetters.count == 19)
        #expect(SecuritiesCode.allowedLetters.isDisjoint(with: SecuritiesCode.excludedLetters))
    }

    @Test func securitiesCodeErrors() {
        func kind(_ s: String) -> JapaneseIdentifierError.Kind? {
            do { _ = try SecuritiesCode(s); return nil } catch let e as JapaneseIdentifierError { return e.kind } catch { return nil }
        }
        #expect(kind("720") == .securitiesCodeFormat)
        #expect(kind("72031") == .securitiesCodeFormat)
        #expect(kind("72-") == .securitiesCodeFormat)
        #expect(kind("7２0!") == .securitiesCodeFormat)
        for letter in ["B", "E", "I", "O", "Q", "V", "Z"] {
            #expect(kind("130" + letter) == .securitiesCodeExcludedLetter, "\(letter)")
        }
        #expect(kind("A300") == .securitiesCodeLetterPosition)
        #expect(kind("13A0") == .securitiesCodeLetterPosition)
        #expect(kind("1299") == .securitiesCodeRange)
        #expect(kind("0A1A") == .securitiesCodeRange)
    }

    @Test func identifiersEncodeAsStrings() throws {
        struct R: Codable { var c: CorporateNumber; var l: LocalGovernmentCode; var s: SecuritiesCode }
        let r = R(c: try CorporateNumber("5010401067252"), l: try LocalGovernmentCode("472018"), s: try SecuritiesCode("130A"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(r), as: UTF8.self)
        #expect(json == #"{"c":"5010401067252","l":"472018","s":"130A"}"#)
        let back = try StrictJSONDecoder().decode(R.self, from: Data(json.utf8))
        #expect(back.s.value == "130A")
    }
}
