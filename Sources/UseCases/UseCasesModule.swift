import Foundation
import ShinraiKit

/// The UseCases module (see docs/modules.md for the seed sections it carries).
public struct UseCasesModule: ShinraiModule {
    public init() {}
    public var resourceDirectory: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }
    public var id: String { "usecases" }
}
