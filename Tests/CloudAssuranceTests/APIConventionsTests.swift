import FluentKit
import Foundation
import HTTPTypes
import NIOCore
import ShinraiKit
import ShinraiTestSupport
import Testing
@testable import CloudAssurance

@Suite("Bad input, authorization and the OpenAPI contract")
struct APIConventionsTests {
    @Test("bad input is a 4xx problem and changes nothing")
    func badInput() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            func count() async throws -> Int { try await CloudServiceRecord.query(on: kit.services.db).count() }
            let malformed = try await kit.provider.post("/api/v1/cloud/services", "{\"name\": ")
            #expect(malformed.status == .badRequest && malformed.isProblem)
            let unknown = try await kit.provider.post("/api/v1/cloud/services", CloudKit.serviceJSON("X").replacingOccurrences(of: "\"name\"", with: "\"nmae\""))
            #expect(unknown.status == .unprocessableContent && unknown.errors.contains { $0["code"] as? String == "unknown-field" })
            let wrongType = try await kit.provider.post("/api/v1/cloud/services", CloudKit.serviceJSON("X").replacingOccurrences(of: "[\"JP-13\",\"JP-27\"]", with: "\"JP-13\""))
            #expect(wrongType.status == .unprocessableContent && wrongType.pointers == ["/regions"])
            let huge = try await kit.provider.post("/api/v1/cloud/services", CloudKit.serviceJSON(String(repeating: "あ", count: 600_000)))
            #expect(huge.status == .contentTooLarge)
            let notJSON = try await kit.provider.call(.post, "/api/v1/cloud/services", json: CloudKit.serviceJSON("X"), headers: [.contentType: "text/plain"])
            #expect(notJSON.status == .unsupportedMediaType)
            #expect(try await count() == 0)

            // Reviewers name the provider by 法人番号; a wrong check digit or an unknown number is refused.
            let wrongDigit = try await kit.reviewer.post("/api/v1/cloud/services", CloudKit.serviceJSON("X").replacingOccurrences(of: "\"name\"", with: "\"providerCorporateNumber\":\"1010401990003\",\"name\""))
            #expect(wrongDigit.status == .unprocessableContent && wrongDigit.pointers == ["/providerCorporateNumber"])
            #expect((wrongDigit.errors.first?["detailJa"] as? String)?.contains("チェックデジット") == true)
            let base = "010401990099"
            let unknownNumber = "\(CorporateNumber.checkDigit(for: base))\(base)"
            let unknownOrg = try await kit.reviewer.post("/api/v1/cloud/services", CloudKit.serviceJSON("X").replacingOccurrences(of: "\"name\"", with: "\"providerCorporateNumber\":\"\(unknownNumber)\",\"name\""))
            #expect(unknownOrg.status == .unprocessableContent && unknownOrg.errors.first?["code"] as? String == "unknown")
            // Members cannot name another provider.
            #expect(try await kit.provider.post("/api/v1/cloud/services", CloudKit.serviceJSON("X").replacingOccurrences(of: "\"name\"", with: "\"providerCorporateNumber\":\"\(unknownNumber)\",\"name\"")).status == .unprocessableContent)
            #expect(try await count() == 0)

            // Query parameters of the public lists.
            let badFilters = try await kit.anonymous.get("/api/v1/cloud/lists/ready?corporateNumber=1234567890123&region=XX&sort=price&status=draft&limit=500")
            #expect(badFilters.status == .badRequest)
            let fieldErrors = try await kit.anonymous.get("/api/v1/cloud/lists/ready?corporateNumber=1234567890123&region=XX&sort=price&status=draft")
            #expect(fieldErrors.pointers == ["/query/region", "/query/status", "/query/corporateNumber", "/query/sort"])
            #expect(try await kit.anonymous.get("/api/v1/cloud/lists/unknown").status == .notFound)
            #expect(try await kit.anonymous.get("/api/v1/cloud/services/NOPE").status == .notFound)
            #expect(try await kit.anonymous.get("/api/v1/cloud/snapshots/2026-02-30").status == .notFound)
            #expect(try await kit.anonymous.get("/api/v1/cloud/applicability?organisation=x").status == .badRequest)

            // Impossible dates in a declaration.
            let (_, serviceID) = try await kit.service()
            let impossible = try await kit.provider.post("/api/v1/cloud/ready", kit.readyJSON(serviceID).replacingOccurrences(of: "2026-05-01", with: "2026-02-30"))
            #expect(impossible.status == .unprocessableContent && impossible.pointers == ["/auditContractDate"])
            #expect(try await ReadyListingRecord.query(on: kit.services.db).count() == 0)
        }
    }

    @Test("roles: members act for their organisation only, reviewers decide, administrators set parameters, the public reads published states")
    func roles() async throws {
        try await TestPlatform.withClient(modules: [CloudAssuranceModule()], clock: CloudKit.clock(2026, 6, 1)) { platform, client in
            let kit = try await CloudKit(platform, client)
            let (number, serviceID) = try await kit.service()
            #expect(try await kit.anonymous.post("/api/v1/cloud/services", CloudKit.serviceJSON("X")).status == .unauthorized)
            #expect(try await kit.other.call(.put, "/api/v1/cloud/services/\(number)", json: CloudKit.serviceJSON("X")).status == .notFound)
            let mine = try await kit.other.get("/api/v1/cloud/services")
            #expect(mine.object["total"] as? Int == 0)
            #expect(try await kit.reviewer.get("/api/v1/cloud/services").object["total"] as? Int == 1)
            // Only reviewers import catalogues and question sets; only administrators change parameters and rules.
            #expect(try await kit.provider.post("/api/v1/cloud/catalogues", #"{"key":"x-1","format":"ismap-csv","csv":"a"}"#).status == .forbidden)
            #expect(try await kit.provider.post("/api/v1/cloud/question-sets", #"{"format":"csv"}"#).status == .forbidden)
            let settings = String(decoding: try API.encoder.encode(CloudSettings.defaults), as: UTF8.self)
            #expect(try await kit.reviewer.call(.put, "/api/v1/cloud/settings", json: settings).status == .forbidden)
            #expect(try await kit.admin.call(.put, "/api/v1/cloud/settings", json: settings.replacingOccurrences(of: "\"reportIntervalMonths\":6", with: "\"reportIntervalMonths\":3")).status == .ok)
            #expect(try await kit.anonymous.get("/api/v1/cloud/settings").object["reportIntervalMonths"] as? Int == 3)
            let rule = #"{"priority":5,"level":"required","acceptableLists":["ismap"],"conclusionJa":"必須","conclusionEn":"Required","citation":"規定"}"#
            #expect(try await kit.reviewer.post("/api/v1/cloud/applicability/rules", rule).status == .forbidden)
            #expect(try await kit.admin.post("/api/v1/cloud/applicability/rules", rule).status == .created)
            // A reviewer verifies a certificate; a member cannot.
            let cert = try await kit.provider.post("/api/v1/cloud/services/\(number)/certifications",
                                                   #"{"kind":"iso-27001","issuer":"JQA","certificateNumber":"IS-1","scope":"全体","coversService":true,"validFrom":"2025-01-01","validUntil":"2027-12-31"}"#)
            #expect(cert.status == .created, "\(cert.text)")
            let certID = try #require(cert.object["id"] as? String)
            #expect(try await kit.provider.post("/api/v1/cloud/services/\(number)/certifications/\(certID)/verification", "{}").status == .forbidden)
            #expect(try await kit.reviewer.post("/api/v1/cloud/services/\(number)/certifications/\(certID)/verification", "{}").object["verified"] as? Bool == true)
            // Evidence files: type checked, only for the provider and reviewers.
            let pdf = Data("%PDF-1.7 test".utf8).base64EncodedString()
            let attached = try await kit.provider.post("/api/v1/cloud/services/\(number)/certifications/\(certID)/evidence",
                                                       #"{"filename":"certificate.pdf","mediaType":"application/pdf","content":"\#(pdf)"}"#)
            #expect(attached.status == .created, "\(attached.text)")
            let url = try #require(attached.object["url"] as? String)
            #expect(try await kit.provider.get(url).text == "%PDF-1.7 test")
            #expect(try await kit.other.get(url).status == .notFound)
            #expect(try await kit.anonymous.get(url).status == .unauthorized)
            let fake = try await kit.provider.post("/api/v1/cloud/services/\(number)/certifications/\(certID)/evidence",
                                                   #"{"filename":"x.pdf","mediaType":"application/pdf","content":"\#(Data("MZ".utf8).base64EncodedString())"}"#)
            #expect(fake.pointers == ["/mediaType"])
            // The service is not public: no public history, no page for others.
            var browser = Browser(client)
            #expect(try await browser.get("/cloud/services/\(number)").status == .notFound)
            _ = try await browser.signIn(CloudKit.providerEmail)
            let own = try await browser.get("/cloud/services/\(number)")
            #expect(own.status == .ok && own.body.contains("まだどの公開リストにも掲載されていません"))
            _ = serviceID
        }
    }

    @Test("every module operation is documented with resolvable schemas")
    func openAPI() async throws {
        try await TestPlatform.with(modules: [CloudAssuranceModule()], demo: false) { platform in
            let cloud = platform.routes.operations.filter { $0.path.hasPrefix("/api/v1/cloud") }
            #expect(cloud.count >= 45)
            #expect(cloud.allSatisfy { $0.operationID.contains("Cloud") })
            let text = String(decoding: try JSONSerialization.data(withJSONObject: platform.openAPIDocument), as: UTF8.self)
            let schemas = Set(((platform.openAPIDocument["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]).keys)
            for ref in Set(text.matches(of: /#\\\/components\\\/schemas\\\/([A-Za-z0-9]+)/).map { String($0.1) }) { #expect(schemas.contains(ref), "missing \(ref)") }
            #expect(platform.routes.webRoutes.allSatisfy { !$0.path.hasPrefix("/api/") })
        }
    }
}
