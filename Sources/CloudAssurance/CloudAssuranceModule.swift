import Foundation
import ShinraiKit

/// The CloudAssurance module (see docs/modules.md for the seed sections it carries).
public struct CloudAssuranceModule: ShinraiModule {
    public init() {}
    public var resourceDirectory: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }
    public var id: String { "cloudassurance" }
}
