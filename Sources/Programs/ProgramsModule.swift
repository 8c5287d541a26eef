import ShinraiKit

/// The Programs module (see docs/modules.md for the seed sections it carries).
public struct ProgramsModule: ShinraiModule {
    public init() {}
    public var id: String { "programs" }
}
