import ShinraiKit
import Testing
@testable import Sovereignty

@Suite("Sovereignty module")
struct SovereigntyModuleTests {
    @Test("the module names itself") func identity() { #expect(!SovereigntyModule().id.isEmpty) }
}
