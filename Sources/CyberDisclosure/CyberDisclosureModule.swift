import ShinraiKit

/// The CyberDisclosure module (see docs/modules.md for the seed sections it carries).
public struct CyberDisclosureModule: ShinraiModule {
    public init() {}
    public var id: String { "cyberdisclosure" }
}
