import ShinraiKit

/// The Talent module (see docs/modules.md for the seed sections it carries).
public struct TalentModule: ShinraiModule {
    public init() {}
    public var id: String { "talent" }
}
