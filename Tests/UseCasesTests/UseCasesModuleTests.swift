import ShinraiKit
import Testing
@testable import UseCases

@Suite("UseCases module")
struct UseCasesModuleTests {
    @Test("the module names itself") func identity() { #expect(!UseCasesModule().id.isEmpty) }
}
