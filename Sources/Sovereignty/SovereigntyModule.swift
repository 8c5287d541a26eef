import FluentKit
import Foundation
import ShinraiKit

/// §2.8 (with §1.5): vendors' sovereignty profiles, offerings and their domestic score, usage
/// declarations, the cyber self-sufficiency rate with targets, government adoption and
/// overseas sales, and the infrastructure register of domestic compute and edge sites.
public struct SovereigntyModule: ShinraiModule {
    public init() {}
    public var resourceDirectory: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }
    public var id: String { "sovereignty" }
    public var migrations: [any Migration] { SovereigntyV1.all }
    public var operationalSections: Set<String> { ["2.8", "1.5"] }
    public var entryPoints: [String: String] { ["2.8": "/sovereignty", "1.5": "/sovereignty/infrastructure"] }

    public func routes(_ routes: Routes, services: Services) {
        let service = SovereigntyService(services: services)
        SovereigntyAPI(service: service).register(routes)
        SovereigntyWeb(service: service).register(routes)
    }

    public func loadDemo(services: Services) async throws {
        try await SovereigntyDemo.load(services: services)
    }
}
