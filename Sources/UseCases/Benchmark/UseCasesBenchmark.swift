import FluentKit
import Foundation
import SQLKit
import ShinraiKit

/// The search benchmark (results go to docs/BENCHMARKS.md): `useCases` published use cases with
/// Japanese texts combined from word lists, then the public search — the function behind
/// `/usecases` and `GET /api/v1/usecases`, with the total, every facet's counts, highlighting and
/// paging — timed for typical queries.
///
/// Seeding writes the use cases, their published versions and their search rows in batches, a
/// few thousand per transaction; the search rows go through `SearchIndex.put`, the same function
/// a publication uses, so the index measured is the real one. The seeded history has no
/// transparency-log entries. Call on an empty, freshly migrated platform with `UseCasesModule`,
/// on SQLite or PostgreSQL.
public enum UseCasesBenchmark {
    public static func run(services: Services, useCases: Int = 100_000, runs: Int = 30,
                           progress: @Sendable (String) -> Void) async throws -> [String] {
        let clock = ContinuousClock()
        let start = clock.now
        try await seed(services: services, count: useCases, progress: progress)
        progress("seeded \(useCases) use cases in \(clock.now - start)")
        var lines: [String] = []
        func record(_ line: String) { progress(line); lines.append(line) }
        // The listing snapshot is read once after each publication or withdrawal; searches use it until then.
        let search = SearchSnapshots()
        let reads = PublicUseCases(services: services, search: search)
        let load = clock.now
        _ = try await search.current(on: services.sql)
        record(BenchmarkMeasurement(name: "listing snapshot read after a publication", samples: [BenchmarkMeasurement.seconds(clock.now - load)]).line)
        for (name, query) in queries {
            var hits = 0
            _ = try await reads.searchPage(query)  // warm-up
            let measurement = try await BenchmarkMeasurement.time(name, runs: max(1, runs)) { hits = try await reads.searchPage(query).total }
            record(measurement.line + " (hits \(hits))")
        }
        // A reuse moves only the reuse counter: the next search patches the counts into the snapshot.
        let mostReused = text("", sort: .reused)
        if let number = try await reads.searchPage(mostReused).items.last?.number,
           let id = try await UseCaseRecord.query(on: services.db).filter(\.$number == number).first()?.id {
            let service = UseCaseService(services: services)
            record(try await BenchmarkMeasurement.time("a reuse counted, then browse most reused", runs: max(1, runs)) {
                try await service.countReuse(id)
                _ = try await reads.searchPage(mostReused)
            }.line)
        }
        return lines
    }

    // MARK: queries

    static func text(_ q: String, filters: [Facet: [String]] = [:], sort: SearchSort? = nil, page: Int = 1) -> SearchQuery {
        SearchQuery(text: q, filters: filters, sort: sort, page: ShinraiKit.PageRequest(limit: 20, page: page))
    }

    /// Each name says what the query exercises; the words come from the lists below.
    static let queries: [(String, SearchQuery)] = [
        ("2 characters inside a compound (事録)", text("事録")),
        ("3+ characters inside a compound (事録作成)", text("事録作成")),
        ("kana/kanji mix (い合わせ回答)", text("い合わせ回答")),
        ("half-width query finds full-width (ﾁｬｯﾄﾎﾞｯﾄ)", text("ﾁｬｯﾄﾎﾞｯﾄ")),
        ("common term, relevance (生成ＡＩ)", text("生成ＡＩ")),
        ("two terms (議事録 要約)", text("議事録 要約")),
        ("term + 2 facet filters (要約, industry S, municipality)", text("要約", filters: [.industry: ["S"], .organisationType: ["municipality"]])),
        ("term, newest first (窓口)", text("窓口", sort: .newest)),
        ("term, most reused (窓口)", text("窓口", sort: .reused)),
        ("term, page 50 (議事録)", text("議事録", page: 50)),
        ("browse, page 50", text("", page: 50)),
        ("browse, most reused", text("", sort: .reused)),
        ("browse with facets (no query)", text("")),
        ("browse, 2 facet filters (industry E, stage production)", text("", filters: [.industry: ["E"], .stage: ["production"]])),
    ]

    // MARK: word lists

    static let subjects = ["議事録", "問い合わせ", "窓口案内", "契約書", "見積書", "広報誌", "観光案内", "議会答弁", "補助金申請", "点検記録",
                           "在庫管理", "採用面接", "研修資料", "予算要求", "住民説明会", "保育所入所", "ごみ分別", "防災計画", "健康相談",
                           "税務相談", "設計図書", "品質検査", "営業日報", "顧客対応"]
    static let actions = [("作成支援", "document-drafting"), ("要約", "summarising"), ("回答案作成", "inquiry-handling"),
                          ("下書き作成", "document-drafting"), ("点検", "proofreading"), ("検索", "knowledge-search"),
                          ("分類", "data-analysis"), ("翻訳", "translation"), ("分析", "data-analysis"), ("案内文作成", "public-relations")]
    static let tools = ["生成AI", "ＡＩチャットボット", "ﾁｬｯﾄﾎﾞｯﾄ", "文字起こしツール", "大規模言語モデル", "RAG（検索拡張生成）", "庁内向け生成ＡＩ", "翻訳エンジン"]
    static let effects = ["作成時間を半分にした", "月20時間の作業を削減した", "回答のばらつきが減った", "確認漏れがなくなった",
                          "窓口の待ち時間が短くなった", "担当者の負担が軽くなった", "住民からの評価が上がった"]
    static let industries = ["S", "S", "S", "E", "E", "I", "P", "G", "D", "H", "K", "L", "M", "N", "O", "Q", "R", "J", "A", "F"]
    static let models = ["Azure OpenAI Service", "Gemini", "Claude", "国産LLM（オンプレミス）", "ChatGPT Enterprise", "Amazon Bedrock"]

    /// A small deterministic generator, so two runs seed the same texts.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    static func content(_ g: inout Generator, type: OrganisationType, scale: MunicipalityScale?) -> UseCaseContent {
        let subject = g.pick(subjects), (action, category) = g.pick(actions), tool = g.pick(tools)
        let other = g.pick(subjects), third = g.pick(subjects), effect = g.pick(effects)
        let hours = Double(g.int(2...80))
        let confidentiality = g.int(1...3)
        return UseCaseContent(
            title: "\(tool)による\(subject)\(action)",
            summary: "\(subject)\(action)に\(tool)を使い、\(effect)。\(other)にも広げている。",
            organisationType: type, municipalityScale: scale, industry: g.pick(industries), category: category,
            stage: g.pick([.idea, .pilot, .production, .production, .production, .retired]),
            problem: "\(subject)と\(other)の作業に毎月多くの時間がかかっていた。特に\(third)は担当者が限られ、繁忙期には対応が遅れていた。",
            solutionSteps: ["過去の\(subject)を整理し、個人情報を伏せる", "\(tool)で\(action)の案を作る", "担当者が内容を確認して仕上げる"],
            prompts: [.init(title: "\(subject)\(action)", template: "次の{{資料}}をもとに、\(subject)の\(action)をしてください。対象は{{対象}}です。",
                            variables: [.init(name: "資料", example: "\(other)の記録"), .init(name: "対象", example: "住民向け")], sampleOutput: nil)],
            modelsUsed: [g.pick(models)],
            results: .init(hoursSavedPerMonth: hours, monthlyCostYen: g.int(1...50) * 1000, quality: effect, measurement: "導入前後3か月の作業記録を比較"),
            governance: .init(confidentiality: confidentiality, personalData: confidentiality == 3, humanReview: g.int(0...9) > 0,
                              humanReviewNote: nil, countermeasures: [.promptInjection, .outputCheck], otherCountermeasures: nil, riskChecks: []),
            lessonsLearned: "\(third)の手順を先に決めておくと効果が出やすい。",
            contact: .init(department: g.pick(["情報政策課", "総務課", "DX推進室", "経営企画部", "業務改善チーム"]), email: nil, url: nil)
        ).normalised()
    }

    // MARK: seeding

    static let perTransaction = 2_000

    static func seed(services: Services, count: Int, progress: @Sendable (String) -> Void) async throws {
        let now = services.now
        let year = JapaneseDate.components(now).year
        let actor = Actor.system("bench")
        let catalogue = services.views.catalogue
        let categoryNames = Dictionary(try await CategoryRecord.query(on: services.db).all().map { ($0.slug, [$0.nameJa, $0.nameEn]) },
                                       uniquingKeysWith: { a, _ in a })

        // Organisations of every kind and size, so the facets have something to count.
        var organisations: [(Organisation, OrganisationType, MunicipalityScale?)] = []
        for n in 0..<300 {
            let type: OrganisationType = n < 150 ? .municipality : n < 250 ? .sme : n < 280 ? .large : .government
            let scale = type == .municipality ? MunicipalityScale.allCases[n % MunicipalityScale.allCases.count] : nil
            let kind: OrganisationKind = type == .municipality ? .municipality : type == .government ? .government : .company
            organisations.append((Organisation(name: "ベンチ組織\(n)（デモ）", nameEn: nil, kind: kind, corporateNumber: nil, localGovernmentCode: nil), type, scale))
        }
        try await organisations.map(\.0).create(on: services.db)

        var generator = Generator(state: 20_260_401)
        let span = 3.0 * 365 * 86_400
        for chunkStart in stride(from: 0, to: count, by: perTransaction) {
            let chunk = chunkStart..<min(chunkStart + perTransaction, count)
            var records: [UseCaseRecord] = []
            var versions: [UseCaseVersionRecord] = []
            var rows: [(row: SearchIndex.Row, text: String)] = []
            for n in chunk {
                let (organisation, type, scale) = organisations[n % organisations.count]
                let content = content(&generator, type: type, scale: scale)
                // Oldest first, spread over three years; whole seconds as publications store them.
                let published = Date(timeIntervalSince1970: (now.timeIntervalSince1970 - span * Double(count - n) / Double(count)).rounded(.down))
                let number = UseCaseNumbers.format(prefix: "UC", year: year, sequence: Int64(n + 1))
                let record = UseCaseRecord()
                record.id = UUID()
                record.organisationID = organisation.id!
                record.number = number
                record.status = .published
                try record.setContent(content)
                record.revision = 3; record.publishedVersion = 1; record.listed = true; record.searchSeq = Int64(n + 1)
                record.views = generator.int(0...500); record.reuses = generator.int(0...60)
                record.createdAt = published.addingTimeInterval(-3 * 86_400); record.updatedAt = published
                record.createdBy = actor.label; record.submittedAt = published.addingTimeInterval(-86_400); record.firstPublishedAt = published
                records.append(record)
                let publishedCase = PublishedUseCase(number: number, version: 1, publishedAt: published,
                                                     organisation: .init(id: organisation.id!, name: organisation.name, corporateNumber: nil, localGovernmentCode: nil),
                                                     content: content, note: nil)
                let version = UseCaseVersionRecord()
                version.usecaseID = record.id!; version.number = number; version.version = 1
                version.recordJSON = String(decoding: try Storage.encoder.encode(publishedCase), as: UTF8.self)
                version.contentHash = try publishedCase.contentHash
                version.publishedAt = published; version.publishedBy = actor.label; version.logIndex = 0
                versions.append(version)
                rows.append((SearchIndex.Row(id: record.id!, seq: record.searchSeq!, published: publishedCase, firstPublishedAt: published, reuses: record.reuses),
                             SearchIndex.document(for: publishedCase, categoryNames: categoryNames[content.category] ?? [], catalogue: catalogue)))
            }
            let (batch, batchVersions, searchRows) = (records, versions, rows)
            try await services.db.transaction { db in
                for start in stride(from: 0, to: batch.count, by: 200) {
                    try await Array(batch[start..<min(start + 200, batch.count)]).create(on: db)
                    try await Array(batchVersions[start..<min(start + 200, batchVersions.count)]).create(on: db)
                }
                try await SearchIndex.put(searchRows, on: db as! any SQLDatabase)
            }
            if chunk.upperBound % 20_000 == 0 || chunk.upperBound == count { progress("seeded \(chunk.upperBound) of \(count)") }
        }

        // The counters continue after the seeded numbers, so a real publication can follow.
        let sql = services.sql
        for (name, value) in [("UC-\(year)", Int64(count)), ("usecase-search", Int64(count))] {
            try await sql.delete(from: "usecase_counters").where("name", .equal, name).run()
            try await sql.insert(into: "usecase_counters").columns("name", "value").values(SQLBind(name), SQLBind(value)).run()
        }
        // PostgreSQL's autovacuum would do this shortly after such a load: statistics for the planner,
        // and the visibility map that lets the facet counts read the indexes only.
        if SearchIndex.isPostgres(sql) { try await sql.raw("VACUUM ANALYZE usecase_search").run() }
    }
}
