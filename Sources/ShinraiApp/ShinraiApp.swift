import CloudAssurance
import CyberDisclosure
import Foundation
import Logging
import Programs
import ShinraiKit
import Sovereignty
import Talent
import TrustedAI
import UseCases

/// Composition root: the domain modules in navigation order.
public enum ShinraiApp {
    public static var modules: [any ShinraiModule] {
        [
            UseCasesModule(), TrustedAIModule(), ProgramsModule(),
            CloudAssuranceModule(), CyberDisclosureModule(), SovereigntyModule(),
            TalentModule(),
        ]
    }

    public static func platform(config: ShinraiConfig, logger: Logger = Logger(label: "shinrai"), clock: Clock = Clock(),
                                postgresSearchPath: [String]? = nil) throws -> Platform {
        try Platform(config: config, modules: modules, logger: logger, clock: clock, postgresSearchPath: postgresSearchPath)
    }
}
