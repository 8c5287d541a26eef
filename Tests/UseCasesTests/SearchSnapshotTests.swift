import Foundation
import FluentKit
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import UseCases

@Suite("The in-memory listing behind the search: relevance, and freshness across instances")
struct SearchSnapshotTests {
    @Test("relevance: words in the title first, then in the summary, then anywhere; ties newest first")
    func relevance() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let city = try await Session.signIn(platform, client, Fixture.city)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            func case_(_ title: String, _ summary: String, problem: String = "作業に時間がかかっていた。") async throws -> String {
                try await publish(Fixture.content(title: title, summary: summary, problem: problem), by: city, moderator: reviewer)
            }
            // Published oldest to newest.
            let both = try await case_("橋りょう点検の記録", "点検の写真を整理する。")
            let titleOld = try await case_("設備点検の報告書作成", "報告書を作る。")
            let summary = try await case_("会議録の整理", "点検結果をまとめる。")
            let body = try await case_("窓口業務の改善", "受付を自動化する。", problem: "点検の記録が多い。")
            let titleNew = try await case_("点検アプリの導入", "現場で使う。")
            let api = APIClient(client)
            #expect(try await SearchTests.numbers(api, SearchTests.q("点検")) == [both, titleNew, titleOld, summary, body])
            #expect(try await SearchTests.numbers(api, SearchTests.q("点検") + "&sort=newest") == [titleNew, body, summary, titleOld, both])
            // Two words: a title holding both beats titles holding one.
            #expect(try await SearchTests.numbers(api, SearchTests.q("点検 記録")).first == both)
        }
    }

    @Test("a snapshot follows reuses (only the counts are read again), publications and withdrawals made through another instance")
    func freshness() async throws {
        try await TestPlatform.withClient(modules: [UseCasesModule()]) { platform, client in
            let (minutes, chat, guide) = try await SearchTests.corpus(platform, client)
            // Two instances: each has its own snapshot of one database.
            let first = PublicUseCases(services: platform.services, search: SearchSnapshots())
            let second = PublicUseCases(services: platform.services, search: SearchSnapshots())
            func numbers(_ reads: PublicUseCases, _ query: SearchQuery) async throws -> [String] {
                try await reads.searchPage(query).items.map(\.number)
            }
            #expect(try await numbers(first, SearchQuery(sort: .reused)) == [guide, chat, minutes])
            let before = try await first.search.current(on: platform.services.sql)

            let chatID = try #require(try await UseCaseRecord.query(on: platform.services.db).filter(\.$number == chat).first()?.id)
            try await UseCaseService(services: platform.services).countReuse(chatID)
            #expect(try await numbers(first, SearchQuery(sort: .reused)) == [chat, guide, minutes])
            #expect(try await numbers(second, SearchQuery(sort: .reused)) == [chat, guide, minutes])
            let patched = try await first.search.current(on: platform.services.sql)
            #expect(patched.version.generation == before.version.generation)
            #expect(patched.version.reuses > before.version.reuses)
            #expect(patched.titles.bytes == before.titles.bytes)

            let member = try await Session.signIn(platform, client, Fixture.member)
            let guideID = try #require(try await UseCaseRecord.query(on: platform.services.db).filter(\.$number == guide).first()?.id)
            #expect(try await member.act(guideID.uuidString, "withdraw", comment: "事業終了").status == .ok)
            let afterWithdrawal = try await first.searchPage(SearchQuery())
            #expect(afterWithdrawal.total == 2)
            #expect(afterWithdrawal.items.map(\.number) == [chat, minutes])
            #expect(try await numbers(second, SearchQuery(text: "ガイド")) == [])

            let city = try await Session.signIn(platform, client, Fixture.city)
            let reviewer = try await Session.signIn(platform, client, Fixture.reviewer)
            let added = try await publish(Fixture.content(title: "点検記録の要約"), by: city, moderator: reviewer)
            #expect(try await numbers(second, SearchQuery(text: "点検記録")) == [added])
            #expect(try await first.searchPage(SearchQuery()).facets["industry"]?.first { $0.value == "S" }?.count == 3)
        }
    }

    @Test("the aggregated listing is split into fields; an empty listing gives an empty snapshot")
    func parse() {
        let f = "\u{1F}", r = "\u{1E}"
        let version = SearchSnapshot.Version(generation: 7, reuses: 2)
        let listing = ["12", "S", "minutes", "municipality", "special-ward", "production", "2", "5", "議事録の要約", "会議を要約する"].joined(separator: f)
            + r + ["3", "G", "translation", "sme", "", "pilot", "1", "0", "観光ガイド", ""].joined(separator: f)
        let snapshot = SearchSnapshot.parse(listing, version: version)
        #expect(snapshot.seqs == [12, 3])
        #expect(snapshot.position(of: 3) == 1)
        #expect(snapshot.position(of: 4) == nil)
        #expect(snapshot.position(of: 99) == nil)
        #expect(snapshot.values[Facet.allCases.firstIndex(of: .industry)!] == ["S", "G"])
        #expect(snapshot.values[Facet.allCases.firstIndex(of: .municipalityScale)!] == ["special-ward", ""])
        #expect(snapshot.byReuses == [0, 1])
        #expect(snapshot.titles.contains(Array("要約".utf8), at: 0))
        #expect(!snapshot.titles.contains(Array("要約".utf8), at: 1))
        #expect(!snapshot.summaries.contains(Array("a".utf8), at: 1))
        #expect(SearchSnapshot.parse("", version: version).count == 0)
    }

    @Test("a substring test stays inside one text: start, end, repeated first bytes, never across two texts")
    func substring() {
        var builder = TextColumn.Builder()
        for text in ["ab", "cd", "ああい", "議事録の要約"] { Array(text.utf8).withUnsafeBufferPointer { builder.append($0) } }
        let column = builder.build()
        func has(_ needle: String, _ index: Int) -> Bool { column.contains(Array(needle.utf8), at: index) }
        #expect(has("a", 0) && has("b", 0) && has("ab", 0))
        #expect(!has("bc", 0) && !has("bc", 1) && !has("abc", 0))
        #expect(has("あい", 2) && !has("いあ", 2))
        #expect(has("議事", 3) && has("要約", 3) && !has("要約す", 3))
    }
}
