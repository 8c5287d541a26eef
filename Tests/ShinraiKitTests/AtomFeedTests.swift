import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import ShinraiKit

/// Parses the XML; returns (element path → text) pairs and attributes, or nil when not well-formed.
private final class AtomCollector: NSObject, XMLParserDelegate {
    var stack: [String] = []
    var texts: [(path: String, text: String)] = []
    var attributes: [(path: String, attributes: [String: String])] = []
    var namespaces: [String] = []
    private var buffer = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(elementName)
        attributes.append((stack.joined(separator: "/"), attributeDict))
        if let namespaceURI { namespaces.append(namespaceURI) }
        buffer = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        texts.append((stack.joined(separator: "/"), buffer.trimmingCharacters(in: .whitespacesAndNewlines)))
        buffer = ""
        stack.removeLast()
    }

    static func parse(_ xml: String) -> AtomCollector? {
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = true
        let collector = AtomCollector()
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    func text(_ path: String) -> [String] { texts.filter { $0.path == path }.map(\.text) }
}

@Suite struct AtomFeedTests {
    let updated = Date(timeIntervalSince1970: 1_795_755_900)  // 2026-11-27T05:05:00Z

    func sampleFeed(title: String = "Shinrai お知らせ") -> AtomFeed {
        AtomFeed(
            id: AtomFeed.tagURI(authority: "Shinrai.example.jp", date: "2026", specific: "/feeds/news"),
            title: title, subtitle: "Updates <beta>", updated: updated,
            selfLink: "https://shinrai.example.jp/feeds/news.atom?lang=ja&x=1",
            alternateLink: "https://shinrai.example.jp/news",
            authors: [AtomFeed.Person(name: "Shinrai 運営 & Co", email: "ops@example.jp")],
            language: "ja",
            entries: [
                AtomFeed.Entry(id: AtomFeed.uuidURN(UUID(uuidString: "3F2504E0-4F89-41D3-9A0C-0305E82C3301")!),
                               title: "Fish & <Chips> \"quoted\" 'single'", updated: updated,
                               published: updated.addingTimeInterval(-86_400), link: "https://shinrai.example.jp/news/1?a=1&b=2",
                               summary: "1 < 2 && 3 > 2\u{0}", content: .html("<p>Hello <b>world</b> &amp; more</p>"),
                               categories: ["security&privacy"]),
                AtomFeed.Entry(id: "tag:shinrai.example.jp,2026:/news/2", title: "Second", updated: updated,
                               content: .text("plain ]]> text")),
            ])
    }

    @Test func outputIsWellFormedAtom() throws {
        let xml = sampleFeed().xml()
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">"))
        let doc = try #require(AtomCollector.parse(xml), "not well-formed XML")
        #expect(doc.text("feed/id") == ["tag:shinrai.example.jp,2026:/feeds/news"])
        #expect(doc.text("feed/title") == ["Shinrai お知らせ"])
        #expect(doc.text("feed/subtitle") == ["Updates <beta>"])
        #expect(doc.text("feed/updated") == ["2026-11-27T05:05:00Z"])
        #expect(doc.text("feed/author/name") == ["Shinrai 運営 & Co"])
        #expect(doc.text("feed/entry/id") == ["urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301", "tag:shinrai.example.jp,2026:/news/2"])
        #expect(doc.text("feed/entry/title") == ["Fish & <Chips> \"quoted\" 'single'", "Second"])
        #expect(doc.text("feed/entry/published") == ["2026-11-26T05:05:00Z"])
        #expect(doc.text("feed/entry/summary") == ["1 < 2 && 3 > 2"])  // NUL dropped: not allowed in XML
        #expect(doc.text("feed/entry/content") == ["<p>Hello <b>world</b> &amp; more</p>", "plain ]]> text"])
        let links = doc.attributes.filter { $0.path == "feed/link" }.map(\.attributes)
        #expect(links.contains { $0["rel"] == "self" && $0["href"] == "https://shinrai.example.jp/feeds/news.atom?lang=ja&x=1" })
        #expect(links.contains { $0["rel"] == "alternate" && $0["href"] == "https://shinrai.example.jp/news" })
        let entryLink = doc.attributes.first { $0.path == "feed/entry/link" }?.attributes
        #expect(entryLink?["href"] == "https://shinrai.example.jp/news/1?a=1&b=2")
        #expect(doc.attributes.first { $0.path == "feed/entry/category" }?.attributes["term"] == "security&privacy")
        #expect(doc.attributes.first { $0.path == "feed/entry/content" }?.attributes["type"] == "html")
        #expect(Set(doc.namespaces) == ["http://www.w3.org/2005/Atom"])
    }

    @Test func everythingIsEscapedInTheText() {
        let xml = sampleFeed(title: "<script>&").xml()
        #expect(xml.contains("<title type=\"text\">&lt;script&gt;&amp;</title>"))
        #expect(xml.contains("<title type=\"text\">Fish &amp; &lt;Chips&gt; &quot;quoted&quot; &#39;single&#39;</title>"))
        #expect(xml.contains("href=\"https://shinrai.example.jp/news/1?a=1&amp;b=2\""))
        #expect(xml.contains("<content type=\"html\">&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt; &amp;amp; more&lt;/p&gt;</content>"))
        #expect(!xml.contains("<script>") && !xml.contains("\u{0}"))
    }

    @Test func requiredElementsArePresentInEveryEntry() throws {
        let doc = try #require(AtomCollector.parse(sampleFeed().xml()))
        let entries = doc.texts.filter { $0.path == "feed/entry" }.count
        #expect(entries == 2)
        for element in ["id", "title", "updated"] { #expect(doc.text("feed/entry/\(element)").count == 2, "\(element)") }
    }

    @Test func idHelpers() {
        #expect(AtomFeed.tagURI(authority: "Example.JP", date: "2026-11-27", specific: "x") == "tag:example.jp,2026-11-27:x")
        #expect(AtomFeed.uuidURN(UUID(uuidString: "3F2504E0-4F89-41D3-9A0C-0305E82C3301")!) == "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301")
        #expect(AtomFeed.contentType == "application/atom+xml; charset=utf-8")
    }

    @Test func emptyFeedIsStillWellFormed() throws {
        let feed = AtomFeed(id: "urn:uuid:00000000-0000-0000-0000-000000000000", title: "Empty", updated: updated,
                            selfLink: "https://example.jp/feed", authors: [AtomFeed.Person(name: "A")])
        let doc = try #require(AtomCollector.parse(feed.xml()))
        #expect(doc.text("feed/entry/id").isEmpty)
        #expect(doc.text("feed/generator") == ["Shinrai"])
    }
}
