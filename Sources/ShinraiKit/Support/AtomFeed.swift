import Foundation

/// An RFC 4287 Atom feed, written as well-formed XML with every text and attribute escaped and all
/// dates in RFC 3339 UTC (`2026-11-27T05:05:00Z`).
///
/// Ids must be permanent and unique: use `AtomFeed.tagURI` (RFC 4151, `tag:example.jp,2026:/items/42`)
/// or `AtomFeed.uuidURN` (`urn:uuid:…`). RFC 4287 wants an author on the feed or on every entry, and
/// each entry needs content or an alternate link; `xml()` writes what it is given and does not invent
/// elements, so give at least one author.
public struct AtomFeed: Sendable, Equatable {
    public struct Person: Sendable, Equatable {
        public var name: String
        public var email: String?
        public var uri: String?

        public init(name: String, email: String? = nil, uri: String? = nil) {
            self.name = name
            self.email = email
            self.uri = uri
        }
    }

    public enum Content: Sendable, Equatable {
        /// Plain text (`type="text"`).
        case text(String)
        /// HTML markup, escaped into the element (`type="html"`).
        case html(String)
    }

    public struct Entry: Sendable, Equatable {
        public var id: String
        public var title: String
        public var updated: Date
        public var published: Date?
        /// The entry's page (`rel="alternate"`).
        public var link: String?
        /// Plain-text summary.
        public var summary: String?
        public var content: Content?
        public var authors: [Person]
        public var categories: [String]

        public init(id: String, title: String, updated: Date, published: Date? = nil, link: String? = nil,
                    summary: String? = nil, content: Content? = nil, authors: [Person] = [], categories: [String] = []) {
            self.id = id
            self.title = title
            self.updated = updated
            self.published = published
            self.link = link
            self.summary = summary
            self.content = content
            self.authors = authors
            self.categories = categories
        }
    }

    public var id: String
    public var title: String
    public var subtitle: String?
    public var updated: Date
    /// The feed's own URL (`rel="self"`).
    public var selfLink: String
    /// The HTML page the feed belongs to (`rel="alternate"`).
    public var alternateLink: String?
    public var authors: [Person]
    /// `xml:lang` of the feed, e.g. "ja".
    public var language: String?
    public var rights: String?
    public var generator: String?
    public var entries: [Entry]

    public init(id: String, title: String, subtitle: String? = nil, updated: Date, selfLink: String,
                alternateLink: String? = nil, authors: [Person] = [], language: String? = nil,
                rights: String? = nil, generator: String? = "Shinrai", entries: [Entry] = []) {
        self.id = id
        self.title = title
        self.subtitle = subtitle
        self.updated = updated
        self.selfLink = selfLink
        self.alternateLink = alternateLink
        self.authors = authors
        self.language = language
        self.rights = rights
        self.generator = generator
        self.entries = entries
    }

    /// The media type to send: `application/atom+xml; charset=utf-8`.
    public static let contentType = "application/atom+xml; charset=utf-8"

    /// RFC 4151 tag URI: `tag:<authority>,<date>:<specific>` (date as `2026` or `2026-11-27`).
    public static func tagURI(authority: String, date: String, specific: String) -> String {
        "tag:\(authority.lowercased()),\(date):\(specific)"
    }

    /// `urn:uuid:` followed by the lower-case UUID.
    public static func uuidURN(_ uuid: UUID) -> String { "urn:uuid:" + uuid.uuidString.lowercased() }

    /// The feed document.
    public func xml() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        out += "<feed xmlns=\"http://www.w3.org/2005/Atom\""
        if let language { out += " xml:lang=\"\(esc(language))\"" }
        out += ">\n"
        out += "  <id>\(esc(id))</id>\n"
        out += "  <title type=\"text\">\(esc(title))</title>\n"
        if let subtitle { out += "  <subtitle type=\"text\">\(esc(subtitle))</subtitle>\n" }
        out += "  <updated>\(ISO8601Timestamp.format(updated))</updated>\n"
        out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(esc(selfLink))\"/>\n"
        if let alternateLink { out += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(esc(alternateLink))\"/>\n" }
        for author in authors { out += person(author, indent: "  ") }
        if let rights { out += "  <rights type=\"text\">\(esc(rights))</rights>\n" }
        if let generator { out += "  <generator>\(esc(generator))</generator>\n" }
        for entry in entries {
            out += "  <entry>\n"
            out += "    <id>\(esc(entry.id))</id>\n"
            out += "    <title type=\"text\">\(esc(entry.title))</title>\n"
            out += "    <updated>\(ISO8601Timestamp.format(entry.updated))</updated>\n"
            if let published = entry.published { out += "    <published>\(ISO8601Timestamp.format(published))</published>\n" }
            if let link = entry.link { out += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(esc(link))\"/>\n" }
            for author in entry.authors { out += person(author, indent: "    ") }
            for category in entry.categories { out += "    <category term=\"\(esc(category))\"/>\n" }
            if let summary = entry.summary { out += "    <summary type=\"text\">\(esc(summary))</summary>\n" }
            switch entry.content {
            case .text(let text): out += "    <content type=\"text\">\(esc(text))</content>\n"
            case .html(let html): out += "    <content type=\"html\">\(esc(html))</content>\n"
            case nil: break
            }
            out += "  </entry>\n"
        }
        out += "</feed>\n"
        return out
    }

    private func person(_ p: Person, indent: String) -> String {
        var out = "\(indent)<author>\n\(indent)  <name>\(esc(p.name))</name>\n"
        if let email = p.email { out += "\(indent)  <email>\(esc(email))</email>\n" }
        if let uri = p.uri { out += "\(indent)  <uri>\(esc(uri))</uri>\n" }
        return out + "\(indent)</author>\n"
    }

    private func esc(_ s: String) -> String { SupportXML.escape(s) }
}
