import Foundation
import ShinraiKit

struct DisclosureDemo {
    let services: Services
    func load() async throws {}
}
