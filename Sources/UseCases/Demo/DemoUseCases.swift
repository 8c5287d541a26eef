import FluentKit
import Foundation
import ShinraiKit
import SQLKit

/// Loads the demo data set: 42 published use cases across industries and municipality sizes
/// (spread over the past year, some with a second version), a moderation queue, and needs.
/// Idempotent: does nothing once its use cases exist.
enum DemoUseCases {
    static let actor = "demo-usecases"

    static func load(services: Services) async throws {
        if try await UseCaseRecord.query(on: services.db).filter(\.$createdBy == "system:\(actor)").first() != nil { return }
        let organisations = try await DemoOrganisations.ensure(services: services)
        let service = UseCaseService(services: services)
        let now = services.now
        let day: TimeInterval = 86_400
        var published: [String: String] = [:]
        for (index, demo) in DemoCases.all.enumerated() {
            guard let (organisation, type, scale) = organisations[demo.org] else { continue }
            let principal = Principal.system(actor, organisation: organisation.id)
            // Oldest first, about one a week, so the newest list and the feed look lived-in.
            let publishedAt = now.addingTimeInterval(-Double(DemoCases.all.count - index) * 8 * day)
            var content = self.content(demo, type: type, scale: scale)
            let record = try await service.create(content, for: organisation.id!, by: principal, at: publishedAt.addingTimeInterval(-3 * day))
            _ = try await service.perform(.submit, on: record.id!, comment: nil, expectedRevision: nil, by: principal, at: publishedAt.addingTimeInterval(-2 * day))
            let done = try await service.perform(.publish, on: record.id!, comment: nil, expectedRevision: nil, by: principal, at: publishedAt)
            if let note = demo.update {
                let later = publishedAt.addingTimeInterval(20 * day)
                content.lessonsLearned = (content.lessonsLearned ?? "") + "\n（第2版で追記）運用を続けるなかで、手順と効果の測定方法を見直した。"
                _ = try await service.update(record.id!, with: content, expectedRevision: nil, by: principal)
                _ = try await service.perform(.submit, on: record.id!, comment: nil, expectedRevision: nil, by: principal, at: later)
                _ = try await service.perform(.publish, on: record.id!, comment: note, expectedRevision: nil, by: principal, at: later)
            }
            try await setCounts(record.id!, views: demo.views, reuses: demo.reuses, on: services.sql)
            published[demo.title] = done.number
        }
        try await loadWork(services: services, organisations: organisations)
        try await loadNeeds(services: services, organisations: organisations, published: published)
    }

    static func content(_ d: DemoCase, type: OrganisationType, scale: MunicipalityScale?) -> UseCaseContent {
        UseCaseContent(
            title: d.title, summary: d.summary, organisationType: type, municipalityScale: scale, industry: d.industry, industryGroup: d.group,
            category: d.category, stage: d.stage, problem: d.problem, solutionSteps: d.steps,
            prompts: d.prompts.map { p in
                .init(title: p.title, template: p.template, variables: p.examples.map { .init(name: $0.0, example: $0.1) }, sampleOutput: nil)
            },
            modelsUsed: d.models,
            results: .init(hoursSavedPerMonth: d.hours, monthlyCostYen: d.monthly, initialCostYen: d.initial, quality: d.quality, measurement: d.measurement),
            governance: .init(confidentiality: d.confidentiality, personalData: d.personal, humanReview: d.review, humanReviewNote: d.reviewNote,
                              countermeasures: d.measures, otherCountermeasures: nil, riskChecks: d.risks),
            lessonsLearned: d.lessons, contact: .init(department: d.department, email: nil, url: nil))
    }

    /// Demo counters, so that "most reused" has something to sort.
    static func setCounts(_ id: UUID, views: Int, reuses: Int, on sql: any SQLDatabase) async throws {
        try await sql.update(UseCaseRecord.schema).set("views", to: views).set("reuses", to: reuses).where("id", .equal, id).run()
        try await SearchIndex.setReuses(id: id, to: reuses, on: sql)
    }

    /// Work in progress for the demo accounts: a submission waiting for review, a draft with a
    /// moderator's request for changes, and a plain draft.
    static func loadWork(services: Services, organisations: [String: (Organisation, OrganisationType, MunicipalityScale?)]) async throws {
        let service = UseCaseService(services: services)
        let moderator = Principal.system(actor, organisation: nil)
        if let (sakura, _, _) = organisations["sakura"] {
            let owner = Principal.system(actor, organisation: sakura.id)
            let queued = try await service.create(UseCaseContent(
                title: "提案書のレビュー支援", summary: "提案書の案を発注者の評価項目と照らし合わせ、抜けや弱い点を指摘させる。",
                organisationType: .sme, industry: "G", industryGroup: "39", category: "proofreading", stage: .pilot,
                problem: "自治体向けの提案書は評価項目が多く、提出前のレビューに管理職の時間が足りなかった。",
                solutionSteps: ["評価項目の一覧を用意する", "提案書の各章が評価項目のどれに答えているか表にさせる", "弱い点を営業担当が補強する"],
                modelsUsed: ["Azure OpenAI Service（GPT-4o）"],
                results: .init(hoursSavedPerMonth: 16, measurement: "提案書4件のレビュー時間の記録"),
                governance: .init(confidentiality: 2, personalData: false, humanReview: true, humanReviewNote: nil, countermeasures: [.noTraining, .accessControl],
                                  otherCountermeasures: nil, riskChecks: []),
                contact: .init(department: "公共営業部", email: nil, url: nil)), for: sakura.id!, by: owner)
            _ = try await service.perform(.submit, on: queued.id!, comment: nil, expectedRevision: nil, by: owner)
            _ = try await service.create(UseCaseContent(
                title: "社内勉強会の資料作成", summary: "新人向け勉強会のスライド構成と演習問題の案を作る。",
                organisationType: .sme, industry: "G", industryGroup: "39", category: "training", stage: .idea,
                problem: "勉強会の準備に講師役の社員が毎回半日かけていた。", solutionSteps: ["テーマと対象を決める", "構成案と演習問題を作らせる", "講師役が内容を確認する"],
                governance: .init(confidentiality: 1, personalData: false, humanReview: true, humanReviewNote: nil, countermeasures: [.usagePolicy],
                                  otherCountermeasures: nil, riskChecks: []),
                contact: .init(department: "人事部", email: nil, url: nil)), for: sakura.id!, by: owner)
        }
        if let (chiyoda, _, _) = organisations["chiyoda"] {
            let owner = Principal.system(actor, organisation: chiyoda.id)
            let draft = try await service.create(UseCaseContent(
                title: "窓口の混雑予測と案内", summary: "過去の来庁者数から曜日・時間帯ごとの混雑を予測し、ウェブで案内する。",
                organisationType: .municipality, municipalityScale: .specialWard, industry: "S", industryGroup: "98", category: "data-analysis", stage: .pilot,
                problem: "転入・転出の多い3月・4月に窓口の待ち時間が2時間を超える日があった。",
                solutionSteps: ["過去3年の発券データを集計する", "曜日・時間帯別の混雑予測を作る", "区のウェブサイトで混雑の目安を案内する"],
                modelsUsed: ["ChatGPT（法人向けプラン、データ分析機能）"],
                governance: .init(confidentiality: 1, personalData: false, humanReview: true, humanReviewNote: nil, countermeasures: [.outputCheck],
                                  otherCountermeasures: nil, riskChecks: []),
                contact: .init(department: "区民課", email: nil, url: nil)), for: chiyoda.id!, by: owner)
            _ = try await service.perform(.submit, on: draft.id!, comment: nil, expectedRevision: nil, by: owner)
            _ = try await service.perform(.requestChanges, on: draft.id!, comment: "効果（待ち時間の変化）と、その測り方を追記してください。",
                                          expectedRevision: nil, by: moderator)
        }
    }

    static func loadNeeds(services: Services, organisations: [String: (Organisation, OrganisationType, MunicipalityScale?)],
                          published: [String: String?]) async throws {
        let needs = NeedService(services: services)
        let deadline = NeedService.today(services.now.addingTimeInterval(75 * 86_400))
        func principal(_ key: String) -> Principal? {
            organisations[key].map { Principal.system(actor, organisation: $0.0.id) }
        }
        if let owner = principal("kamiyama") {
            let need = try await needs.create(NeedContent(
                title: "ふるさと納税の返礼品紹介文を効率よく作りたい", problem: "返礼品が約120品あり、事業者から届く情報をもとに紹介文を書き直す作業が担当1名に集中している。季節ごとの更新も追いつかない。",
                industry: "S", category: "public-relations", constraints: "事業者が確認しやすいよう、根拠にした情報と紹介文を並べて出したい。",
                budgetMinYen: 0, budgetMaxYen: 300_000, region: "36", deadline: deadline, contactDepartment: "総務課"), by: owner)
            if let responder = principal("sakura") {
                _ = try await needs.respond(to: need.number, .init(message: "商品情報の表から紹介文と根拠の対照表を作る仕組みを、小規模自治体向けに提供しています。オンラインでご説明できます。",
                                                                     usecaseNumber: nil), by: responder)
            }
        }
        if let owner = principal("hikari") {
            _ = try await needs.create(NeedContent(
                title: "現場写真から工事写真台帳を自動で作りたい", problem: "1現場で数百枚の写真を撮り、工種・撮影箇所ごとに台帳にまとめる作業に毎月20時間以上かかっている。",
                industry: "D", category: "document-drafting", constraints: "写真は施主の了解なく外部に出せない。", budgetMinYen: 100_000, budgetMaxYen: 1_000_000,
                region: "13", deadline: nil, contactDepartment: "工事部"), by: owner)
        }
        if let owner = principal("aoba") {
            _ = try await needs.create(NeedContent(
                title: "問診票の多言語対応", problem: "外国人の患者が増え、問診票の翻訳と回答の読み取りに時間がかかっている。", industry: "P", category: "translation",
                constraints: "医療情報を院外のサービスに送れない。", budgetMinYen: nil, budgetMaxYen: 2_000_000, region: "00", deadline: deadline,
                contactDepartment: "医事課"), by: owner)
        }
        if let owner = principal("nishiawakura"), let solved = published["審議会の議事録作成を録音から半自動化"] ?? nil {
            let need = try await needs.create(NeedContent(
                title: "議会の会議録から住民向けの要約を作りたい", problem: "議会の会議録は公開しているが長く、住民に読まれていない。要点をまとめた資料を作りたい。",
                industry: "S", category: "summarising", constraints: nil, budgetMinYen: nil, budgetMaxYen: 500_000, region: "33", deadline: nil,
                contactDepartment: "議会事務局"), by: owner)
            _ = try await needs.close(need.number, .init(solvedBy: solved, note: "仙台市の事例の手順とプロンプトを参考に、要点記録の作成を始めました。"), by: owner)
        }
    }
}
