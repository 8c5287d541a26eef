import Foundation
import ShinraiKit

/// The module's pages.
struct CloudWeb {
    let services: Services
    func register(_ routes: Routes) {
        if let url = Bundle.module.url(forResource: "Resources", withExtension: nil)?.appendingPathComponent("static/cloud.css"),
           let css = FileManager.default.contents(atPath: url.path) {
            routes.get("/cloud/static/cloud.css") { request, _ in API.cacheable(css, contentType: "text/css; charset=utf-8", request: request) }
        }
        PublicPages(services: services).register(routes)
        ToolPages(services: services).register(routes)
        CataloguePages(services: services).register(routes)
        ProviderPages(services: services).register(routes)
        WorkflowPages(services: services).register(routes)
        ReviewPages(services: services).register(routes)
    }
}
