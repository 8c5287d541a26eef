import Foundation
import FluentKit
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("Japanese full-text search, facets, sorting and paging")
struct SearchTests {
    /// Three published cases with texts chosen for the search rules; returns their numbers.
    static func corpus(_ platform: Platform, _ client: any TestClientProtocol) async throws -> (minutes: String, chat: String, guide: String) {
        let city = try await Session.signIn(platform, client, Fixture.city)
        let member = try await Session.signIn(platform, client, Fixture.member)
        let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
        let minutes = try await publish(Fixture.content(title: "庁内文書の議事録作成支援", summary: "会議録を要約する。",
                                                        problem: "住民からの問い合わせ対応と会議の記録に追われていた。", category: "minutes"),
                                        by: city, moderator: reviewer)
        let chat = try await publish(Fixture.content(title: "ＡＩチャットボットによる窓口案内", summary: "窓口の案内を自動化する。",
                                                     problem: "窓口が混雑していた。", category: "inquiry-handling"),
                                     by: city, moderator: reviewer)
        let guide = try await publish(Fixture.content(title: "ｶﾞｲﾄﾞﾌﾞｯｸの多言語化", summary: "観光ガイドを翻訳する。", problem: "外国語の案内が足りない。",
                                                      category: "translation", industry: "G", organisationType: .sme),
                                      by: member, moderator: reviewer)
        return (minutes, chat, guide)
    }

    static func numbers(_ api: APIClient, _ query: String) async throws -> [String] {
        let reply = try await api.get("/api/v1/usecases?" + query)
        #expect(reply.status == .ok, "\(reply.text)")
        return (reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
    }

    static func q(_ text: String) -> String { "q=" + URLQuery.encode(text) }

    @Test("a term in the middle of a compound word, short terms, kana/kanji mixes and width variants all match")
    func japanese() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let (minutes, chat, guide) = try await Self.corpus(platform, client)
            let api = APIClient(client)
            #expect(try await Self.numbers(api, Self.q("事録作")) == [minutes])            // inside 議事録作成
            #expect(try await Self.numbers(api, Self.q("議事")) == [minutes])              // two characters: trigram vocabulary
            #expect(try await Self.numbers(api, Self.q("窓")) == [chat])                   // one character: substring test
            #expect(try await Self.numbers(api, Self.q("ｶﾞｲ")) == [guide])                 // half-width, three characters folded to two
            #expect(try await Self.numbers(api, Self.q("い合わせ対応と")) == [minutes])    // kana and kanji mixed
            #expect(try await Self.numbers(api, Self.q("aiチャット")) == [chat])           // half-width lower case finds full-width
            #expect(try await Self.numbers(api, Self.q("ＡＩチャ")) == [chat])
            #expect(try await Self.numbers(api, Self.q("ガイドブック")) == [guide])        // full-width finds half-width katakana
            #expect(try await Self.numbers(api, Self.q("がいど")) == [guide])              // hiragana finds katakana
            #expect(try await Self.numbers(api, Self.q("窓口　案内")) == [chat])           // ideographic space, every term must match
            #expect(try await Self.numbers(api, Self.q("議事録 窓口")) == [])
            #expect(try await Self.numbers(api, Self.q("100%_\\")) == [])                  // LIKE wildcards are literal
            #expect(try await Self.numbers(api, Self.q("翻訳・多言語対応")) == [guide])    // category names are indexed too
            // Highlighting: escaped text with <mark> around the original characters.
            let reply = try await api.get("/api/v1/usecases?" + Self.q("aiチ"))
            let item = try #require((reply.object["items"] as? [[String: Any]])?.first)
            #expect((item["highlight"] as? [String: String])?["title"] == "<mark>ＡＩチ</mark>ャットボットによる窓口案内")
        }
    }

    @Test("facet counts apply every other facet's filter; sort by relevance, newest and most reused; paging")
    func facetsSortPaging() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let (minutes, chat, guide) = try await Self.corpus(platform, client)
            let api = APIClient(client)
            func facet(_ reply: APIClient.Reply, _ name: String) -> [String: Int] {
                Dictionary(uniqueKeysWithValues: ((reply.object["facets"] as? [String: [[String: Any]]])?[name] ?? []).map {
                    ($0["value"] as! String, $0["count"] as! Int)
                })
            }
            let all = try await api.get("/api/v1/usecases")
            #expect(all.object["total"] as? Int == 3)
            #expect(facet(all, "industry") == ["S": 2, "G": 1])
            #expect(facet(all, "organisationType") == ["municipality": 2, "sme": 1])
            #expect(facet(all, "municipalityScale") == ["special-ward": 2])

            let filtered = try await api.get("/api/v1/usecases?industry=S")
            #expect(filtered.object["total"] as? Int == 2)
            #expect(facet(filtered, "industry") == ["S": 2, "G": 1])            // its own facet ignores its filter
            #expect(facet(filtered, "category") == ["minutes": 1, "inquiry-handling": 1])
            let selected = ((filtered.object["facets"] as? [String: [[String: Any]]])?["industry"] ?? []).filter { $0["selected"] as? Bool == true }
            #expect(selected.map { $0["value"] as? String } == ["S"])
            #expect(try await api.get("/api/v1/usecases?industry=S&industry=G").object["total"] as? Int == 3)
            #expect(try await api.get("/api/v1/usecases?industry=S&category=minutes").object["total"] as? Int == 1)
            let withText = try await api.get("/api/v1/usecases?" + Self.q("窓口") + "&industry=G")
            #expect(withText.object["total"] as? Int == 0)
            #expect(facet(withText, "industry") == ["S": 1, "G": 0])         // a selected value stays listed

            // Newest first by default; most reused after two prompt uses; relevance puts title matches first.
            #expect(try await Self.numbers(api, "") == [guide, chat, minutes])
            let reusedID = try #require(try await UseCaseRecord.query(on: platform.services.db).filter(\.$number == minutes).first()?.id)
            try await UseCaseService(services: platform.services).countReuse(reusedID)
            #expect(try await Self.numbers(api, "sort=reused").first == minutes)
            let ranked = try await Self.numbers(api, Self.q("案内"))
            #expect(Set(ranked) == [chat, guide])
            #expect(ranked.first == chat)                                         // 案内 in the title beats 案内 in the summary only

            let page2 = try await api.get("/api/v1/usecases?limit=1&page=2")
            #expect((page2.object["items"] as? [[String: Any]])?.count == 1)
            #expect(page2.object["nextPage"] as? Int == 3)
            #expect(try await api.get("/api/v1/usecases?limit=1&page=3").object["nextPage"] == nil)
        }
    }

    @Test("the web search page shows facets with counts, marks matches safely and keeps filters in the pager")
    func webPage() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            _ = try await Self.corpus(platform, client)
            var browser = Browser(client)
            let page = try await browser.get("/usecases?q=%E7%AA%93%E5%8F%A3+%3Cscript%3E&industry=S&limit=1")
            #expect(page.status == .ok)
            #expect(page.body.contains("value=\"窓口 &lt;script&gt;\""))
            #expect(!page.body.contains("<script>"))
            let ok = try await browser.get("/usecases?q=%E7%AA%93%E5%8F%A3&industry=S&limit=1")
            #expect(ok.body.contains("<mark>窓口</mark>"))
            #expect(ok.body.contains("checked"))
            // Unknown filter values on the web are ignored rather than failing the page.
            #expect(try await browser.get("/usecases?industry=ZZ&sort=nonsense").status == .ok)
        }
    }
}
