import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import ShinraiTestSupport
import Testing
@testable import ShinraiKit

@Suite("Transparency log in the database")
struct TransparencyLogStoreTests {
    static func entry(_ n: Int) throws -> LogEntry {
        try LogEntry(type: "test.record", subject: "subject \(n)", recordNumber: "TST-2026-\(String(format: "%04d", n))",
                     content: ["n": n], time: Date(timeIntervalSince1970: 1_795_705_440 + Double(n)))
    }

    @Test("appends in batches give the roots of a full recompute; proofs from the database verify")
    func appendAndProve() async throws {
        try await TestPlatform.with(demo: false) { platform in
            let db = platform.services.db
            var entries: [LogEntry] = []
            for batch in [1, 2, 5, 1, 8, 13] {
                let new = try (entries.count..<(entries.count + batch)).map(Self.entry)
                let first = try await db.transaction { try await TransparencyLogStore.append(new, on: $0) }
                #expect(first == Int64(entries.count))
                entries += new
                let head = try await TransparencyLogStore.head(on: db)
                #expect(head.size == Int64(entries.count))
                #expect(head.root == MerkleTree.recomputeRoot(leafHashes: entries.map { MerkleHashing.leafHash($0.canonicalJSON()) }))
            }
            let leaves = entries.map { MerkleHashing.leafHash($0.canonicalJSON()) }
            for size in Int64(1)...Int64(entries.count) {
                let root = try await TransparencyLogStore.root(size: size, on: db)
                #expect(root == MerkleTree.recomputeRoot(leafHashes: Array(leaves[0..<Int(size)])))
                for index in stride(from: Int64(0), to: size, by: 3) {
                    let proof = try await TransparencyLogStore.inclusionProof(index: index, size: size, on: db)
                    #expect(MerkleVerification.isValidInclusion(leafHash: leaves[Int(index)], index: index, size: size, proof: proof, root: root))
                }
                let latest = try await TransparencyLogStore.head(on: db)
                let consistency = try await TransparencyLogStore.consistencyProof(first: size, second: latest.size, on: db)
                #expect(MerkleVerification.isValidConsistency(first: size, second: latest.size, firstRoot: root, secondRoot: latest.root, proof: consistency))
            }
        }
    }

    @Test("a public record writes one audit event and one log entry in the same transaction; a failure writes neither")
    func atomic() async throws {
        try await TestPlatform.with(demo: false) { platform in
            let db = platform.services.db
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await db.transaction { db in
                    try await PublicRecord.publish(on: db, actor: .system("test"), organisationID: nil, type: "test.published", subject: "x",
                                                   recordNumber: "TST-1", content: ["a": 1], targetType: "test", targetID: "1", summary: [:], at: Date())
                    throw Boom()
                }
            }
            #expect(try await TransparencyLogStore.head(on: db).size == 0)
            #expect(try await AuditEvent.query(on: db).count() == 0)
            let index = try await db.transaction { db in
                try await PublicRecord.publish(on: db, actor: .system("test"), organisationID: nil, type: "test.published", subject: "x",
                                               recordNumber: "TST-1", content: ["a": 1], targetType: "test", targetID: "1", summary: [:], at: Date())
            }
            #expect(index == 0)
            #expect(try await TransparencyLogStore.indexes(ofRecord: "TST-1", on: db) == [0])
            let events = try await AuditEvent.query(on: db).all()
            #expect(events.count == 1)
            #expect(events[0].summary.contains("\"logIndex\":\"0\""))
        }
    }

    @Test("the public API: signed checkpoint, entries, inclusion and consistency proofs verify with the published key")
    func api() async throws {
        try await TestPlatform.withClient { platform, client in
            let api = APIClient(client)
            let checkpoint = try await api.get("/api/v1/log/checkpoint")
            #expect(checkpoint.status == .ok)
            let key = try await api.get("/api/v1/log/key")
            let verifierKey = try #require(key.object["verifierKey"] as? String)
            let verifier = try NoteVerifier(verifierKey: verifierKey)
            let opened = try LogCheckpoint.open(checkpoint.text, verifier: verifier, origin: platform.services.config.logOrigin)
            #expect(opened.size == 4, "the four demo organisation registrations")

            let entries = try #require(try await api.get("/api/v1/log/entries?start=0&end=4").json as? [[String: Any]])
            #expect(entries.count == 4)
            let leaves = try entries.map { item -> Data in
                let text = try #require(item["canonical"] as? String)
                let canonical = try #require(Data(base64Encoded: text))
                return MerkleHashing.leafHash(canonical)
            }
            #expect(MerkleTree.recomputeRoot(leafHashes: leaves) == opened.rootHash)
            for index in 0..<4 {
                let proof = try await api.get("/api/v1/log/proof/inclusion?index=\(index)&size=4")
                let path = try #require(proof.object["auditPath"] as? [String]).compactMap { Data(base64Encoded: $0) }
                #expect(MerkleVerification.isValidInclusion(leafHash: leaves[index], index: Int64(index), size: 4, proof: path, root: opened.rootHash))
            }
            let byHash = try await api.get("/api/v1/log/proof/inclusion?leafHash=\(leaves[2].base64EncodedString().replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F").replacingOccurrences(of: "=", with: "%3D"))")
            #expect(byHash.object["index"] as? Int == 2)

            // The log grows; the old checkpoint stays consistent with the new one.
            let admin = APIClient(client, token: try await platform.token(for: DemoAccounts.admin))
            #expect(try await admin.post("/api/v1/organisations", #"{"name":"国税庁","kind":"government","corporateNumber":"7000012050002"}"#).status == .created)
            let later = try LogCheckpoint.open(try await api.get("/api/v1/log/checkpoint").text, verifier: verifier)
            #expect(later.size == 5)
            let consistency = try await api.get("/api/v1/log/proof/consistency?first=4&second=5")
            let proof = try #require(consistency.object["proof"] as? [String]).compactMap { Data(base64Encoded: $0) }
            #expect(MerkleVerification.isValidConsistency(first: 4, second: 5, firstRoot: opened.rootHash, secondRoot: later.rootHash, proof: proof))

            // Bounds are enforced.
            #expect(try await api.get("/api/v1/log/entries?start=0&end=99").status == .badRequest)
            #expect(try await api.get("/api/v1/log/entries?start=-1&end=2").status == .badRequest)
            #expect(try await api.get("/api/v1/log/proof/inclusion?index=9&size=5").status == .badRequest)
            #expect(try await api.get("/api/v1/log/proof/consistency?first=3&second=2").status == .badRequest)

            var browser = Browser(client)
            let page = try await browser.get("/log")
            #expect(page.status == .ok)
            #expect(page.body.contains("organisation.registered"))
            let entryPage = try await browser.get("/log/entries/4")
            #expect(entryPage.body.contains("国税庁"))
            #expect(entryPage.body.contains("/api/v1/log/proof/inclusion?index=4"))
        }
    }

    @Test("verify passes on an intact log and reports a tampered row")
    func tamper() async throws {
        try await TestPlatform.with { platform in
            let services = platform.services
            let intact = try await LogVerifier.verify(LogVerifier.Local(services: services), origin: services.config.logOrigin)
            #expect(intact.ok)
            #expect(intact.size == 4)
            #expect(try await LogVerifier.verifyStoredNodes(services: services).isEmpty)

            // Someone edits a logged record in place: the subject of entry 1.
            let row = try #require(try await TransparencyLogStore.entry(index: 1, on: services.db))
            let forged = String(decoding: row.entryJSON, as: UTF8.self).replacingOccurrences(of: row.entry.subject, with: "改ざん")
            try await services.sql.update("log_entries").set("entry", to: forged).where("idx", .equal, Int64(1)).run()
            let report = try await LogVerifier.verify(LogVerifier.Local(services: services), origin: services.config.logOrigin)
            #expect(!report.ok)
            #expect(report.problems.first?.contains("entry 1") == true)

            // Rewriting the stored leaf hash as well is caught by the signed root.
            let leaf = MerkleHashing.leafHash(Data(forged.utf8))
            try await services.sql.update("log_entries").set("leaf_hash", to: TLogHex.encode(leaf)).where("idx", .equal, Int64(1)).run()
            let second = try await LogVerifier.verify(LogVerifier.Local(services: services), origin: services.config.logOrigin)
            #expect(!second.ok)
            #expect(second.problems.first?.contains("root") == true)
            #expect(!(try await LogVerifier.verifyStoredNodes(services: services).isEmpty))
        }
    }

    @Test("the signing key file is created with mode 0600 and reused")
    func keyFile() async throws {
        try await TestPlatform.with(demo: false) { platform in
            let services = platform.services
            let first = try await services.logSigning.signer(db: services.db)
            guard case .file(let path) = services.config.logKeyStorage else { Issue.record("expected a file key"); return }
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let again = try LogSigningKeyFile.loadOrCreate(at: path, name: services.config.logOrigin)
            #expect(!again.created)
            #expect(again.signer.verifier.verifierKey == first.verifier.verifierKey)
        }
    }
}

@Suite("Calendar API")
struct CalendarAPITests {
    @Test("holidays of a year and a deadline with its explanation")
    func calendar() async throws {
        try await TestPlatform.withClient(demo: false) { _, client in
            let api = APIClient(client)
            let holidays = try #require(try await api.get("/api/v1/calendar/holidays?year=2026").json as? [[String: String]])
            #expect(holidays.first == ["date": "2026-01-01", "name": "元日", "nameEn": "New Year's Day"])
            #expect(holidays.contains { $0["date"] == "2026-05-06" && $0["name"] == "振替休日" })
            #expect(try await api.get("/api/v1/calendar/holidays?year=1800").status == .badRequest)
            // Determined on the evening of Thursday 30 April 2026, just before Golden Week.
            let deadline = try await api.get("/api/v1/calendar/deadline?from=2026-04-30T19:00:00%2B09:00&businessDays=4&calendar=exchange")
            #expect(deadline.status == .ok)
            #expect(deadline.object["dueDate"] as? String == "2026-05-11")
            #expect((deadline.object["explanation"] as? String)?.contains("憲法記念日") == true)
            #expect(try await api.get("/api/v1/calendar/deadline?from=yesterday&businessDays=4").status == .badRequest)
            #expect(try await api.get("/api/v1/calendar/deadline?from=2026-04-30T19:00:00Z&businessDays=4&calendar=moon").status == .badRequest)
        }
    }
}
