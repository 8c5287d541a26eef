import Foundation

// Server-rendered, accessible SVG charts (no JavaScript).
//
// Every chart has `role="img"`, a `<title>` and a `<desc>` referenced by `aria-labelledby`, dark text
// (#1a1a1a) on white, and never relies on colour alone: every bar and point carries its value as a
// text label (a missing value is labelled "—"), bars of different series have different fill patterns
// and lines have different dash patterns and marker shapes, with a legend. `SVGChart.table` gives the
// same data as a table for the page to show as an alternative. Output is deterministic: coordinates are
// rounded to 0.1 and ids derive from the content, so equal inputs give byte-identical SVG.

/// One named series of values; `nil` means "no data" (a gap, labelled "—").
public struct ChartSeries: Sendable, Equatable {
    public var name: String
    public var values: [Double?]

    public init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// The data of a chart as a table (the accessible alternative to the picture).
public struct ChartTable: Sendable, Equatable {
    public var caption: String
    /// The first header names the category column (may be empty), then one per series.
    public var columnHeaders: [String]
    /// One row per category: the category label, then one formatted value per series ("—" for none).
    public var rows: [[String]]

    public init(caption: String, columnHeaders: [String], rows: [[String]]) {
        self.caption = caption
        self.columnHeaders = columnHeaders
        self.rows = rows
    }

    /// An HTML `<table>` with a caption, column headers and row headers, all text escaped, inside a
    /// keyboard-focusable region that scrolls on its own, so a wide table never makes a narrow page
    /// scroll sideways (WCAG 1.4.10).
    public func html(className: String = "chart-table") -> String {
        var out = "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"\(SupportXML.escape(caption))\">"
        out += "<table class=\"\(SupportXML.escape(className))\"><caption>\(SupportXML.escape(caption))</caption><thead><tr>"
        for header in columnHeaders { out += "<th scope=\"col\">\(SupportXML.escape(header))</th>" }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() {
                out += i == 0 ? "<th scope=\"row\">\(SupportXML.escape(cell))</th>" : "<td>\(SupportXML.escape(cell))</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }
}

public enum SVGChart {
    /// Text colour (contrast 17:1 on white).
    public static let textColor = "#1a1a1a"
    /// Series colours (each at least 4.5:1 against white); they repeat after five series.
    public static let palette = ["#005fcc", "#d4380d", "#2e7d32", "#6a3d9a", "#8c6d00"]
    /// Label for a missing value.
    public static let missingLabel = "—"

    /// Default value format: thousands separators, at most two decimals (`1,234.5`, `-3`, `0.25`).
    public static func defaultFormat(_ value: Double) -> String {
        guard value.isFinite else { return missingLabel }
        if abs(value) >= 1e15 { return String(format: "%.3e", value) }
        let hundredths = (abs(value) * 100).rounded()
        let whole = Int(hundredths / 100)
        let fraction = Int(hundredths) - whole * 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        if fraction != 0 {
            grouped += fraction % 10 == 0 ? ".\(fraction / 10)" : (fraction < 10 ? ".0\(fraction)" : ".\(fraction)")
        }
        return (value < 0 && hundredths != 0 ? "-" : "") + grouped
    }

    /// The table alternative for a chart with the same inputs.
    public static func table(title: String, series: [ChartSeries], categories: [String], categoryHeader: String = "",
                             valueFormat: (Double) -> String = SVGChart.defaultFormat) -> ChartTable {
        ChartTable(caption: title,
                   columnHeaders: [categoryHeader] + series.map(\.name),
                   rows: categories.enumerated().map { index, category in
                       [category] + series.map { s in
                           (index < s.values.count ? s.values[index] : nil).map(valueFormat) ?? missingLabel
                       }
                   })
    }

    /// A grouped bar chart. Negative values are drawn below the zero axis.
    public static func bar(title: String, description: String, series: [ChartSeries], categories: [String],
                           valueFormat: (Double) -> String = SVGChart.defaultFormat,
                           width: Int = 640, height: Int = 320, id: String? = nil, noDataText: String = "No data") -> String {
        var chart = Canvas(kind: "bar", title: title, description: description, series: series, categories: categories,
                           valueFormat: valueFormat, width: width, height: height, id: id)
        guard chart.hasData else { return chart.finishEmpty(noDataText) }
        chart.drawFrame(legendSwatch: .bar)
        let groupWidth = chart.plot.width / Double(categories.count)
        let barWidth = groupWidth * 0.7 / Double(series.count)
        let zeroY = chart.y(0)
        for (s, item) in series.enumerated() {
            chart.body += "<g class=\"series\" fill=\"\(chart.fill(s))\" stroke=\"\(chart.color(s))\">"
            for i in categories.indices {
                let x = chart.plot.left + Double(i) * groupWidth + groupWidth * 0.15 + Double(s) * barWidth
                let centre = x + barWidth / 2
                guard let value = chart.value(item, i) else {
                    chart.body += "<text x=\"\(f(centre))\" y=\"\(f(zeroY - 4))\" text-anchor=\"middle\" fill=\"\(textColor)\" stroke=\"none\" font-size=\"11\">\(missingLabel)</text>"
                    continue
                }
                let valueY = chart.y(value)
                var top = min(valueY, zeroY)
                var barHeight = abs(zeroY - valueY)
                if value != 0 && barHeight < 1 { barHeight = 1; if value > 0 { top = zeroY - 1 } }
                let label = SupportXML.escape(valueFormat(value))
                chart.body += "<rect x=\"\(f(x))\" y=\"\(f(top))\" width=\"\(f(barWidth))\" height=\"\(f(barHeight))\">"
                    + "<title>\(SupportXML.escape(item.name)) / \(SupportXML.escape(categories[i])): \(label)</title></rect>"
                let labelY = value < 0 ? top + barHeight + 12 : top - 4
                chart.body += "<text x=\"\(f(centre))\" y=\"\(f(labelY))\" text-anchor=\"middle\" fill=\"\(textColor)\" stroke=\"none\" font-size=\"11\">\(label)</text>"
            }
            chart.body += "</g>"
        }
        chart.drawZeroAxisAndCategories()
        return chart.finish()
    }

    /// A line chart with a distinct marker shape and dash pattern per series, and a legend.
    /// Missing values break the line and are labelled "—" at the bottom of the plot.
    public static func line(title: String, description: String, series: [ChartSeries], categories: [String],
                            valueFormat: (Double) -> String = SVGChart.defaultFormat,
                            width: Int = 640, height: Int = 320, id: String? = nil, noDataText: String = "No data") -> String {
        var chart = Canvas(kind: "line", title: title, description: description, series: series, categories: categories,
                           valueFormat: valueFormat, width: width, height: height, id: id)
        guard chart.hasData else { return chart.finishEmpty(noDataText) }
        chart.drawFrame(legendSwatch: .line)
        chart.drawZeroAxisAndCategories()
        let groupWidth = chart.plot.width / Double(categories.count)
        let allPoints: [[(x: Double, y: Double, value: Double)?]] = series.map { item in
            categories.indices.map { i in
                guard let v = chart.value(item, i) else { return nil }
                return (chart.plot.left + groupWidth * (Double(i) + 0.5), chart.y(v), v)
            }
        }
        // Value labels sit above their points; where labels of different series at the same category
        // would overprint each other, the higher ones are stacked upwards 12px apart.
        var labelY = allPoints.map { $0.map { $0.map { $0.y - 9 } ?? 0 } }
        for i in categories.indices {
            let order = series.indices.filter { allPoints[$0][i] != nil }.sorted { (labelY[$0][i], $1) > (labelY[$1][i], $0) }
            for k in order.indices.dropFirst() where labelY[order[k - 1]][i] - labelY[order[k]][i] < 12 {
                labelY[order[k]][i] = labelY[order[k - 1]][i] - 12
            }
        }
        for (s, item) in series.enumerated() {
            let points = allPoints[s]
            var path = ""
            var previous = false
            for p in points {
                if let p {
                    path += (previous ? " L" : (path.isEmpty ? "M" : " M")) + "\(f(p.x)) \(f(p.y))"
                    previous = true
                } else {
                    previous = false
                }
            }
            chart.body += "<g class=\"series\">"
            if !path.isEmpty {
                chart.body += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(chart.color(s))\" stroke-width=\"2\"\(dashAttribute(s))/>"
            }
            for (i, p) in points.enumerated() {
                let x = chart.plot.left + groupWidth * (Double(i) + 0.5)
                guard let p else {
                    chart.body += "<text x=\"\(f(x))\" y=\"\(f(chart.plot.bottom - 4 - Double(s) * 12))\" text-anchor=\"middle\" fill=\"\(textColor)\" font-size=\"11\">\(missingLabel)</text>"
                    continue
                }
                let label = SupportXML.escape(valueFormat(p.value))
                chart.body += marker(s, x: p.x, y: p.y, color: chart.color(s),
                                     tooltip: "\(SupportXML.escape(item.name)) / \(SupportXML.escape(categories[i])): \(label)")
                chart.body += "<text x=\"\(f(p.x))\" y=\"\(f(labelY[s][i]))\" text-anchor=\"middle\" fill=\"\(textColor)\" font-size=\"11\">\(label)</text>"
            }
            chart.body += "</g>"
        }
        return chart.finish()
    }

    // MARK: - Drawing helpers

    /// Formats a coordinate with at most one decimal and no "-0".
    static func f(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        if r == 0 { return "0" }
        if r == r.rounded() { return String(Int(r)) }
        return String(format: "%.1f", r)
    }

    static func dashAttribute(_ s: Int) -> String {
        let patterns = ["", "6 3", "2 3", "8 3 2 3", "12 4"]
        let p = patterns[s % patterns.count]
        return p.isEmpty ? "" : " stroke-dasharray=\"\(p)\""
    }

    static func marker(_ s: Int, x: Double, y: Double, color: String, tooltip: String) -> String {
        let common = "fill=\"\(color)\" stroke=\"#ffffff\" stroke-width=\"1\""
        let t = "<title>\(tooltip)</title>"
        switch s % 5 {
        case 0:
            return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4.5\" \(common)>\(t)</circle>"
        case 1:
            return "<rect x=\"\(f(x - 4))\" y=\"\(f(y - 4))\" width=\"8\" height=\"8\" \(common)>\(t)</rect>"
        case 2:
            return "<path d=\"M\(f(x)) \(f(y - 5.5)) L\(f(x + 5)) \(f(y + 4)) L\(f(x - 5)) \(f(y + 4)) Z\" \(common)>\(t)</path>"
        case 3:
            return "<path d=\"M\(f(x)) \(f(y - 5.5)) L\(f(x + 5.5)) \(f(y)) L\(f(x)) \(f(y + 5.5)) L\(f(x - 5.5)) \(f(y)) Z\" \(common)>\(t)</path>"
        default:
            return "<path d=\"M\(f(x - 4)) \(f(y - 4)) L\(f(x + 4)) \(f(y + 4)) M\(f(x + 4)) \(f(y - 4)) L\(f(x - 4)) \(f(y + 4))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\">\(t)</path>"
        }
    }

    /// Rough rendered width of a label at 12px (CJK and other wide characters count double).
    static func textWidth(_ text: String, fontSize: Double = 12) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x1100 ? 0.6 : 1.0) } * fontSize
    }

    /// A "nice" axis from the data range, always including zero.
    static func niceScale(_ values: [Double]) -> (min: Double, max: Double, ticks: [Double]) {
        var low = min(0, values.min() ?? 0)
        var high = max(0, values.max() ?? 0)
        if low == high { high = 1 }
        let raw = (high - low) / 4
        let magnitude = pow(10, floor(log10(raw)))
        let n = raw / magnitude
        let step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * magnitude
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        let count = Int(((high - low) / step).rounded())
        let decimals = max(0, Int(-floor(log10(step))) + 1)
        let ticks = (0...count).map { k -> Double in
            let t = low + Double(k) * step
            if abs(t) < step * 1e-9 { return 0 }
            return Double(String(format: "%.\(decimals)f", t)) ?? t  // the double nearest the decimal tick
        }
        return (low, high, ticks)
    }

    /// FNV-1a, for content-derived ids.
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    enum Swatch { case bar, line }

    struct Plot {
        var left: Double, top: Double, right: Double, bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    struct Canvas {
        let title: String
        let description: String
        let series: [ChartSeries]
        let categories: [String]
        let width: Int
        let height: Int
        let id: String
        let scale: (min: Double, max: Double, ticks: [Double])
        let tickLabels: [String]
        let hasData: Bool
        var plot = Plot(left: 0, top: 0, right: 0, bottom: 0)
        var head = ""
        var body = ""

        init(kind: String, title: String, description: String, series: [ChartSeries], categories: [String],
             valueFormat: (Double) -> String, width: Int, height: Int, id: String?) {
            self.title = title
            self.description = description
            self.series = series
            self.categories = categories
            self.width = max(width, 120)
            self.height = max(height, 100)
            let values = series.flatMap { s in s.values.prefix(categories.count).compactMap { $0 }.filter(\.isFinite) }
            hasData = !categories.isEmpty && !series.isEmpty && !values.isEmpty
            scale = SVGChart.niceScale(values)
            tickLabels = scale.ticks.map(valueFormat)
            if let id, !id.isEmpty {
                self.id = String(id.unicodeScalars.filter { $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }.map(Character.init))
            } else {
                var fingerprint = [kind, title, description, "\(width)x\(height)"] + categories
                for s in series { fingerprint.append(s.name + ":" + s.values.map { $0.map { "\($0)" } ?? "nil" }.joined(separator: ",")) }
                self.id = "chart-" + SVGChart.hash(fingerprint.joined(separator: "\u{1F}")).prefix(10)
            }
            let fontFamily = "system-ui, -apple-system, 'Hiragino Sans', 'Noto Sans JP', sans-serif"
            head = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(self.width)\" height=\"\(self.height)\" viewBox=\"0 0 \(self.width) \(self.height)\""
                + " role=\"img\" aria-labelledby=\"\(self.id)-title \(self.id)-desc\" font-family=\"\(fontFamily)\" font-size=\"12\">"
                + "<title id=\"\(self.id)-title\">\(SupportXML.escape(title))</title>"
                + "<desc id=\"\(self.id)-desc\">\(SupportXML.escape(description))</desc>"
        }

        func color(_ s: Int) -> String { SVGChart.palette[s % SVGChart.palette.count] }

        /// Series 0 is solid; the others use a pattern of their colour so that bars differ without colour.
        func fill(_ s: Int) -> String { s % 5 == 0 ? color(s) : "url(#\(id)-p\(s))" }

        func value(_ s: ChartSeries, _ i: Int) -> Double? {
            guard i < s.values.count, let v = s.values[i], v.isFinite else { return nil }
            return v
        }

        func y(_ v: Double) -> Double {
            plot.top + (scale.max - v) / (scale.max - scale.min) * plot.height
        }

        func patterns() -> String {
            var defs = ""
            for s in series.indices where s % 5 != 0 {
                let c = color(s)
                let pid = "\(id)-p\(s)"
                switch s % 5 {
                case 1, 2, 3:
                    let angle = [1: 45, 2: -45, 3: 90][s % 5]!
                    defs += "<pattern id=\"\(pid)\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(\(angle))\">"
                        + "<rect width=\"6\" height=\"6\" fill=\"\(c)\"/><rect width=\"2\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.7\"/></pattern>"
                default:
                    defs += "<pattern id=\"\(pid)\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">"
                        + "<rect width=\"6\" height=\"6\" fill=\"\(c)\"/><circle cx=\"3\" cy=\"3\" r=\"1.4\" fill=\"#ffffff\" fill-opacity=\"0.8\"/></pattern>"
                }
            }
            return defs.isEmpty ? "" : "<defs>\(defs)</defs>"
        }

        /// Title, legend, grid lines with tick labels.
        mutating func drawFrame(legendSwatch: Swatch) {
            body += patterns()
            body += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>"
            body += "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\" fill=\"\(SVGChart.textColor)\">\(SupportXML.escape(title))</text>"
            // Legend (wraps onto more rows when needed).
            var x = 8.0
            var row = 0
            var legend = ""
            for (s, item) in series.enumerated() {
                let itemWidth = 22 + SVGChart.textWidth(item.name) + 16
                if x + itemWidth > Double(width) - 8 && x > 8 { x = 8; row += 1 }
                let y = 36 + Double(row) * 18
                switch legendSwatch {
                case .bar:
                    legend += "<rect x=\"\(f(x))\" y=\"\(f(y - 10))\" width=\"14\" height=\"12\" fill=\"\(fill(s))\" stroke=\"\(color(s))\"/>"
                case .line:
                    legend += "<path d=\"M\(f(x)) \(f(y - 4)) L\(f(x + 16)) \(f(y - 4))\" stroke=\"\(color(s))\" stroke-width=\"2\"\(SVGChart.dashAttribute(s))/>"
                    legend += SVGChart.marker(s, x: x + 8, y: y - 4, color: color(s), tooltip: SupportXML.escape(item.name))
                }
                legend += "<text x=\"\(f(x + 22))\" y=\"\(f(y))\" fill=\"\(SVGChart.textColor)\">\(SupportXML.escape(item.name))</text>"
                x += itemWidth
            }
            body += "<g class=\"legend\">\(legend)</g>"
            let widestTick = tickLabels.map { SVGChart.textWidth($0, fontSize: 11) }.max() ?? 0
            plot = Plot(left: max(40, widestTick + 14), top: 36 + Double(row) * 18 + 26,
                        right: Double(width) - 16, bottom: Double(height) - 30)
            var grid = ""
            for (k, tick) in scale.ticks.enumerated() {
                let ty = y(tick)
                grid += "<line x1=\"\(f(plot.left))\" y1=\"\(f(ty))\" x2=\"\(f(plot.right))\" y2=\"\(f(ty))\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>"
                grid += "<text x=\"\(f(plot.left - 6))\" y=\"\(f(ty + 4))\" text-anchor=\"end\" fill=\"\(SVGChart.textColor)\" font-size=\"11\">\(SupportXML.escape(tickLabels[k]))</text>"
            }
            body += "<g class=\"grid\">\(grid)</g>"
        }

        /// The zero axis line and the category labels under the plot.
        mutating func drawZeroAxisAndCategories() {
            let zeroY = y(0)
            body += "<line class=\"axis\" x1=\"\(f(plot.left))\" y1=\"\(f(zeroY))\" x2=\"\(f(plot.right))\" y2=\"\(f(zeroY))\" stroke=\"\(SVGChart.textColor)\" stroke-width=\"1\"/>"
            let groupWidth = plot.width / Double(categories.count)
            var labels = ""
            for (i, category) in categories.enumerated() {
                let x = plot.left + groupWidth * (Double(i) + 0.5)
                labels += "<text x=\"\(f(x))\" y=\"\(f(plot.bottom + 18))\" text-anchor=\"middle\" fill=\"\(SVGChart.textColor)\">\(SupportXML.escape(category))</text>"
            }
            body += "<g class=\"categories\">\(labels)</g>"
        }

        func finish() -> String { head + body + "</svg>" }

        mutating func finishEmpty(_ text: String) -> String {
            body += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>"
            body += "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\" fill=\"\(SVGChart.textColor)\">\(SupportXML.escape(title))</text>"
            body += "<text x=\"\(f(Double(width) / 2))\" y=\"\(f(Double(height) / 2))\" text-anchor=\"middle\" fill=\"\(SVGChart.textColor)\">\(SupportXML.escape(text))</text>"
            return finish()
        }
    }
}

/// XML/HTML text escaping shared by the SVG and Atom writers.
enum SupportXML {
    /// Escapes `& < > " '` and drops characters that XML 1.0 does not allow (C0 controls other than
    /// tab, LF and CR; U+FFFE, U+FFFF).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                let v = scalar.value
                if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
