import FluentKit
import Foundation
import HummingbirdTesting
import ShinraiKit
import ShinraiTestSupport
@testable import Sovereignty

/// 1 June 2026 in Japan: fiscal year 2026.
let juneFY2026 = JapaneseDate.date(year: 2026, month: 6, day: 1, hour: 10)

extension Platform {
    var sovereignty: SovereigntyService { SovereigntyService(services: services) }

    /// The demo organisation named, from the kernel's demo accounts.
    func organisation(_ email: String) async throws -> UUID {
        try await Account.query(on: services.db).filter(\.$email == email).first()!.$organisation.id!
    }

    /// A new company (or municipality) with one member account `<slug>@test.example`.
    @discardableResult
    func declarer(_ slug: String, number: Int, kind: OrganisationKind = .company) async throws -> (id: UUID, email: String) {
        let accounts = AccountService(services)
        let org: Organisation
        if kind == .municipality {
            let base = String(format: "%02d%03d", 1 + number % 46, 200 + number)
            org = try await accounts.createOrganisation(.init(name: "\(slug) 市", kind: .municipality,
                                                              localGovernmentCode: base + "\(LocalGovernmentCode.checkDigit(for: base))"), actor: .system("test"))
        } else {
            let base = String(format: "0104019977%02d", number)
            org = try await accounts.createOrganisation(.init(name: "\(slug) 株式会社", kind: kind,
                                                              corporateNumber: "\(CorporateNumber.checkDigit(for: base))\(base)"), actor: .system("test"))
        }
        let email = "\(slug)@test.example"
        _ = try await accounts.createAccount(.init(email: email, displayName: slug, password: DemoAccounts.password, role: .member, organisationId: org.id),
                                             actor: .system("test"))
        return (org.id!, email)
    }

    func identity(_ email: String) async throws -> Identity {
        let account = try await Account.query(on: services.db).filter(\.$email == email).with(\.$organisation).first()!
        return Identity(accountID: account.id!, email: account.email, displayName: account.displayName, role: account.role,
                        organisationID: account.$organisation.id, organisationName: account.organisation?.name)
    }

    /// A vendor profile (all facts in `country`) and one offering; returns the offering's number.
    func offering(vendor: UUID, name: String, country: String = "JP", kind: OfferingKind = .product, category: String = "endpoint",
                  development: [String]? = nil) async throws -> Offering {
        let reviewer = try await identity(DemoAccounts.reviewer)
        if try await VendorProfile.query(on: services.db).filter(\.$organisation.$id == vendor).first() == nil {
            try await sovereignty.saveProfile(of: vendor, ProfileInput(headquarters: country, governingLaw: country, foreignLaws: country == "JP" ? [] : [.usCloudAct],
                                                                       development: [country], operation: [country], support: [country], dataLocation: [country]),
                                              by: reviewer)
        }
        return try await sovereignty.createOffering(OfferingInput(vendorId: vendor, name: name, kind: kind, category: category, development: development,
                                                                  siteType: kind == .infrastructure ? .dataCentre : nil,
                                                                  siteCountry: kind == .infrastructure ? country : nil,
                                                                  prefecture: kind == .infrastructure && country == "JP" ? 13 : nil), by: reviewer)
    }

    func declare(_ email: String, _ offering: Offering, year: Int, spend: Int64? = nil, units: Int64? = nil, government: Bool = false) async throws {
        _ = try await sovereignty.createDeclaration(DeclarationInput(offering: offering.number, fiscalYear: year, spendYen: spend, units: units,
                                                                     governmentSystem: government), by: try await identity(email))
    }
}

extension APIClient.Reply {
    var items: [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    var errorPointers: [String] { (object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String } }
}

extension APIClient {
    func put(_ path: String, _ json: String) async throws -> Reply { try await call(.put, path, json: json) }
    func delete(_ path: String) async throws -> Reply { try await call(.delete, path) }
}
