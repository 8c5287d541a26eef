import ShinraiKit

/// The TrustedAI module (see docs/modules.md for the seed sections it carries).
public struct TrustedAIModule: ShinraiModule {
    public init() {}
    public var id: String { "trustedai" }
}
