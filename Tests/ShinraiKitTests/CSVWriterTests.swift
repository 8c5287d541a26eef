import Foundation
import Testing
@testable import ShinraiKit

@Suite struct CSVWriterTests {
    @Test func writesBOMAndCRLF() {
        var w = CSVWriter()
        w.addRow(texts: ["名前", "件数"])
        w.addRow([.text("東京"), .integer(3)])
        #expect(Array(w.data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(w.text == "名前,件数\r\n東京,3\r\n")
        #expect(w.data.dropFirst(3) == Data("名前,件数\r\n東京,3\r\n".utf8))
        let noBOM = CSVWriter(includeBOM: false)
        var w2 = noBOM
        w2.addRow(["a"])
        #expect(w2.data == Data("a\r\n".utf8))
    }

    @Test func quotesFieldsThatNeedIt() {
        var w = CSVWriter(includeBOM: false)
        w.addRow(["a,b", "say \"hi\"", "line1\nline2", "cr\rhere", "plain", "", .empty])
        #expect(w.text == "\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"cr\rhere\",plain,,\r\n")
    }

    @Test func formulaInjectionIsNeutralised() {
        var w = CSVWriter(includeBOM: false)
        w.addRow(["=1+1", "+81", "-5", "@SUM(A1)", "\tx", "\rx", "＝1+1", "=HYPERLINK(\"http://x\",\"a,b\")", "a=b", " =x"])
        #expect(w.text == "'=1+1,'+81,'-5,'@SUM(A1),'\tx,\"'\rx\",'＝1+1,\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\",a=b, =x\r\n")
    }

    @Test func numbersAreNotAltered() {
        var w = CSVWriter(includeBOM: false)
        w.addRow([.integer(-5), .number(-1.5), .number(3), .decimal(Decimal(string: "-12.50")!), 7, 2.25, .number(.nan)])
        #expect(w.text == "-5,-1.5,3,-12.5,7,2.25,\r\n")
    }

    @Test func protectionCanBeTurnedOff() {
        var w = CSVWriter(includeBOM: false, protectAgainstFormulaInjection: false)
        w.addRow(["=1+1"])
        #expect(w.text == "=1+1\r\n")
        #expect(CSVWriter.unprotect("'=1+1") == "=1+1")
        #expect(CSVWriter.unprotect("'quoted") == "'quoted")
        #expect(CSVWriter.unprotect("'") == "'")
    }

    @Test func roundTripThroughTheParser() throws {
        let rows: [[String]] = [["id", "名前", "メモ"], ["1", "山田, 太郎", "He said \"yes\"\r\nnext line"], ["2", "=cmd|' /C calc'!A0", ""],
                                ["3", "-3", "\n"], ["4", "", "末尾"]]
        var w = CSVWriter()
        for r in rows { w.addRow(texts: r) }
        let parsed = try CSVParser.parse(w.data)
        #expect(parsed.map { $0.fields.map(CSVWriter.unprotect) } == rows)
        #expect(parsed.map(\.line) == [1, 2, 4, 5, 7])
    }

    @Test func parserHandlesLFAndCRLFAndBlankLines() throws {
        let rows = try CSVParser.parse("a,b\n\nc,\"d\ne\"\r\nf\n")
        #expect(rows == [CSVParser.Row(line: 1, fields: ["a", "b"]), CSVParser.Row(line: 3, fields: ["c", "d\ne"]), CSVParser.Row(line: 5, fields: ["f"])])
        let withBlank = try CSVParser.parse("a\n\nb", skipEmptyLines: false)
        #expect(withBlank.map(\.fields) == [["a"], [""], ["b"]])
        #expect(try CSVParser.parse("").isEmpty)
        #expect(try CSVParser.parse("\u{FEFF}x,y").map(\.fields) == [["x", "y"]])
        #expect(try CSVParser.parse(",\n").map(\.fields) == [["", ""]])
        #expect(try CSVParser.parse("\"\"").map(\.fields) == [[""]])
        #expect(try CSVParser.parse("a\"b,c").map(\.fields) == [["a\"b", "c"]])
    }

    @Test func parserErrorsCarryTheLine() {
        #expect(throws: CSVParseError.self) { try CSVParser.parse("a\n\"open") }
        do {
            _ = try CSVParser.parse("a,b\nc,\"d\"x\n")
            Issue.record("accepted garbage after a quoted field")
        } catch let e as CSVParseError {
            #expect(e.line == 2)
            #expect(!e.ja.isEmpty && e.message(.en) == "Unexpected characters after a quoted field")
        } catch { Issue.record("wrong error") }
        do {
            _ = try CSVParser.parse(Data([0x61, 0x0A, 0x83, 0x65]))  // Shift_JIS bytes on line 2
            Issue.record("accepted Shift_JIS")
        } catch let e as CSVParseError {
            #expect(e.line == 2 && e.en.contains("UTF-8"))
        } catch { Issue.record("wrong error") }
    }
}
