import Foundation
import ShinraiKit
import Testing
@testable import CloudAssurance

@Suite("Input rules with clear messages")
struct InputTests {
    let today = LocalDate("2026-06-01")!

    func pointers(_ work: () throws -> Void) -> [String] {
        do { try work(); return [] } catch let problem as Problem {
            #expect(problem.status == .unprocessableContent)
            #expect(problem.errors.allSatisfy { !($0.detailJa ?? "").isEmpty })
            return problem.errors.map(\.pointer)
        } catch { Issue.record("\(error)"); return [] }
    }

    let certificate = CertificationInput(kind: "iso-27017", issuer: "JQA", certificateNumber: "C-1", scope: "S", coversService: true,
                                         validFrom: "2025-01-01", validUntil: "2027-12-31")

    @Test("Fast Track evidence: a valid ISO/IEC 27017 certificate covering the service is accepted")
    func validEvidence() throws {
        let valid = try FastTrackInput(serviceId: UUID(), certificate: certificate).validate(today: today)
        #expect(valid.kind == .iso27017 && valid.validUntil == LocalDate("2027-12-31"))
    }

    @Test("Fast Track evidence refused: expired, not yet valid, scope not covering, another standard")
    func refusedEvidence() {
        var expired = certificate; expired.validUntil = "2026-05-31"
        #expect(pointers { _ = try FastTrackInput(serviceId: UUID(), certificate: expired).validate(today: today) } == ["/certificate/validUntil"])
        var future = certificate; future.validFrom = "2026-06-02"
        #expect(pointers { _ = try FastTrackInput(serviceId: UUID(), certificate: future).validate(today: today) } == ["/certificate/validFrom"])
        var narrow = certificate; narrow.coversService = false
        #expect(pointers { _ = try FastTrackInput(serviceId: UUID(), certificate: narrow).validate(today: today) } == ["/certificate/coversService"])
        var other = certificate; other.kind = "iso-27001"
        #expect(pointers { _ = try FastTrackInput(serviceId: UUID(), certificate: other).validate(today: today) } == ["/certificate/kind"])
        var backwards = certificate; backwards.validUntil = "2024-12-31"
        #expect(pointers { _ = try FastTrackInput(serviceId: UUID(), certificate: backwards).validate(today: today) }.contains("/certificate/validUntil"))
        var impossible = certificate; impossible.validUntil = "2027-02-30"
        #expect(pointers { _ = try FastTrackInput(serviceId: UUID(), certificate: impossible).validate(today: today) } == ["/certificate/validUntil"])
        #expect(pointers { _ = try FastTrackInput(serviceId: nil, certificate: nil).validate(today: today) } == ["/serviceId", "/certificate"])
    }

    @Test("the refusal explains itself in Japanese and English")
    func message() {
        var expired = certificate; expired.validUntil = "2026-05-31"
        do { _ = try FastTrackInput(serviceId: UUID(), certificate: expired).validate(today: today) } catch let problem as Problem {
            #expect(problem.errors[0].detailJa?.contains("2026-05-31 に終了") == true)
            #expect(problem.errors[0].detail.contains("expired on 2026-05-31"))
        } catch { Issue.record("\(error)") }
    }

    @Test("a service needs a model, regions as ISO 3166 codes and a security contact")
    func service() throws {
        let good = ServiceInput(name: "S", serviceModel: "saas", description: "D", governingLaw: "日本法", jurisdiction: "東京地方裁判所",
                                regions: ["jp-13", "ＪＰ－２７", "US", "JP-13"], contacts: [.init(role: "security", name: nil, email: "s@example.jp", phone: "03-1234-5678")])
        #expect(try good.validate().regions == ["JP-13", "JP-27", "US"])
        var bad = good
        bad.serviceModel = "faas"; bad.regions = ["JP-48", "XX"]; bad.contacts = [.init(role: "security", name: nil, email: "not-an-address", phone: "call me")]
        bad.website = "ftp://example.jp"
        #expect(pointers { _ = try bad.validate() } == ["/serviceModel", "/website", "/regions/0", "/regions/1", "/contacts/0/email", "/contacts/0/phone"])
        var noContact = good; noContact.contacts = []
        #expect(pointers { _ = try noContact.validate() } == ["/contacts"])
        var noRegion = good; noRegion.regions = []
        #expect(pointers { _ = try noRegion.validate() } == ["/regions"])
    }

    @Test("ISMAP-Ready: concrete action is required — a signed contract, a finished gap assessment, a date within three years")
    func ready() throws {
        let good = ReadyDeclarationInput(serviceId: UUID(), auditFirm: "監査法人", auditContractDate: "2026-05-01", gapAssessmentDone: true,
                                         gapAssessmentDate: "2026-05-20", targetList: "ismap", targetApplicationDate: "2027-04-01", scope: "全体")
        #expect(try good.validate(today: today).targetList == .ismap)
        var future = good; future.auditContractDate = "2026-07-01"
        #expect(pointers { _ = try future.validate(today: today) } == ["/auditContractDate"])
        var noGap = good; noGap.gapAssessmentDone = false
        #expect(pointers { _ = try noGap.validate(today: today) } == ["/gapAssessmentDone"])
        var far = good; far.targetApplicationDate = "2029-06-02"
        #expect(pointers { _ = try far.validate(today: today) } == ["/targetApplicationDate"])
        var past = good; past.targetApplicationDate = "2026-05-31"
        #expect(pointers { _ = try past.validate(today: today) } == ["/targetApplicationDate"])
    }

    @Test("ISMAP-LIU: the business-impact assessment is optional, but complete when given")
    func liu() throws {
        let plain = RegistrationInput(serviceId: UUID(), list: "liu", auditFirm: "監査法人", auditReportDate: "2026-05-01", scope: "全体")
        #expect(try plain.validate(today: today).biaAgency == nil)
        var partial = plain; partial.businessImpactAssessment = .init(agency: "デジタル庁", assessedOn: nil, summary: nil)
        #expect(pointers { _ = try partial.validate(today: today) } == ["/businessImpactAssessment/assessedOn"])
    }

    @Test("region codes: prefectures by JIS code, countries by ISO 3166-1")
    func regions() {
        #expect(RegionCode.normalize("jp-1") == nil)
        #expect(RegionCode.normalize("JP-01") == "JP-01")
        #expect(RegionCode.normalize("JP-47") == "JP-47")
        #expect(RegionCode.normalize("JP-48") == nil)
        #expect(RegionCode.normalize("sg") == "SG")
        #expect(RegionCode.normalize("ZZ") == nil)
        #expect(RegionCode.label("JP-13", .ja) == "東京都")
    }

    @Test("question sets: unique numbers, text required, CSV round trip")
    func questionSet() throws {
        let document = try StrictJSONDecoder().decode(QuestionSetDocument.self, from: try CloudDemo.sample("question-set-ipa-fast-track.json"))
        #expect(document.validate().isEmpty)
        #expect(document.questions.count == 15)
        let again = try QuestionSetDocument.fromCSV(document.csv(), code: document.code, title: document.title, titleEn: document.titleEn)
        #expect(again == document)
        var bad = document
        bad.questions[1].number = bad.questions[0].number
        bad.questions[2].text = " "
        bad.code = "Bad Code"
        #expect(bad.validate().map(\.pointer) == ["/code", "/questions/1/number", "/questions/2/text"])
    }

    @Test("settings are range-checked")
    func settings() {
        var settings = CloudSettings.defaults
        #expect(settings.validate().isEmpty)
        settings.reportIntervalMonths = 0; settings.costs.partialPercent = 101; settings.questionSetCode = "X"
        #expect(settings.validate().map(\.pointer) == ["/reportIntervalMonths", "/costs/partialPercent", "/questionSetCode"])
    }
}

@Suite("Applicability checker and market statistics")
struct ApplicabilityAndStatisticsTests {
    @Test("the first matching rule by priority answers, with its citation; empty conditions match everything")
    func checker() {
        func rule(_ priority: Int, orgs: [ProcuringOrganisation] = [], levels: [ConfidentialityLevel] = [], models: [ServiceModel] = [], low: Bool? = nil,
                  _ level: RequirementLevel, _ lists: [CloudList], _ citation: String) -> ApplicabilityRule {
            ApplicabilityRule(id: UUID(), priority: priority, organisations: orgs, confidentiality: levels, serviceModels: models, lowImpactOnly: low, level: level,
                              acceptableLists: lists, conclusionJa: citation, conclusionEn: citation, citation: citation, citationURL: nil)
        }
        let rules = [
            rule(1000, .notRequired, [], "fallback"),
            rule(20, orgs: [.centralMinistry], levels: [.c2], models: [.saas], low: true, .required, [.ismap, .liu, .fastTrack], "liu"),
            rule(30, orgs: [.centralMinistry], levels: [.c2], .required, [.ismap], "ismap"),
            rule(50, orgs: [.localGovernment], .recommended, [.ismap, .liu], "local"),
        ]
        func ask(_ org: ProcuringOrganisation, _ level: ConfidentialityLevel, _ model: ServiceModel, low: Bool) -> String? {
            ApplicabilityChecker.answer(ApplicabilityQuestion(organisation: org, confidentiality: level, serviceModel: model, lowImpact: low), rules: rules)?.citation
        }
        #expect(ask(.centralMinistry, .c2, .saas, low: true) == "liu")
        #expect(ask(.centralMinistry, .c2, .saas, low: false) == "ismap")
        #expect(ask(.centralMinistry, .c2, .iaas, low: true) == "ismap")
        #expect(ask(.localGovernment, .c3, .paas, low: false) == "local")
        #expect(ask(.privateCompany, .c1, .saas, low: false) == "fallback")
        #expect(ApplicabilityChecker.answer(ApplicabilityQuestion(organisation: .privateCompany, confidentiality: .c1, serviceModel: .saas, lowImpact: false), rules: []) == nil)
    }

    @Test("counts over time, median days from Ready to registration, Fast Track outcomes")
    func statistics() {
        let a = UUID(), b = UUID(), c = UUID(), f = UUID(), g = UUID()
        func d(_ s: String) -> LocalDate { LocalDate(s)! }
        let changes: [MarketStatistics.Change] = [
            .init(list: .ready, record: a, status: "listed", date: d("2026-01-10")),
            .init(list: .ready, record: b, status: "listed", date: d("2026-02-10")),
            .init(list: .ready, record: a, status: "applied", date: d("2026-03-01")),
            .init(list: .ready, record: a, status: "registered", date: d("2026-04-10")),
            .init(list: .ready, record: c, status: "listed", date: d("2026-03-15")),
            .init(list: .ready, record: c, status: "registered", date: d("2026-05-14")),
            .init(list: .fastTrack, record: f, status: "provisional", date: d("2026-01-05")),
            .init(list: .fastTrack, record: f, status: "promoted", date: d("2026-05-01")),
            .init(list: .fastTrack, record: g, status: "provisional", date: d("2026-02-05")),
        ]
        let over = MarketStatistics.countsOverTime(changes, months: 5, today: d("2026-05-20"))
        #expect(over.labels == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"])
        #expect(over.series[.ready] == [1, 2, 3, 2, 1])
        #expect(over.series[.fastTrack] == [1, 2, 2, 2, 1])
        let days = MarketStatistics.readyToRegistrationDays(changes)
        #expect(days == [90, 60])
        #expect(MarketStatistics.median(days) == 75)
        #expect(MarketStatistics.median([]) == nil)
        #expect(MarketStatistics.fastTrackOutcomes(changes) == [.promoted: 1, .provisional: 1])
    }
}
