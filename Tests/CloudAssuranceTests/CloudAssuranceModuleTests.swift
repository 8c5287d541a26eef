import ShinraiKit
import Testing
@testable import CloudAssurance

@Suite("CloudAssurance module")
struct CloudAssuranceModuleTests {
    @Test("the module names itself") func identity() { #expect(!CloudAssuranceModule().id.isEmpty) }
}
