import Foundation
import Testing
@testable import ShinraiKit

@Suite("Configuration precedence")
struct ConfigTests {
    @Test("defaults apply when nothing is given")
    func defaults() throws {
        let config = try ShinraiConfig.resolve(flags: .init(), environment: [:])
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.databaseURL == "sqlite:./shinrai-data/shinrai.sqlite")
        #expect(try DatabaseLocation(config.databaseURL) == .sqliteFile("./shinrai-data/shinrai.sqlite"))
        #expect(config.secureCookies == false)
    }

    @Test("environment overrides defaults")
    func environment() throws {
        let config = try ShinraiConfig.resolve(flags: .init(), environment: [
            "SHINRAI_PORT": "9000", "SHINRAI_HOST": "0.0.0.0", "SHINRAI_DATABASE_URL": "postgres://u:p@db:5432/shinrai",
            "SHINRAI_PUBLIC_URL": "https://shinrai.example.jp",
        ])
        #expect(config.port == 9000)
        #expect(config.host == "0.0.0.0")
        #expect(try DatabaseLocation(config.databaseURL) == .postgres("postgres://u:p@db:5432/shinrai"))
        #expect(config.secureCookies, "https public URL marks cookies Secure")
    }

    @Test("flags override environment")
    func flags() throws {
        let config = try ShinraiConfig.resolve(
            flags: .init(host: "::1", port: 7000, databaseURL: "sqlite:/tmp/x.sqlite"),
            environment: ["SHINRAI_PORT": "9000", "SHINRAI_HOST": "0.0.0.0", "SHINRAI_DATABASE_URL": "postgres://u:p@db/x"])
        #expect(config.port == 7000)
        #expect(config.host == "::1")
        #expect(config.databaseURL == "sqlite:/tmp/x.sqlite")
    }

    @Test("data directory moves the default SQLite file")
    func dataDirectory() throws {
        let config = try ShinraiConfig.resolve(flags: .init(dataDirectory: "/var/lib/shinrai"), environment: [:])
        #expect(config.databaseURL == "sqlite:/var/lib/shinrai/shinrai.sqlite")
    }

    @Test("invalid values are refused with the variable's name")
    func invalid() {
        #expect(throws: ShinraiConfig.ConfigError.self) { try ShinraiConfig.resolve(environment: ["SHINRAI_PORT": "eighty"]) }
        #expect(throws: ShinraiConfig.ConfigError.self) { try ShinraiConfig.resolve(environment: ["SHINRAI_PORT": "70000"]) }
        #expect(throws: ShinraiConfig.ConfigError.self) { try ShinraiConfig.resolve(flags: .init(port: 0), environment: [:]) }
        #expect(throws: ShinraiConfig.ConfigError.self) { try ShinraiConfig.resolve(environment: ["SHINRAI_DATABASE_URL": "mysql://x"]) }
    }
}
