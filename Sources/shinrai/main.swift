import ArgumentParser
import FluentKit
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ShinraiApp
import ShinraiKit

/// Options shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database"), help: "Database URL: a SQLite path, sqlite:PATH, or postgres://USER:PASS@HOST:PORT/DB (env SHINRAI_DATABASE_URL; default ./shinrai-data/shinrai.sqlite)")
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: "Folder for the SQLite file and the log signing key (env SHINRAI_DATA_DIR; default ./shinrai-data)")
    var dataDirectory: String?

    func config(host: String? = nil, port: Int? = nil) throws -> ShinraiConfig {
        try ShinraiConfig.resolve(flags: .init(host: host, port: port, databaseURL: databaseURL, dataDirectory: dataDirectory))
    }

    /// Opens the platform, runs migrations, runs `body`, and shuts down.
    func withPlatform<T>(_ body: (Platform) async throws -> T) async throws -> T {
        let platform = try ShinraiApp.platform(config: try config(), logger: quietLogger())
        do {
            try await platform.migrate()
            let result = try await body(platform)
            await platform.shutdown()
            return result
        } catch {
            await platform.shutdown()
            throw error
        }
    }
}

func quietLogger() -> Logger {
    var logger = Logger(label: "shinrai")
    logger.logLevel = .warning
    return logger
}

/// Writes to stdout unbuffered, so messages reach a log file at once.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Prints a message that fits on a line; used for progress of long operations.
func progress(_ step: Int, _ total: Int, _ message: String) {
    FileHandle.standardError.write(Data("[\(step)/\(total)] \(message)\n".utf8))
}

@main
struct Shinrai: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shinrai",
        abstract: "Shinrai (信頼): public registries, filings and calculators for the FY2026 proposals.",
        subcommands: [Serve.self, Migrate.self, Demo.self, Users.self, Orgs.self, Tokens.self, Jobs.self, Log.self])
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run migrations, then serve the web UI and the JSON API.")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (env SHINRAI_HOST; default 127.0.0.1)") var host: String?
    @Option(help: "Port to listen on (env SHINRAI_PORT; default 8080)") var port: Int?
    @Flag(help: "Load the demo data set into the database (idempotent) and print the demo accounts.") var demo = false

    func run() async throws {
        let config = try database.config(host: host, port: port)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "shinrai")
        let platform = try ShinraiApp.platform(config: config, logger: logger)
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: platform.services.metrics))
        try await platform.migrate()
        if demo {
            try await platform.loadDemo()
            say("""
            Demo data loaded. Demo accounts (password: \(DemoAccounts.password)):
              administrator  \(DemoAccounts.admin)
              reviewer       \(DemoAccounts.reviewer)
              member         \(DemoAccounts.member)
            """)
        }
        say("Shinrai listening on http://\(config.host):\(config.port)")
        try await platform.application(host: config.host, port: config.port).runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")
    @OptionGroup var database: DatabaseOptions
    func run() async throws {
        try await database.withPlatform { _ in print("Database is up to date.") }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Demo data.", subcommands: [Load.self])
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load the demo data set (idempotent).")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            try await database.withPlatform { platform in
                for (index, module) in platform.modules.enumerated() {
                    progress(index + 1, platform.modules.count, "demo data: \(module.id)")
                    try await module.loadDemo(services: platform.services)
                }
                print("Demo data loaded. Password of the demo accounts: \(DemoAccounts.password)")
            }
        }
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Accounts.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; prints a generated password unless --password is given.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "E-mail address") var email: String
        @Option(help: "member, reviewer or admin") var role: String
        @Option(help: "Organisation: its id, 法人番号 or 全国地方公共団体コード") var org: String?
        @Option(help: "Display name (default: the part before @)") var name: String?
        @Option(help: "Password (at least 10 characters)") var password: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role must be member, reviewer or admin") }
            let password = self.password ?? AccountService.randomToken().prefix(16).description
            try await database.withPlatform { platform in
                var orgID: UUID?
                if let org {
                    guard let found = try await findOrganisation(org, on: platform.services.db) else { throw ValidationError("no organisation \(org)") }
                    orgID = found.id
                }
                do {
                    _ = try await AccountService(platform.services).createAccount(
                        .init(email: email, displayName: name ?? String(email.split(separator: "@").first ?? ""), password: password, role: role, organisationId: orgID),
                        actor: .system("cli"))
                } catch let problem as Problem { throw ValidationError(describe(problem)) }
                print("Created \(email) (\(role.rawValue))" + (self.password == nil ? " with password: \(password)" : ""))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            try await database.withPlatform { platform in
                for account in try await Account.query(on: platform.services.db).with(\.$organisation).sort(\.$email).all() {
                    print("\(account.email)\t\(account.role.rawValue)\t\(account.organisation?.name ?? "-")")
                }
            }
        }
    }
}

struct Orgs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Organisations.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an organisation.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Name") var name: String
        @Option(help: "company, cloud-provider, municipality, government or other") var kind: String
        @Option(help: "法人番号 (13 digits)") var corporateNumber: String?
        @Option(help: "全国地方公共団体コード (6 digits, municipalities)") var localGovernmentCode: String?
        @Option(help: "English name") var nameEn: String?

        func run() async throws {
            guard let kind = OrganisationKind(rawValue: kind) else { throw ValidationError("--kind must be one of \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))") }
            try await database.withPlatform { platform in
                do {
                    let org = try await AccountService(platform.services).createOrganisation(
                        .init(name: name, nameEn: nameEn, kind: kind, corporateNumber: corporateNumber, localGovernmentCode: localGovernmentCode), actor: .system("cli"))
                    print("Created organisation \(org.id!.uuidString) \(org.name)")
                } catch let problem as Problem { throw ValidationError(describe(problem)) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List organisations.")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            try await database.withPlatform { platform in
                for org in try await Organisation.query(on: platform.services.db).sort(\.$name).all() {
                    print("\(org.id!.uuidString)\t\(org.kind.rawValue)\t\(org.corporateNumber ?? org.localGovernmentCode ?? "-")\t\(org.name)")
                }
            }
        }
    }
}

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API bearer token for an account and print it once.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "E-mail address of the account") var email: String
        @Option(help: "A name to recognise the token by") var name: String = "cli"

        func run() async throws {
            try await database.withPlatform { platform in
                guard let account = try await Account.query(on: platform.services.db).filter(\.$email == AccountService.normaliseEmail(email)).first() else {
                    throw ValidationError("no account \(email)")
                }
                let issued = try await AccountService(platform.services).createToken(for: account.id!, name: name, actor: .system("cli"))
                print(issued.token)
            }
        }
    }
}

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Scheduled jobs.", subcommands: [Run.self, List.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run one job now, by hand (recorded as a manual run).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Job name (see `shinrai jobs list`)") var name: String
        func run() async throws {
            try await database.withPlatform { platform in
                guard let run = try await platform.scheduler.runByHand(name) else {
                    throw ValidationError("no job \(name); known: \(platform.scheduler.jobs.map(\.name).joined(separator: ", "))")
                }
                print("\(run.name): \(run.outcome) — \(run.message)")
                if run.outcome != "success" { throw ExitCode.failure }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs and their schedules.")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            try await database.withPlatform { platform in
                for job in platform.scheduler.jobs { print("\(job.name)\t\(job.schedule.description)") }
            }
        }
    }
}

struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The transparency log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-derive the whole log, check the signed checkpoint and every entry, and report the first mismatch.",
            discussion: "Without --url the local database is checked (including the stored subtree hashes that proofs use).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Verify a server through its public API instead, e.g. https://shinrai.example.jp") var url: String?

        func run() async throws {
            let show: @Sendable (Int64, Int64) -> Void = { done, total in
                if done == total || done % 100_000 == 0 { progress(Int(done), Int(total), "entries checked") }
            }
            if let url {
                let report = try await LogVerifier.verify(LogVerifier.Remote(baseURL: url), progress: show)
                try finish(report, extra: [])
            } else {
                try await database.withPlatform { platform in
                    let report = try await LogVerifier.verify(LogVerifier.Local(services: platform.services), origin: platform.services.config.logOrigin, progress: show)
                    let nodes = report.ok ? try await LogVerifier.verifyStoredNodes(services: platform.services) : []
                    try finish(report, extra: nodes)
                }
            }
        }

        func finish(_ report: LogVerifier.Report, extra: [String]) throws {
            let problems = report.problems + extra
            if problems.isEmpty {
                print("OK: \(report.size) entries, root \(report.root.base64EncodedString())")
            } else {
                print("FAILED: \(problems.first!)")
                for problem in problems.dropFirst() { print("  also: \(problem)") }
                throw ExitCode.failure
            }
        }
    }
}

func findOrganisation(_ key: String, on db: any Database) async throws -> Organisation? {
    if let id = UUID(uuidString: key) { return try await Organisation.find(id, on: db) }
    return try await Organisation.query(on: db).group(.or) { $0.filter(\.$corporateNumber == key).filter(\.$localGovernmentCode == key) }.first()
}

func describe(_ problem: Problem) -> String {
    ([problem.title.en] + problem.errors.map { "\($0.pointer): \($0.detail)" }).joined(separator: "\n  ")
}
