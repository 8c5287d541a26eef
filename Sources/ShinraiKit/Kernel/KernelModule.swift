import FluentKit
import Foundation

/// The kernel as a module: accounts and audit tables, sign-in and administration routes, and
/// the demo organisations and accounts.
public struct KernelModule: ShinraiModule {
    let modules: [any ShinraiModule]
    public init(modules: [any ShinraiModule]) { self.modules = modules }

    public var id: String { "kernel" }
    public var migrations: [any Migration] { KernelV1.all + KernelV2.all }
    public var resourceDirectory: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }

    public func routes(_ routes: Routes, services: Services) {
        let all = [self as any ShinraiModule] + modules
        KernelWebRoutes(services: services, modules: all).register(routes)
        KernelAPIRoutes(services: services, modules: all).register(routes)
        NotificationRoutes(services: services).register(routes)
        LogRoutes(services: services).register(routes)
        CalendarRoutes().register(routes)
    }

    public func loadDemo(services: Services) async throws {
        try await DemoAccounts.load(services: services)
    }

    public func jobs(services: Services) -> [ScheduledJob] {
        [
            Notifications.deliveryJob,
            ScheduledJob(name: "sessions.expire", schedule: .daily(hour: 3, minute: 15)) { context in
                let expired = try await SessionRecord.query(on: context.services.db).filter(\.$expiresAt < context.dueAt).count()
                try await SessionRecord.query(on: context.services.db).filter(\.$expiresAt < context.dueAt).delete()
                return "removed \(expired) expired sessions"
            },
            ScheduledJob(name: "api-rate-windows.prune", schedule: .every(seconds: 3600)) { context in
                let removed = try await APIRateLimit(context.services).prune(before: context.dueAt)
                return "removed \(removed) ended rate-limit windows"
            },
        ]
    }
}

/// Demo organisations and the three demo accounts printed by `serve --demo`.
public enum DemoAccounts {
    public static let password = "Demo-Pass-2026"
    public static let admin = "admin@demo.shinrai.example"
    public static let reviewer = "reviewer@demo.shinrai.example"
    public static let member = "member@demo.shinrai.example"

    /// Fictional organisations; their identifiers get valid check digits from the validators.
    static let organisations: [(name: String, nameEn: String, kind: OrganisationKind, base: String)] = [
        ("信頼運営機構（デモ）", "Shinrai Operating Agency (demo)", .government, "000012990001"),
        ("さくら情報システム株式会社（デモ）", "Sakura Information Systems (demo)", .company, "010401990002"),
        ("みなとクラウド株式会社（デモ）", "Minato Cloud (demo)", .cloudProvider, "010401990003"),
    ]
    /// 全国地方公共団体コード without the check digit: a real municipality's base (千代田区 13101).
    static let municipality = (name: "千代田区（デモ）", nameEn: "Chiyoda City (demo)", base: "13101")

    public static func load(services: Services) async throws {
        if try await Account.query(on: services.db).filter(\.$email == admin).first() != nil { return }
        let accounts = AccountService(services)
        let system = Actor.system("demo")
        var created: [Organisation] = []
        for org in organisations {
            let number = "\(CorporateNumber.checkDigit(for: org.base))\(org.base)"
            created.append(try await accounts.createOrganisation(.init(name: org.name, nameEn: org.nameEn, kind: org.kind, corporateNumber: number), actor: system))
        }
        let code = municipality.base + "\(LocalGovernmentCode.checkDigit(for: municipality.base))"
        let city = try await accounts.createOrganisation(.init(name: municipality.name, nameEn: municipality.nameEn, kind: .municipality, localGovernmentCode: code), actor: system)
        _ = try await accounts.createAccount(.init(email: admin, displayName: "管理者 デモ", password: password, role: .admin, organisationId: created[0].id), actor: system)
        _ = try await accounts.createAccount(.init(email: reviewer, displayName: "審査 花子", password: password, role: .reviewer, organisationId: created[0].id), actor: system)
        _ = try await accounts.createAccount(.init(email: member, displayName: "佐藤 一郎", password: password, role: .member, organisationId: created[1].id), actor: system)
        _ = try await accounts.createAccount(.init(email: "cloud@demo.shinrai.example", displayName: "港 クラウド", password: password, role: .member, organisationId: created[2].id), actor: system)
        _ = try await accounts.createAccount(.init(email: "city@demo.shinrai.example", displayName: "千代田 区役所", password: password, role: .member, organisationId: city.id), actor: system)
    }
}
