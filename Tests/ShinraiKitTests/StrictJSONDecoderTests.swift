import Foundation
import Testing
@testable import ShinraiKit

private struct SJContact: Codable, Equatable {
    var email: String
    var phone: String?
}

private struct SJPerson: Codable, Equatable {
    var name: String
    var age: Int
    var contacts: [SJContact]
    var tags: [String: Int]?
    var nickname: String?
}

private enum SJColour: String, Codable, CaseIterable {
    case red, green
}

private enum SJLevel: Int, Codable {
    case low = 1, high = 2
}

private struct SJEverything: Codable {
    var i8: Int8
    var u8: UInt8
    var i16: Int16
    var u16: UInt16
    var i32: Int32
    var u32: UInt32
    var i64: Int64
    var u64: UInt64
    var int: Int
    var uint: UInt
    var double: Double
    var float: Float
    var bool: Bool
    var string: String
    var date: Date
    var uuid: UUID
    var data: Data
    var url: URL
    var decimal: Decimal
    var colour: SJColour
    var level: SJLevel
    var list: [Int?]
    var nested: [[String]]
    var any: JSONValue
}

private func strictDecode<T: Decodable>(_ type: T.Type, _ json: String, decoder: StrictJSONDecoder = StrictJSONDecoder()) throws -> T {
    try decoder.decode(type, from: Data(json.utf8))
}

/// The errors thrown for `json`, or an empty array when decoding succeeded.
private func strictErrors<T: Decodable>(_ type: T.Type, _ json: String, decoder: StrictJSONDecoder = StrictJSONDecoder()) -> [FieldError] {
    do {
        _ = try decoder.decode(type, from: Data(json.utf8))
        return []
    } catch let error as JSONInputError {
        return error.errors.map { FieldError(pointer: $0.pointer, code: $0.code, detail: $0.detail) }  // English only
    } catch {
        Issue.record("unexpected error type \(error)")
        return []
    }
}

@Suite struct StrictJSONDecoderTests {
    @Test func decodesValidInput() throws {
        let json = #"{"name":"Aiko","age":30,"contacts":[{"email":"a@example.jp"},{"email":"b@example.jp","phone":null}],"tags":{"x":1,"y":2}}"#
        let p = try strictDecode(SJPerson.self, json)
        #expect(p == SJPerson(name: "Aiko", age: 30, contacts: [SJContact(email: "a@example.jp", phone: nil), SJContact(email: "b@example.jp", phone: nil)],
                            tags: ["x": 1, "y": 2], nickname: nil))
    }

    @Test func decodesEveryBuiltInType() throws {
        let json = """
        {"i8":-128,"u8":255,"i16":-32768,"u16":65535,"i32":-2147483648,"u32":4294967295,
         "i64":-9223372036854775808,"u64":18446744073709551615,"int":9007199254740993,"uint":7,
         "double":1.5e3,"float":0.25,"bool":true,"string":"日本語\\u00e9\\ud83d\\ude00",
         "date":"2026-11-27T14:05:00.5+09:00","uuid":"3F2504E0-4F89-41D3-9A0C-0305E82C3301",
         "data":"aGVsbG8=","url":"https://example.jp/a?b=c","decimal":12345678901234567890.123,
         "colour":"green","level":2,"list":[1,null,3],"nested":[["a"],[]],"any":{"free":[1,{"form":true}]}}
        """
        let e = try strictDecode(SJEverything.self, json)
        #expect(e.i8 == .min && e.u8 == .max && e.i16 == .min && e.u16 == .max && e.i32 == .min && e.u32 == .max)
        #expect(e.i64 == .min && e.u64 == .max)
        #expect(e.int == 9_007_199_254_740_993)  // not representable as a Double: no precision lost
        #expect(e.double == 1500 && e.float == 0.25 && e.bool)
        #expect(e.string == "日本語é😀")
        #expect(e.date == Date(timeIntervalSince1970: 1_795_755_900.5))
        #expect(e.uuid == UUID(uuidString: "3f2504e0-4f89-41d3-9a0c-0305e82c3301"))
        #expect(e.data == Data("hello".utf8))
        #expect(e.url.absoluteString == "https://example.jp/a?b=c")
        #expect(e.decimal == Decimal(string: "12345678901234567890.123"))
        #expect(e.colour == .green && e.level == .high)
        #expect(e.list == [1, nil, 3] && e.nested == [["a"], []])
        #expect(e.any == .object(JSONObject([("free", .array([.number("1"), .object(JSONObject([("form", .bool(true))]))]))])))
    }

    @Test func datesWithAndWithoutFractionsAndOffsets() throws {
        struct D: Decodable { var d: Date }
        let base = Date(timeIntervalSince1970: 1_795_755_900)  // 2026-11-27T05:05:00Z
        for text in ["2026-11-27T05:05:00Z", "2026-11-27T14:05:00+09:00", "2026-11-27T14:05:00+0900",
                     "2026-11-27t05:05:00z", "2026-11-27T00:05:00-05:00", "2026-11-27T05:05:00.000Z"] {
            #expect(try strictDecode(D.self, #"{"d":"\#(text)"}"#).d == base, "\(text)")
        }
        for bad in ["2026-11-27", "2026-11-27T05:05:00", "2026-02-30T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T05:05Z", "yesterday"] {
            let errs = strictErrors(D.self, #"{"d":"\#(bad)"}"#)
            #expect(errs.map(\.pointer) == ["/d"] && errs.first?.code == "invalid", "\(bad)")
        }
    }

    @Test func unknownFieldsAtEveryDepthAreReportedTogether() {
        let json = #"{"name":"A","nmae":"typo","age":1,"contacts":[{"email":"x","phone":null},{"email":"y","fax":"1","extra":{"deep":1}}],"tags":{"free-key":1}}"#
        let errs = strictErrors(SJPerson.self, json)
        #expect(errs.map(\.pointer) == ["/nmae", "/contacts/1/fax", "/contacts/1/extra"])
        #expect(errs.allSatisfy { $0.code == "unknown-field" })
        #expect(errs.first?.detail == #"Unknown field "nmae"."#)
    }

    @Test func typoSuggestsTheIntendedField() {
        let errs = strictErrors(SJPerson.self, #"{"nmae":"A","age":1,"contacts":[]}"#)
        #expect(errs.contains(FieldError(pointer: "/name", code: "missing", detail: #"The field "name" is required."#)))
        #expect(errs.contains(FieldError(pointer: "/nmae", code: "unknown-field", detail: #"Unknown field "nmae". Did you mean "name"?"#)))
    }

    @Test func unknownFieldsAreReportedEvenWhenDecodingFails() {
        // "age" has the wrong type; the unknown key in the same object is still reported, and keys that
        // the type knows but did not reach because of the failure are not.
        let errs = strictErrors(SJPerson.self, #"{"name":"A","age":"old","bogus":1,"contacts":[{"email":"x","zzz":2}]}"#)
        #expect(errs.first == FieldError(pointer: "/age", code: "type", detail: "Expected an integer but found a string."))
        #expect(errs.map(\.pointer).contains("/bogus"))
        #expect(!errs.map(\.pointer).contains("/contacts"))
    }

    @Test func completedObjectsAreCheckedFullyWhenALaterFieldFails() {
        struct Inner: Decodable { var x: Int }
        struct Outer: Decodable { var a: Inner; var b: Int }
        #expect(strictErrors(Outer.self, #"{"a":{"x":1,"y":2},"b":"str"}"#).map(\.pointer) == ["/b", "/a/y"])
    }

    @Test func unknownFieldsCanBeAllowed() throws {
        let p = try strictDecode(SJPerson.self, #"{"name":"A","age":1,"contacts":[],"x":1}"#, decoder: StrictJSONDecoder(rejectUnknownFields: false))
        #expect(p.name == "A")
    }

    @Test func wrongTypesCarryTheirPointer() {
        #expect(strictErrors(SJPerson.self, #"{"name":"A","age":1,"contacts":[{"email":5}]}"#)
            == [FieldError(pointer: "/contacts/0/email", code: "type", detail: "Expected a string but found a number.")])
        #expect(strictErrors(SJPerson.self, #"{"name":"A","age":1,"contacts":{}}"#)
            == [FieldError(pointer: "/contacts", code: "type", detail: "Expected an array but found an object.")])
        #expect(strictErrors(SJPerson.self, #"[1]"#) == [FieldError(pointer: "", code: "type", detail: "Expected an object but found an array.")])
        #expect(strictErrors([Int].self, #"[1,"2"]"#).map(\.pointer) == ["/1"])
        struct B: Decodable { var b: Bool }
        #expect(strictErrors(B.self, #"{"b":1}"#).first?.code == "type")
        struct S: Decodable { var n: Int }
        #expect(strictErrors(S.self, #"{"n":"5"}"#).first?.code == "type")  // no number-in-string coercion
    }

    @Test func fractionIntoIntegerIsRefused() {
        struct S: Decodable { var n: Int }
        #expect(strictErrors(S.self, #"{"n":1.5}"#) == [FieldError(pointer: "/n", code: "type", detail: "Expected an integer but found 1.5.")])
        #expect(strictErrors(S.self, #"{"n":1e3}"#).first?.code == "type")
    }

    @Test func integerOverflowIsARangeError() {
        struct S: Decodable { var small: UInt8?; var big: Int64? }
        #expect(strictErrors(S.self, #"{"small":256}"#) == [FieldError(pointer: "/small", code: "range", detail: "The number 256 is out of range (0...255).")])
        #expect(strictErrors(S.self, #"{"small":-1}"#).first?.code == "range")
        #expect(strictErrors(S.self, #"{"big":9223372036854775808}"#).map(\.code) == ["range"])
        struct D: Decodable { var d: Double }
        #expect(strictErrors(D.self, #"{"d":1e400}"#).first?.code == "range")
    }

    @Test func missingRequiredField() {
        #expect(strictErrors(SJPerson.self, #"{"name":"A","contacts":[]}"#) == [FieldError(pointer: "/age", code: "missing", detail: #"The field "age" is required."#)])
        #expect(strictErrors(SJPerson.self, #"{"name":"A","age":1,"contacts":[{"phone":"1"}]}"#).map(\.pointer) == ["/contacts/0/email"])
        #expect(strictErrors(SJPerson.self, #"{"name":null,"age":1,"contacts":[]}"#) == [FieldError(pointer: "/name", code: "missing", detail: "A value is required here; null is not allowed.")])
    }

    @Test func optionalMissingAndNullAreBothNil() throws {
        let a = try strictDecode(SJContact.self, #"{"email":"x"}"#)
        let b = try strictDecode(SJContact.self, #"{"email":"x","phone":null}"#)
        #expect(a.phone == nil && b.phone == nil)
    }

    @Test func enumValuesNameTheAllowedValues() {
        struct S: Decodable { var colour: SJColour; var level: SJLevel? }
        #expect(strictErrors(S.self, #"{"colour":"blue"}"#)
            == [FieldError(pointer: "/colour", code: "invalid", detail: #"Invalid value "blue". Allowed values: "red", "green"."#)])
        #expect(strictErrors(S.self, #"{"colour":"red","level":3}"#) == [FieldError(pointer: "/level", code: "invalid", detail: "Invalid value 3.")])
    }

    @Test func specialTypesRefuseBadValues() {
        struct S: Decodable { var uuid: UUID?; var url: URL?; var data: Data?; var decimal: Decimal? }
        #expect(strictErrors(S.self, #"{"uuid":"nope"}"#).map(\.code) == ["invalid"])
        #expect(strictErrors(S.self, #"{"url":"not a url"}"#).map(\.pointer) == ["/url"])
        #expect(strictErrors(S.self, #"{"url":"relative/path"}"#).map(\.pointer) == ["/url"])
        #expect(strictErrors(S.self, #"{"data":"***"}"#).map(\.pointer) == ["/data"])
        #expect(strictErrors(S.self, #"{"decimal":"1.5"}"#).map(\.code) == ["type"])
    }

    @Test func invalidJSONHasPositionAndPointer() {
        let errs = strictErrors(SJPerson.self, "{\n  \"name\": \"A\",\n  \"contacts\": [ {\"email\": tru } ]\n}")
        #expect(errs.count == 1)
        #expect(errs.first?.code == "syntax")
        #expect(errs.first?.pointer == "/contacts/0/email")
        #expect(errs.first?.detail.hasPrefix("Invalid JSON at line 3, column 27: unexpected character 't'") == true)
        for bad in ["", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":01}", "{\"a\":1} x", "{\"a\":\"\u{01}\"}", "{\"a\":\"\\x\"}",
                    "{\"a\":\"\\ud800\"}", "{\"a\":NaN}", "{\"a\":-}", "{\"a\":1.}"] {
            let e = strictErrors(JSONValue.self, bad)
            #expect(e.count == 1 && e.first?.code == "syntax", "\(bad)")
        }
    }

    @Test func duplicateKeysAreRefused() {
        let errs = strictErrors(SJContact.self, #"{"email":"a","email":"b"}"#)
        #expect(errs.first?.pointer == "/email")
        #expect(errs.first?.detail.contains("more than once") == true)
    }

    @Test func invalidUTF8IsRefused() {
        var data = Data(#"{"email":""#.utf8)
        data.append(contentsOf: [0xFF, 0xFE])
        data.append(contentsOf: Array(#""}"#.utf8))
        #expect(throws: JSONInputError.self) { try StrictJSONDecoder().decode(SJContact.self, from: data) }
        // A UTF-8 byte order mark is accepted.
        let bom = Data([0xEF, 0xBB, 0xBF] + Array(#"{"email":"x"}"#.utf8))
        #expect((try? StrictJSONDecoder().decode(SJContact.self, from: bom))?.email == "x")
    }

    @Test func nestingDepthIsLimited() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(strictErrors(JSONValue.self, deep).first?.detail.contains("deeper than 64") == true)
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(strictErrors(JSONValue.self, ok).isEmpty)
        #expect(strictErrors(JSONValue.self, "[[[1]]]", decoder: StrictJSONDecoder(maxDepth: 2)).count == 1)
    }

    @Test func numbersKeepTheirText() throws {
        let v = try StrictJSONDecoder().parse(Data(#"{"a":12345678901234567890123,"b":-0.10,"c":[true,null]}"#.utf8))
        guard case .object(let o) = v else { Issue.record("not an object"); return }
        #expect(o.keys == ["a", "b", "c"])
        #expect(o["a"] == .number("12345678901234567890123"))
        #expect(o["b"] == .number("-0.10"))
        #expect(v.serialized == #"{"a":12345678901234567890123,"b":-0.10,"c":[true,null]}"#)
    }

    @Test func topLevelNonObjectsDecodeWhenTheTypeWantsThem() throws {
        #expect(try strictDecode([Int].self, "[1,2,3]") == [1, 2, 3])
        #expect(try strictDecode(String.self, #""x""#) == "x")
        #expect(try strictDecode([String: Double].self, #"{"a":1.5}"#) == ["a": 1.5])
        #expect(try strictDecode(Int?.self, "null") == nil)
    }

    @Test func customDecodingWithNestedContainersAndSuperDecoder() throws {
        class Base: Decodable {
            var id: Int
            enum K: String, CodingKey { case id }
            required init(from decoder: any Decoder) throws {
                id = try decoder.container(keyedBy: K.self).decode(Int.self, forKey: .id)
            }
        }
        final class Child: Base {
            var x: Int = 0
            var first: String = ""
            var point: (Int, Int) = (0, 0)
            enum K: String, CodingKey { case x, info, point }
            enum Info: String, CodingKey { case first }
            required init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: K.self)
                x = try c.decode(Int.self, forKey: .x)
                first = try c.nestedContainer(keyedBy: Info.self, forKey: .info).decode(String.self, forKey: .first)
                var u = try c.nestedUnkeyedContainer(forKey: .point)
                point = (try u.decode(Int.self), try u.decode(Int.self))
                try super.init(from: c.superDecoder())
            }
        }
        let c = try strictDecode(Child.self, #"{"x":1,"info":{"first":"f"},"point":[3,4],"super":{"id":9}}"#)
        #expect(c.x == 1 && c.first == "f" && c.point == (3, 4) && c.id == 9)
        #expect(strictErrors(Child.self, #"{"x":1,"info":{"first":"f","second":2},"point":[3,4],"super":{"id":9,"y":0}}"#).map(\.pointer)
            == ["/info/second", "/super/y"])
        #expect(strictErrors(Child.self, #"{"x":1,"info":{"first":"f"},"point":[3],"super":{"id":9}}"#).map(\.pointer) == ["/point/1"])
    }

    @Test func enumsWithAssociatedValues() throws {
        enum Shape: Codable, Equatable { case circle(radius: Int), square(side: Int) }
        #expect(try strictDecode(Shape.self, #"{"circle":{"radius":2}}"#) == .circle(radius: 2))
        #expect(strictErrors(Shape.self, #"{"circle":{"radius":2,"colour":"red"}}"#).map(\.pointer) == ["/circle/colour"])
    }

    @Test func domainValidationErrorsArePositionedUnderTheDecodedValue() {
        struct Email: Decodable {
            var value: String
            init(from decoder: any Decoder) throws {
                value = try decoder.singleValueContainer().decode(String.self)
                var problems = ValidationErrors()
                if !value.contains("@") { problems.add("", code: "invalid", "Enter an email address with @.") }
                try problems.throwIfAny()
            }
        }
        struct Form: Decodable { var emails: [Email] }
        #expect(strictErrors(Form.self, #"{"emails":["a@b","nope"]}"#) == [FieldError(pointer: "/emails/1", code: "invalid", detail: "Enter an email address with @.")])
    }

    @Test func otherErrorsThrownByATypeBecomeInvalidAtItsPointer() {
        struct Bad: Error, LocalizedError { var errorDescription: String? { "Not acceptable." } }
        struct Picky: Decodable { init(from decoder: any Decoder) throws { throw Bad() } }
        struct Outer: Decodable { var p: Picky }
        #expect(strictErrors(Outer.self, #"{"p":1}"#) == [FieldError(pointer: "/p", code: "invalid", detail: "Not acceptable.")])
    }

    @Test func validationErrorsCollector() throws {
        var v = ValidationErrors()
        #expect(v.isEmpty)
        try v.throwIfAny()
        v.add(JSONPointer.make("contacts", 0, "email"), code: FieldError.Code.invalid, "Bad email.")
        v.add("/name", code: FieldError.Code.missing, "Enter a name.")
        #expect(!v.isEmpty && v.count == 2)
        v.add("/kind", code: FieldError.Code.missing, .init(ja: "種類を選んでください。", en: "Choose a kind."))
        #expect(v.errors.last == FieldError(pointer: "/kind", code: "missing", detail: "Choose a kind.", detailJa: "種類を選んでください。"))
        #expect(v.errors.last?.detail(.ja) == "種類を選んでください。" && v.errors.first?.detail(.ja) == "Bad email.")
        do {
            try v.throwIfAny()
            Issue.record("should have thrown")
        } catch let problem as Problem {
            #expect(problem.errors.map(\.pointer) == ["/contacts/0/email", "/name", "/kind"])
        }
        let input = v.asInputError()
        #expect(input.errors.count == 3 && input.summary.contains("3 problems"))
        var nested = ValidationErrors()
        nested.add(contentsOf: [FieldError(pointer: "/email", code: "invalid", detail: "x")], under: "/contacts/2")
        #expect(nested.errors.map(\.pointer) == ["/contacts/2/email"])
    }

    @Test func decoderErrorsCarryJapaneseTexts() {
        do {
            _ = try StrictJSONDecoder().decode(SJContact.self, from: Data(#"{"emial":"x"}"#.utf8))
            Issue.record("should have thrown")
        } catch let error as JSONInputError {
            #expect(error.errors == [
                FieldError(pointer: "/email", code: "missing", detail: #"The field "email" is required."#, detailJa: "この項目は必須です。"),
                FieldError(pointer: "/emial", code: "unknown-field", detail: #"Unknown field "emial". Did you mean "email"?"#, detailJa: "「emial」は不明な項目です。"),
            ])
        } catch { Issue.record("wrong error \(error)") }
        do {
            _ = try StrictJSONDecoder().decode(SJContact.self, from: Data("{".utf8))
        } catch let error as JSONInputError {
            #expect(error.errors.first?.detailJa == "JSONとして読み取れません（1行目、2文字目）。")
            #expect(error.summary.hasPrefix("The body is not valid JSON"))
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func jsonPointerEscaping() {
        #expect(JSONPointer.make("a/b", "m~n", 3) == "/a~1b/m~0n/3")
        #expect(JSONPointer.tokens("/a~1b/m~0n/3") == ["a/b", "m~n", "3"])
        #expect(JSONPointer.tokens("") == [])
        let errs = strictErrors(SJContact.self, #"{"email":"x","a/b~c":1}"#)
        #expect(errs.map(\.pointer) == ["/a~1b~0c"])
    }

    @Test func fieldErrorEncodesAsProblemMember() throws {
        let data = try JSONEncoder().encode(FieldError(pointer: "/a", code: "missing", detail: "d"))
        let back = try StrictJSONDecoder().decode(FieldError.self, from: data)
        #expect(back == FieldError(pointer: "/a", code: "missing", detail: "d"))
    }

    @Test func jsonValueRoundTripsThroughFoundation() throws {
        let original = try StrictJSONDecoder().parse(Data(#"{"a":[1,2.5,"x",null,true],"b":{"c":-3}}"#.utf8))
        let data = try JSONEncoder().encode(original)
        let again = try StrictJSONDecoder().parse(data)
        guard case .object(let o) = again else { Issue.record("not an object"); return }
        #expect(o["a"] == .array([.number("1"), .number("2.5"), .string("x"), .null, .bool(true)]))
        #expect(o["b"] == .object(JSONObject([("c", .number("-3"))])))
    }
}
