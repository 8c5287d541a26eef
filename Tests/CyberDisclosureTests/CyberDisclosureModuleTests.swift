import ShinraiKit
import Testing
@testable import CyberDisclosure

@Suite("CyberDisclosure module")
struct CyberDisclosureModuleTests {
    @Test("the module names itself") func identity() { #expect(!CyberDisclosureModule().id.isEmpty) }
}
