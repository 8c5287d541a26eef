import Foundation
import ShinraiKit

enum DemoUseCases {
    static func load(services: Services) async throws {}
}
