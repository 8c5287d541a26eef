import Foundation

/// Runtime configuration. Precedence: command-line flags > environment > defaults.
public struct ShinraiConfig: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// `sqlite:PATH`, a plain file path, `:memory:`, or `postgres://…`.
    public var databaseURL: String
    /// Folder for the SQLite file, the log signing key and uploaded files.
    public var dataDirectory: String
    /// Marks cookies `Secure`; on by default when the public base URL is https.
    public var secureCookies: Bool
    public var publicBaseURL: String
    /// Bcrypt cost; tests lower it to keep the suite fast.
    public var bcryptCost: Int
    /// Largest accepted request body for JSON and forms, in bytes.
    public var maxBodyBytes: Int
    /// Origin line of transparency-log checkpoints.
    public var logOrigin: String
    public var logLevel: String
    public var runJobs: Bool
    /// `file` (default: `<data dir>/log-signing.key`, mode 0600), `file:PATH`, or `database`.
    public var logKey: String
    /// Seconds between scheduler checks for due jobs.
    public var schedulerTick: Int
    /// PostgreSQL connections per event loop (two loops on two cores).
    public var postgresConnectionsPerLoop: Int = 4
    /// Largest accepted `multipart/form-data` body (a form that sends files), in bytes:
    /// room for a 10 MiB evidence file and the form around it.
    public var maxUploadBytes: Int = 11 << 20
    /// Requests one API token may send per minute (a fixed window counted in the database,
    /// shared by every instance); 0 turns the limit off. Anonymous requests are not counted.
    public var apiRateLimit: Int = 6000

    public static let defaultDataDirectory = "./shinrai-data"

    public static var defaults: ShinraiConfig {
        ShinraiConfig(
            host: "127.0.0.1", port: 8080,
            databaseURL: "sqlite:\(defaultDataDirectory)/shinrai.sqlite",
            dataDirectory: defaultDataDirectory, secureCookies: false,
            publicBaseURL: "http://127.0.0.1:8080", bcryptCost: 12,
            maxBodyBytes: 1 << 20, logOrigin: "shinrai.example/log", logLevel: "info", runJobs: true,
            logKey: "file", schedulerTick: 15)
    }

    /// Values given on the command line; nil means "not given".
    public struct Overrides: Sendable, Equatable {
        public var host: String?
        public var port: Int?
        public var databaseURL: String?
        public var dataDirectory: String?
        public init(host: String? = nil, port: Int? = nil, databaseURL: String? = nil, dataDirectory: String? = nil) {
            self.host = host; self.port = port; self.databaseURL = databaseURL; self.dataDirectory = dataDirectory
        }
    }

    public enum ConfigError: Error, CustomStringConvertible, Equatable {
        case invalid(name: String, value: String, reason: String)
        public var description: String {
            switch self {
            case let .invalid(name, value, reason): return "\(name)=\(value): \(reason)"
            }
        }
    }

    /// Resolves the configuration from flags and environment.
    public static func resolve(flags: Overrides = .init(), environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ShinraiConfig {
        var config = ShinraiConfig.defaults
        func env(_ key: String) -> String? {
            guard let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        func int(_ key: String, _ raw: String, range: ClosedRange<Int>) throws -> Int {
            guard let value = Int(raw), range.contains(value) else {
                throw ConfigError.invalid(name: key, value: raw, reason: "expected an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        if let dir = flags.dataDirectory ?? env("SHINRAI_DATA_DIR") { config.dataDirectory = dir }
        config.databaseURL = "sqlite:\(config.dataDirectory)/shinrai.sqlite"
        if let host = flags.host ?? env("SHINRAI_HOST") { config.host = host }
        if let port = flags.port {
            guard (1...65535).contains(port) else { throw ConfigError.invalid(name: "--port", value: "\(port)", reason: "expected 1...65535") }
            config.port = port
        } else if let raw = env("SHINRAI_PORT") {
            config.port = try int("SHINRAI_PORT", raw, range: 1...65535)
        }
        if let url = flags.databaseURL ?? env("SHINRAI_DATABASE_URL") { config.databaseURL = url }
        _ = try DatabaseLocation(config.databaseURL)
        config.publicBaseURL = env("SHINRAI_PUBLIC_URL") ?? "http://\(config.host):\(config.port)"
        config.secureCookies = config.publicBaseURL.lowercased().hasPrefix("https://")
        if let raw = env("SHINRAI_SECURE_COOKIES") { config.secureCookies = ["1", "true", "yes"].contains(raw.lowercased()) }
        if let raw = env("SHINRAI_BCRYPT_COST") { config.bcryptCost = try int("SHINRAI_BCRYPT_COST", raw, range: 4...16) }
        if let raw = env("SHINRAI_MAX_BODY_BYTES") { config.maxBodyBytes = try int("SHINRAI_MAX_BODY_BYTES", raw, range: 1024...(256 << 20)) }
        if let raw = env("SHINRAI_MAX_UPLOAD_BYTES") { config.maxUploadBytes = try int("SHINRAI_MAX_UPLOAD_BYTES", raw, range: 1024...(256 << 20)) }
        if let origin = env("SHINRAI_LOG_ORIGIN") { config.logOrigin = origin }
        if let level = env("SHINRAI_LOG_LEVEL") { config.logLevel = level }
        if let raw = env("SHINRAI_LOG_KEY") {
            guard raw == "file" || raw == "database" || raw.hasPrefix("file:") else {
                throw ConfigError.invalid(name: "SHINRAI_LOG_KEY", value: raw, reason: "use file, file:PATH or database")
            }
            config.logKey = raw
        }
        if let raw = env("SHINRAI_PG_CONNECTIONS_PER_LOOP") { config.postgresConnectionsPerLoop = try int("SHINRAI_PG_CONNECTIONS_PER_LOOP", raw, range: 1...64) }
        if let raw = env("SHINRAI_API_RATE_LIMIT") { config.apiRateLimit = try int("SHINRAI_API_RATE_LIMIT", raw, range: 0...1_000_000) }
        if let raw = env("SHINRAI_SCHEDULER_TICK") { config.schedulerTick = try int("SHINRAI_SCHEDULER_TICK", raw, range: 1...3600) }
        if let raw = env("SHINRAI_RUN_JOBS") { config.runJobs = !["0", "false", "no"].contains(raw.lowercased()) }
        return config
    }
}

/// Where the database lives, parsed from the configured URL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(String)

    public init(_ url: String) throws {
        let lower = url.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            self = .postgres(url)
        } else if url == ":memory:" || lower == "sqlite::memory:" {
            self = .sqliteMemory
        } else if lower.hasPrefix("sqlite://") {
            self = .sqliteFile(String(url.dropFirst("sqlite://".count)))
        } else if lower.hasPrefix("sqlite:") {
            self = .sqliteFile(String(url.dropFirst("sqlite:".count)))
        } else if !url.contains("://") && !url.isEmpty {
            self = .sqliteFile(url)
        } else {
            throw ShinraiConfig.ConfigError.invalid(name: "database", value: url, reason: "use a file path, sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB")
        }
    }

    public var isPostgres: Bool { if case .postgres = self { return true } else { return false } }
}

extension ShinraiConfig {
    public var logKeyStorage: LogSigning.Storage {
        if logKey == "database" { return .database }
        if logKey.hasPrefix("file:") { return .file(String(logKey.dropFirst(5))) }
        return .file(dataDirectory + "/log-signing.key")
    }
}
