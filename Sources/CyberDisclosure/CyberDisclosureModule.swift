import FluentKit
import Foundation
import ShinraiKit

/// §2.6–2.7 of the FY2026 paper: timely disclosure of serious cyber incidents within 4 business
/// days (with other regimes' clocks on the same incident), the annual cyber disclosure in six
/// items, and the disclosure survey. See docs/cyber-disclosure.md.
public struct CyberDisclosureModule: ShinraiModule {
    public init() {}
    public var resourceDirectory: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }
    public var id: String { "cyberdisclosure" }
    public var migrations: [any Migration] { CyberDisclosureV1.all }
    public var operationalSections: Set<String> { ["2.6", "2.7"] }
    public var entryPoints: [String: String] { ["2.6": "/disclosure", "2.7": "/disclosure/incidents"] }

    public func routes(_ routes: Routes, services: Services) {
        DisclosureAPIRoutes(services: services).register(routes)
        DisclosureWebRoutes(services: services).register(routes)
    }

    public func jobs(services: Services) -> [ScheduledJob] {
        [DeadlineReminders.job(services: services)]
    }

    public func loadDemo(services: Services) async throws {
        try await DisclosureDemo(services: services).load()
    }
}
