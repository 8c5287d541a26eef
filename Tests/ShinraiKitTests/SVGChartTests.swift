import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import ShinraiKit

/// Parses XML and returns the element names in document order (nil when it is not well-formed).
private func svgElements(_ xml: String) -> [String]? {
    final class Collector: NSObject, XMLParserDelegate {
        var names: [String] = []
        var attributes: [[String: String]] = []
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            names.append(elementName)
            attributes.append(attributeDict)
        }
    }
    let parser = XMLParser(data: Data(xml.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.names : nil
}

private func occurrences(_ needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}

/// The numeric value of an attribute in the first element that matches `prefix`.
private func svgAttribute(_ name: String, after prefix: String, in svg: String) -> Double? {
    guard let start = svg.range(of: prefix) else { return nil }
    let rest = svg[start.lowerBound...]
    guard let a = rest.range(of: " \(name)=\"") else { return nil }
    let valueStart = a.upperBound
    guard let end = rest[valueStart...].firstIndex(of: "\"") else { return nil }
    return Double(rest[valueStart..<end])
}

@Suite struct SVGChartTests {
    let categories = ["2024年度", "2025年度", "2026年度"]
    let series = [ChartSeries(name: "申請", values: [120, nil, 1250.5]), ChartSeries(name: "承認", values: [80, -45, 900])]

    @Test func barChartIsAccessibleAndLabelsEveryValue() throws {
        let svg = SVGChart.bar(title: "Applications", description: "Applications and approvals per year", series: series, categories: categories)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("role=\"img\""))
        let id = try #require(svg.range(of: "<title id=\"").map { svg[$0.upperBound...].prefix { $0 != "\"" } })
        #expect(id.hasSuffix("-title"))
        let base = id.dropLast("-title".count)
        #expect(svg.contains("aria-labelledby=\"\(base)-title \(base)-desc\""))
        #expect(svg.contains("<desc id=\"\(base)-desc\">Applications and approvals per year</desc>"))
        // 5 bars (one value is missing), each with its value as text; the missing one is labelled "—".
        #expect(occurrences("<rect x=", in: svg) == 5 + 2)  // + 2 legend swatches
        for label in [">120<", ">1,250.5<", ">80<", ">-45<", ">900<", ">—<"] { #expect(svg.contains(label), "\(label)") }
        // Second series uses a pattern, not colour alone.
        #expect(svg.contains("<pattern id=\"\(base)-p1\""))
        #expect(svg.contains("fill=\"url(#\(base)-p1)\""))
        #expect(svg.contains("fill=\"#1a1a1a\""))
        #expect(svgElements(svg) != nil)
        for category in categories { #expect(svg.contains(">\(category)</text>")) }
    }

    @Test func negativeBarsHangBelowTheZeroAxis() {
        let svg = SVGChart.bar(title: "Profit", description: "d", series: [ChartSeries(name: "p", values: [-5, 10])], categories: ["a", "b"])
        let axisY = svgAttribute("y1", after: "<line class=\"axis\"", in: svg)
        let firstBarY = svgAttribute("y", after: "<g class=\"series\"", in: svg)
        #expect(axisY != nil && axisY == firstBarY)  // the negative bar starts at zero and goes down
        #expect(svg.contains("text-anchor=\"end\" fill=\"#1a1a1a\" font-size=\"11\">-5</text>"))  // a tick below zero
        // The bar's value label is below the bar's bottom edge.
        let barHeight = svgAttribute("height", after: "<g class=\"series\"", in: svg) ?? 0
        let labelY = svgAttribute("y", after: "</rect><text", in: svg) ?? 0
        #expect(labelY > (firstBarY ?? 0) + barHeight)
    }

    @Test func titlesAndNamesAreEscaped() {
        let evil = "<script>alert('x')</script> & \"q\""
        for svg in [SVGChart.bar(title: evil, description: evil, series: [ChartSeries(name: evil, values: [1])], categories: [evil]),
                    SVGChart.line(title: evil, description: evil, series: [ChartSeries(name: evil, values: [1])], categories: [evil])] {
            #expect(!svg.contains("<script>"))
            #expect(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"))
            #expect(svgElements(svg) != nil)
        }
        let control = SVGChart.bar(title: "a\u{01}b", description: "", series: [], categories: [])
        #expect(svgElements(control) != nil && control.contains(">ab<"))
    }

    @Test func outputIsDeterministic() {
        let a = SVGChart.line(title: "T", description: "D", series: series, categories: categories)
        let b = SVGChart.line(title: "T", description: "D", series: series, categories: categories)
        #expect(a == b)
        let c = SVGChart.line(title: "T2", description: "D", series: series, categories: categories)
        #expect(a != c)
        #expect(!a.contains("nan") && !a.contains("inf"))
        let fixed = SVGChart.bar(title: "T", description: "D", series: series, categories: categories, id: "fixed\"id")
        #expect(fixed.contains("aria-labelledby=\"fixedid-title fixedid-desc\""))
    }

    @Test func lineChartHasShapesGapsAndLegend() {
        let s = [ChartSeries(name: "A", values: [1, nil, 3, 4]), ChartSeries(name: "B", values: [2, 2, 2, 2]),
                 ChartSeries(name: "C", values: [0, 1, 0, 1])]
        let svg = SVGChart.line(title: "L", description: "d", series: s, categories: ["q1", "q2", "q3", "q4"])
        // Series A's line is broken by the gap: two subpaths.
        let pathA = svg.components(separatedBy: "<path d=\"").dropFirst().first { $0.contains("stroke=\"#005fcc\" stroke-width=\"2\"/>") && !$0.hasPrefix("M8 ") }
        #expect(pathA.map { occurrences("M", in: String($0.prefix { $0 != "\"" })) } == 2)
        #expect(occurrences("<circle", in: svg) == 3 + 1)   // A: 3 markers + legend
        #expect(occurrences("<rect x=", in: svg) == 4 + 1)  // B: squares + legend
        #expect(svg.contains("stroke-dasharray=\"6 3\""))
        #expect(svg.contains(">—<"))
        #expect(svg.contains(">A</text>") && svg.contains(">B</text>") && svg.contains(">C</text>"))
        #expect(svgElements(svg) != nil)
    }

    @Test func emptyAllZeroAndSingleCategory() {
        let empty = SVGChart.bar(title: "E", description: "d", series: [], categories: [], noDataText: "データなし")
        #expect(empty.contains(">データなし<") && !empty.contains("<rect x="))
        #expect(svgElements(empty) != nil)
        let allNil = SVGChart.line(title: "E", description: "d", series: [ChartSeries(name: "x", values: [nil, nil])], categories: ["a", "b"])
        #expect(allNil.contains(">No data<"))
        let zeros = SVGChart.bar(title: "Z", description: "d", series: [ChartSeries(name: "z", values: [0, 0])], categories: ["a", "b"])
        #expect(!zeros.contains("nan") && zeros.contains(">0</text>") && svgElements(zeros) != nil)
        let zeroLine = SVGChart.line(title: "Z", description: "d", series: [ChartSeries(name: "z", values: [0, 0])], categories: ["a", "b"])
        #expect(!zeroLine.contains("nan") && svgElements(zeroLine) != nil)
        let single = SVGChart.bar(title: "S", description: "d", series: [ChartSeries(name: "s", values: [7])], categories: ["only"])
        #expect(occurrences("<rect x=", in: single) == 1 + 1 && single.contains(">7</text>") && single.contains(">only</text>"))
        let singleLine = SVGChart.line(title: "S", description: "d", series: [ChartSeries(name: "s", values: [7])], categories: ["only"])
        #expect(singleLine.contains(">7</text>") && svgElements(singleLine) != nil)
    }

    @Test func tableAlternative() {
        let t = SVGChart.table(title: "Applications", series: series, categories: categories, categoryHeader: "年度")
        #expect(t.caption == "Applications")
        #expect(t.columnHeaders == ["年度", "申請", "承認"])
        #expect(t.rows == [["2024年度", "120", "80"], ["2025年度", "—", "-45"], ["2026年度", "1,250.5", "900"]])
        let html = ChartTable(caption: "<c>", columnHeaders: ["", "a&b"], rows: [["r<1>", "1"]]).html()
        #expect(html == "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"&lt;c&gt;\"><table class=\"chart-table\"><caption>&lt;c&gt;</caption><thead><tr><th scope=\"col\"></th><th scope=\"col\">a&amp;b</th></tr></thead><tbody><tr><th scope=\"row\">r&lt;1&gt;</th><td>1</td></tr></tbody></table></div>")
        let custom = SVGChart.table(title: "P", series: [ChartSeries(name: "r", values: [0.5])], categories: ["x"]) { String(format: "%.0f%%", $0 * 100) }
        #expect(custom.rows == [["x", "50%"]])
    }

    @Test func defaultNumberFormat() {
        #expect(SVGChart.defaultFormat(1234.5) == "1,234.5")
        #expect(SVGChart.defaultFormat(1_234_567) == "1,234,567")
        #expect(SVGChart.defaultFormat(-45) == "-45")
        #expect(SVGChart.defaultFormat(0.05) == "0.05")
        #expect(SVGChart.defaultFormat(-0.001) == "0")
        #expect(SVGChart.defaultFormat(999.999) == "1,000")
        #expect(SVGChart.defaultFormat(.nan) == "—")
    }

    @Test func niceScaleIncludesZeroAndData() {
        let s = SVGChart.niceScale([-45, 1250])
        #expect(s.min <= -45 && s.max >= 1250 && s.ticks.contains(0))
        #expect(SVGChart.niceScale([]).ticks.first == 0 && SVGChart.niceScale([]).max == 1)
        #expect(SVGChart.niceScale([0.3]).ticks.allSatisfy { ($0 * 1000).rounded() == $0 * 1000 })
    }
}
