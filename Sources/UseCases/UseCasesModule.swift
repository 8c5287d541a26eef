import FluentKit
import Foundation
import ShinraiKit

/// The generative-AI use-case and needs exchange (seed §1.1): organisations share problems,
/// solution steps, prompt templates and measured results; moderators publish them as logged public
/// records; anyone searches them by industry and problem, reuses the prompts, and posts needs.
/// See docs/usecases.md.
public struct UseCasesModule: ShinraiModule {
    /// The in-memory search snapshot of this platform's listing, shared by the API and the pages.
    let search = SearchSnapshots()

    public init() {}
    public var resourceDirectory: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }
    public var id: String { "usecases" }

    public var migrations: [any Migration] {
        [UseCasesV1.CreateTables(), UseCasesV1.SeedCategories(), UseCasesV2.SearchTitles(), UseCasesV3.SearchSnapshots()]
    }

    public var operationalSections: Set<String> { ["1.1"] }

    public func routes(_ routes: Routes, services: Services) {
        UseCaseAPI(services: services, search: search).register(routes)
        UseCaseWeb(services: services, search: search).register(routes)
    }

    public func loadDemo(services: Services) async throws {
        try await DemoUseCases.load(services: services)
    }
}
