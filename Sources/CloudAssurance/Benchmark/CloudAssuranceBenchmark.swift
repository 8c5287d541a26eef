import FluentKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ShinraiKit

/// Benchmarks of the public lists (results go to docs/BENCHMARKS.md): `services` cloud services
/// of `services / 10` providers spread over the four lists, a target catalogue of `controls`
/// ISMAP-structured controls and a crosswalk onto it; then the JSON list and the HTML list page
/// are requested over HTTP from a live server on 127.0.0.1, with and without filters, plus the
/// audit-scope calculator over the large catalogue.
///
/// Seeding writes rows in batches directly (no log entries for the seeded history) so that the
/// measured requests, not the set-up, dominate. Call on an empty, migrated platform that has
/// `CloudAssuranceModule`. From `shinrai-bench` (with `CloudAssurance` added to its dependencies):
///
///     let platform = try Platform(config: config, modules: [CloudAssuranceModule()], logger: logger)
///     try await platform.migrate()
///     for line in try await CloudAssuranceBenchmark.run(platform: platform) { print(line) }
public enum CloudAssuranceBenchmark {
    /// Seeds the registry and a catalogue; returns how long seeding took.
    public static func seed(services: Services, count: Int = 10_000, controls: Int = 2_000) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let db = services.db
        let now = services.now
        let today = JapanTime.date(of: now)
        let providers = max(1, count / 10)
        var organisations: [Organisation] = []
        for n in 0..<providers {
            let base = String(format: "0199%08d", n)
            organisations.append(Organisation(name: "ベンチクラウド\(n)株式会社", nameEn: "Bench Cloud \(n)", kind: .cloudProvider,
                                              corporateNumber: "\(CorporateNumber.checkDigit(for: base))\(base)", localGovernmentCode: nil))
        }
        for chunk in stride(from: 0, to: providers, by: 500) { try await Array(organisations[chunk..<min(chunk + 500, providers)]).create(on: db) }
        let models = ServiceModel.allCases, kinds = ["iso-27001", "iso-27017", "soc2-type2", "fedramp-moderate"]
        let prefectures = (1...47).map { String(format: "JP-%02d", $0) }
        var batchServices: [CloudServiceRecord] = [], batchEntries: [ListEntryRecord] = []
        func flush() async throws {
            try await batchServices.create(on: db)
            try await batchEntries.create(on: db)
            batchServices.removeAll(keepingCapacity: true)
            batchEntries.removeAll(keepingCapacity: true)
        }
        for n in 0..<count {
            let org = organisations[n % providers]
            let model = models[n % 3]
            let regions = [prefectures[n % 47], prefectures[(n * 7) % 47]] + (n % 5 == 0 ? ["US"] : [])
            let service = CloudServiceRecord()
            service.id = UUID()
            service.number = String(format: "CS-%04d-%05d", today.year, n + 1)
            service.organisationID = org.id!
            service.name = "ベンチサービス\(n)（\(model.label)）"
            service.nameEn = "Bench service \(n)"
            service.serviceModel = model.rawValue
            service.description = "ベンチマーク用のクラウドサービス \(n)。文書管理・会計・人事・データ分析などの機能を提供します。"
            service.governingLaw = "日本法"
            service.jurisdiction = "東京地方裁判所"
            service.regions = regions.joined(separator: ",")
            service.contacts = #"[{"email":"security@example.jp","role":"security"}]"#
            service.isPublic = true
            service.createdAt = now
            service.updatedAt = now
            batchServices.append(service)
            // 40 % ISMAP, 10 % ISMAP-LIU, 30 % ISMAP-Ready, 20 % Fast Track.
            let slot = n % 10
            let list: CloudList = slot < 4 ? .ismap : slot < 5 ? .liu : slot < 8 ? .ready : .fastTrack
            let entry = ListEntryRecord()
            entry.list = list.rawValue
            entry.recordID = UUID()
            entry.recordNumber = String(format: "BENCH-%@-%05d", list.rawValue.uppercased(), n + 1)
            entry.serviceID = service.id!
            entry.organisationID = org.id!
            entry.status = list.currentStatuses[n % list.currentStatuses.count]
            entry.isPublic = true
            let since = today.adding(days: -(n % 700))
            entry.since = since.iso
            entry.until = list == .fastTrack ? CivilPeriod.lastDay(months: 18, after: since).iso : list == .ready ? since.adding(days: 183).iso : nil
            entry.changedAt = now.addingTimeInterval(-Double(n % 700) * 86_400)
            entry.serviceNumber = service.number
            entry.serviceName = service.name
            entry.serviceNameEn = service.nameEn
            entry.serviceModel = model.rawValue
            entry.providerName = org.name
            entry.providerCorporateNumber = org.corporateNumber
            entry.regions = "," + regions.joined(separator: ",") + ","
            entry.certKinds = "," + [kinds[n % 4], kinds[(n + 1) % 4]].sorted().joined(separator: ",") + ","
            entry.search = SearchText.normalize("\(service.number) \(service.name) \(service.nameEn!) \(service.description) \(org.name) \(entry.recordNumber)")
            entry.details = list == .ready ? #"{"pocAvailable":"\#(n % 2 == 0)","targetList":"ismap","targetApplicationDate":"\#(today.adding(days: 300).iso)"}"#
                : list == .fastTrack ? #"{"certificateNumber":"CLD-\#(n)","certificationBody":"ベンチ認証機構"}"# : #"{"source":"application"}"#
            batchEntries.append(entry)
            if batchServices.count == 500 { try await flush() }
        }
        if !batchServices.isEmpty { try await flush() }
        try await seedCatalogue(services: services, controls: controls)
        return BenchmarkMeasurement.seconds(clock.now - start)
    }

    /// An ISMAP-structured target catalogue of `controls` detailed controls, an ISO-like evidence
    /// catalogue and a crosswalk between them (one mapping per target control).
    static func seedCatalogue(services: Services, controls: Int) async throws {
        var rows = "criteria,type,id,parent,title_ja,text_ja\n"
        let sections = max(1, controls / 100)
        var detailed = 0
        for s in 0..<sections {
            rows += "control,section,\(s + 5),,区分\(s + 5),\n"
            for o in 0..<10 where detailed < controls {
                rows += "control,objective,\(s + 5).\(o + 1).1,\(s + 5),統制目標\(s + 5).\(o + 1).1,\n"
                for d in 0..<10 where detailed < controls {
                    rows += "control,detailed,\(s + 5).\(o + 1).1.\(d + 1).B,\(s + 5).\(o + 1).1,詳細管理策\(detailed),ベンチマーク用の詳細管理策の文。\n"
                    detailed += 1
                }
            }
        }
        let actor = Actor.system("bench")
        let desk = CatalogueDesk(services: services)
        _ = try await desk.importISMAPCSV(Data(rows.utf8), options: .init(key: "bench-ismap", isTarget: true, title: "ベンチマーク用管理基準"), actor: actor)
        var iso = "criteria,type,id,parent,title_ja\ncontrol,section,A,,附属書A\ncontrol,objective,A.1,A,A.1\n"
        for n in 0..<200 { iso += "control,detailed,A.1.\(n).B,A.1,評価済み管理策\(n)\n" }
        _ = try await desk.importISMAPCSV(Data(iso.utf8), options: .init(key: "bench-iso", evidenceFor: [.iso27001], title: "ベンチマーク用の証拠カタログ"), actor: actor)
        let relationships: [MappingRelationship] = [.equivalentTo, .subsetOf, .supersetOf, .intersectsWith]
        var csv = "source,relationship,target\n"
        detailed = 0
        for s in 0..<sections {
            for o in 0..<10 {
                for d in 0..<10 where detailed < controls {
                    csv += "A.1.\(detailed % 200).B,\(relationships[detailed % 4].rawValue),\(s + 5).\(o + 1).1.\(d + 1).B\n"
                    detailed += 1
                }
            }
        }
        _ = try await CrosswalkDesk(services: services).importCSV(Data(csv.utf8), key: "bench-iso-ismap", title: "ベンチマーク用クロスウォーク",
                                                                   source: "bench-iso", target: "bench-ismap", actor: actor)
    }

    /// Seeds, starts a server on `port`, measures, stops. Returns printable lines.
    public static func run(platform: Platform, services count: Int = 10_000, controls: Int = 2_000, runs: Int = 30, port: Int = 18_765) async throws -> [String] {
        let seeding = try await seed(services: platform.services, count: count, controls: controls)
        var lines = [String(format: "seeded %d services and %d controls in %.1f s", count, controls, seeding)]
        let app = platform.application(host: "127.0.0.1", port: port)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        let base = "http://127.0.0.1:\(port)"
        let session = URLSession(configuration: .ephemeral)
        func get(_ path: String, method: String = "GET", body: String? = nil) async throws -> (Int, Int) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            if let body { request.httpBody = Data(body.utf8); request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data.count)
        }
        for _ in 0..<100 {
            if (try? await get("/healthz"))?.0 == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let cases: [(String, String, String?)] = [
            ("JSON list, ISMAP, first page (50)", "/api/v1/cloud/lists/ismap", nil),
            ("JSON list, ISMAP, page 40", "/api/v1/cloud/lists/ismap?page=40", nil),
            ("JSON list, Fast Track by end date, 200 per page", "/api/v1/cloud/lists/fast-track?sort=until&limit=200", nil),
            ("JSON list, search 'サービス12' + region JP-13", "/api/v1/cloud/lists/ismap?q=%E3%82%B5%E3%83%BC%E3%83%93%E3%82%B912&region=JP-13", nil),
            ("JSON list, Ready, PoC + certification", "/api/v1/cloud/lists/ready?poc=true&certification=iso-27017", nil),
            ("HTML list page, ISMAP, first page", "/cloud/lists/ismap", nil),
            ("HTML list page, Ready, filtered and sorted", "/cloud/lists/ready?serviceModel=saas&region=JP&sort=-since&page=3", nil),
            ("CSV export, ISMAP (all 4,000)", "/cloud/lists/ismap.csv", nil),
            ("Catalogue page, 2,000 controls, page 10", "/cloud/catalogues/bench-ismap?page=10", nil),
            ("Audit-scope calculator, 2,000 controls", "/api/v1/cloud/audit-scope", #"{"certifications":["iso-27001"],"targetCatalogue":"bench-ismap"}"#),
        ]
        for (name, path, body) in cases {
            let method = body == nil ? "GET" : "POST"
            _ = try await get(path, method: method, body: body)   // warm-up
            let measurement = try await BenchmarkMeasurement.timeResponses(name, runs: runs) {
                let (status, size) = try await get(path, method: method, body: body)
                guard status == 200 else { throw BenchmarkError.status(path, status) }
                return size
            }
            lines.append(measurement.line)
        }
        return lines
    }

    enum BenchmarkError: Error, CustomStringConvertible {
        case status(String, Int)
        var description: String {
            switch self { case let .status(path, status): return "\(path) answered \(status)" }
        }
    }
}
