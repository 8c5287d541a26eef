import Foundation
import ShinraiKit

/// The Sovereignty module (see docs/modules.md for the seed sections it carries).
public struct SovereigntyModule: ShinraiModule {
    public init() {}
    public var resourceDirectory: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }
    public var id: String { "sovereignty" }
}
