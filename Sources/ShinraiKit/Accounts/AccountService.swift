import Crypto
import FluentKit
import Foundation

/// Organisations, accounts, sessions and API tokens. Every write is audited in its transaction.
public struct AccountService: Sendable {
    public let services: Services
    public init(_ services: Services) { self.services = services }

    /// Sign-in lockout: this many failures within the window lock the address for the window.
    public static let maxFailures = 5
    public static let throttleWindow: TimeInterval = 15 * 60
    public static let sessionLifetime: TimeInterval = 8 * 3600
    public static let minPasswordLength = 10

    // MARK: organisations

    public struct OrganisationInput: Codable, Sendable {
        public var name: String
        public var nameEn: String?
        public var kind: OrganisationKind
        public var corporateNumber: String?
        public var localGovernmentCode: String?
        public init(name: String, nameEn: String? = nil, kind: OrganisationKind, corporateNumber: String? = nil, localGovernmentCode: String? = nil) {
            self.name = name; self.nameEn = nameEn; self.kind = kind
            self.corporateNumber = corporateNumber; self.localGovernmentCode = localGovernmentCode
        }
    }

    /// Validates and normalises the identifiers; throws `Problem.validation`.
    static func validate(_ input: OrganisationInput) throws -> (name: String, nameEn: String?, corporate: String?, local: String?) {
        var errors = ValidationErrors()
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("/name", code: "missing", .init(ja: "名称を入力してください。", en: "Enter the name.")) }
        if name.count > 200 { errors.add("/name", code: "invalid", .init(ja: "名称は200文字以内で入力してください。", en: "The name is at most 200 characters.")) }
        let nameEn = input.nameEn?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        var corporate: String?
        var local: String?
        if let raw = input.corporateNumber?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            do { corporate = try CorporateNumber(raw).value } catch let error as JapaneseIdentifierError {
                errors.add("/corporateNumber", code: "invalid", .init(ja: error.messageJa, en: error.messageEn))
            }
        }
        if let raw = input.localGovernmentCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            do { local = try LocalGovernmentCode(raw).value } catch let error as JapaneseIdentifierError {
                errors.add("/localGovernmentCode", code: "invalid", .init(ja: error.messageJa, en: error.messageEn))
            }
        }
        if input.kind.requiresLocalGovernmentCode {
            if input.localGovernmentCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty == nil {
                errors.add("/localGovernmentCode", code: "missing", .init(ja: "地方公共団体には全国地方公共団体コードが必要です。", en: "A municipality needs its local government code."))
            }
        } else {
            if input.corporateNumber?.trimmingCharacters(in: .whitespaces).nilIfEmpty == nil {
                errors.add("/corporateNumber", code: "missing", .init(ja: "法人番号を入力してください。", en: "Enter the corporate number (法人番号)."))
            }
            if input.localGovernmentCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty != nil {
                errors.add("/localGovernmentCode", code: "invalid", .init(ja: "全国地方公共団体コードは地方公共団体にのみ入力します。", en: "Only municipalities have a local government code."))
            }
        }
        try errors.throwIfAny()
        return (name, nameEn, corporate, local)
    }

    public func createOrganisation(_ input: OrganisationInput, actor: Actor) async throws -> Organisation {
        let valid = try Self.validate(input)
        let now = services.now
        return try await services.db.transaction { db in
            if let corporate = valid.corporate,
               try await Organisation.query(on: db).filter(\.$corporateNumber == corporate).first() != nil {
                throw Problem.conflict(.init(ja: "この法人番号の組織はすでに登録されています。", en: "An organisation with this corporate number already exists."),
                                       errors: [FieldError(pointer: "/corporateNumber", code: "duplicate", detail: "already registered")])
            }
            if let local = valid.local,
               try await Organisation.query(on: db).filter(\.$localGovernmentCode == local).first() != nil {
                throw Problem.conflict(.init(ja: "この地方公共団体コードの組織はすでに登録されています。", en: "An organisation with this local government code already exists."),
                                       errors: [FieldError(pointer: "/localGovernmentCode", code: "duplicate", detail: "already registered")])
            }
            let org = Organisation(name: valid.name, nameEn: valid.nameEn, kind: input.kind, corporateNumber: valid.corporate, localGovernmentCode: valid.local)
            try await org.create(on: db)
            // The register of participating organisations is public: each registration is logged.
            try await PublicRecord.publish(on: db, actor: actor, organisationID: org.id, type: "organisation.registered", subject: org.name,
                                           recordNumber: org.corporateNumber ?? org.localGovernmentCode ?? org.id!.uuidString,
                                           content: RegisteredOrganisation(org), targetType: "organisation", targetID: org.id!.uuidString,
                                           summary: ["name": org.name, "kind": org.kind.rawValue,
                                                     "corporateNumber": org.corporateNumber ?? "", "localGovernmentCode": org.localGovernmentCode ?? ""],
                                           at: now)
            return org
        }
    }

    /// The logged content of an organisation registration.
    struct RegisteredOrganisation: Encodable {
        let name: String, nameEn: String?, kind: String, corporateNumber: String?, localGovernmentCode: String?
        init(_ org: Organisation) {
            name = org.name; nameEn = org.nameEn; kind = org.kind.rawValue
            corporateNumber = org.corporateNumber; localGovernmentCode = org.localGovernmentCode
        }
    }

    // MARK: accounts

    public struct AccountInput: Codable, Sendable {
        public var email: String
        public var displayName: String
        public var password: String
        public var role: Role
        public var organisationId: UUID?
        public init(email: String, displayName: String, password: String, role: Role, organisationId: UUID?) {
            self.email = email; self.displayName = displayName; self.password = password; self.role = role; self.organisationId = organisationId
        }
    }

    public static func normaliseEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              email.count <= 254, !email.contains(where: { $0.isWhitespace }) else { return false }
        return true
    }

    static func passwordProblems(_ password: String, pointer: String) -> [(String, String, LocalizedText)] {
        if password.count < minPasswordLength {
            return [(pointer, "invalid", .init(ja: "パスワードは\(minPasswordLength)文字以上にしてください。", en: "Use at least \(minPasswordLength) characters for the password."))]
        }
        if password.count > 128 {
            return [(pointer, "invalid", .init(ja: "パスワードは128文字以内にしてください。", en: "Use at most 128 characters for the password."))]
        }
        return []
    }

    public func createAccount(_ input: AccountInput, actor: Actor) async throws -> Account {
        var errors = ValidationErrors()
        let email = Self.normaliseEmail(input.email)
        if !Self.isPlausibleEmail(email) { errors.add("/email", code: "invalid", .init(ja: "メールアドレスの形式が正しくありません。", en: "Enter a valid e-mail address.")) }
        let name = input.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 100 { errors.add("/displayName", code: "missing", .init(ja: "氏名を100文字以内で入力してください。", en: "Enter a name of at most 100 characters.")) }
        for (pointer, code, message) in Self.passwordProblems(input.password, pointer: "/password") { errors.add(pointer, code: code, message) }
        if input.role == .member && input.organisationId == nil {
            errors.add("/organisationId", code: "missing", .init(ja: "組織のメンバーには所属組織が必要です。", en: "A member must belong to an organisation."))
        }
        try errors.throwIfAny()
        let hash = try await services.passwords.hash(input.password)
        let now = services.now
        return try await services.db.transaction { db in
            if let orgID = input.organisationId, try await Organisation.find(orgID, on: db) == nil {
                throw Problem.validation([FieldError(pointer: "/organisationId", code: "invalid", detail: "No organisation has this id.", detailJa: "指定された組織がありません。")])
            }
            if try await Account.query(on: db).filter(\.$email == email).first() != nil {
                throw Problem.conflict(.init(ja: "このメールアドレスはすでに使われています。", en: "This e-mail address is already registered."),
                                       errors: [FieldError(pointer: "/email", code: "duplicate", detail: "already registered", detailJa: "すでに登録されています。")])
            }
            let account = Account(email: email, displayName: name, passwordHash: hash, role: input.role, organisationID: input.organisationId)
            try await account.create(on: db)
            try await AuditTrail.record(on: db, actor: actor, organisationID: input.organisationId, action: "account.create",
                                        targetType: "account", targetID: account.id!.uuidString,
                                        summary: ["email": email, "role": input.role.rawValue], at: now)
            return account
        }
    }

    public func changePassword(identity: Identity, current: String, new: String) async throws {
        guard let account = try await Account.find(identity.accountID, on: services.db) else { throw Problem.unauthenticated }
        var errors = ValidationErrors()
        if !(try await services.passwords.verify(current, hash: account.passwordHash)) {
            errors.add("/currentPassword", code: "invalid", .init(ja: "現在のパスワードが違います。", en: "The current password is not correct."))
        }
        for (pointer, code, message) in Self.passwordProblems(new, pointer: "/newPassword") { errors.add(pointer, code: code, message) }
        if new == current { errors.add("/newPassword", code: "invalid", .init(ja: "新しいパスワードは現在のものと違うものにしてください。", en: "Choose a password different from the current one.")) }
        try errors.throwIfAny()
        let hash = try await services.passwords.hash(new)
        let now = services.now
        try await services.db.transaction { db in
            account.passwordHash = hash
            account.passwordChangedAt = now
            try await account.save(on: db)
            // Other sessions end: a changed password should lock out whoever knew the old one.
            var others = SessionRecord.query(on: db).filter(\.$account.$id == identity.accountID)
            if let current = identity.sessionID { others = others.filter(\.$id != current) }
            try await others.delete()
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: identity.organisationID, action: "account.password-change",
                                        targetType: "account", targetID: identity.accountID.uuidString, summary: [:], at: now)
        }
    }

    // MARK: sign-in

    public enum SignInResult: Sendable {
        case success(sessionToken: String, csrfToken: String, identity: Identity)
        case invalid
        case locked(until: Date)
    }

    /// Checks the password with a per-address throttle kept in the database.
    public func signIn(email rawEmail: String, password: String) async throws -> SignInResult {
        let email = Self.normaliseEmail(rawEmail)
        let now = services.now
        let db = services.db
        let throttle = try await LoginThrottle.query(on: db).filter(\.$subject == email).first()
        if let lockedUntil = throttle?.lockedUntil, lockedUntil > now { return .locked(until: lockedUntil) }
        let account = try await Account.query(on: db).filter(\.$email == email).with(\.$organisation).first()
        var ok = false
        if let account {
            ok = try await services.passwords.verify(password, hash: account.passwordHash) && account.active
        } else {
            try await services.passwords.verifyAgainstDummy(password)
        }
        guard ok, let account else {
            try await recordFailure(email: email, now: now)
            if let record = try await LoginThrottle.query(on: db).filter(\.$subject == email).first(),
               let until = record.lockedUntil, until > now { return .locked(until: until) }
            return .invalid
        }
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let session = SessionRecord(tokenHash: Self.sha256(token), accountID: account.id!, csrfToken: csrf, createdAt: now,
                                    expiresAt: now.addingTimeInterval(Self.sessionLifetime))
        try await db.transaction { db in
            try await LoginThrottle.query(on: db).filter(\.$subject == email).delete()
            try await session.create(on: db)
            try await AuditTrail.record(on: db, actor: Actor(accountID: account.id, label: "\(account.displayName) <\(account.email)>"),
                                        organisationID: account.$organisation.id, action: "session.sign-in",
                                        targetType: "account", targetID: account.id!.uuidString, summary: [:], at: now)
        }
        return .success(sessionToken: token, csrfToken: csrf, identity: Self.identity(account, sessionID: session.id, tokenID: nil))
    }

    private func recordFailure(email: String, now: Date) async throws {
        try await services.db.transaction { db in
            let record = try await LoginThrottle.query(on: db).filter(\.$subject == email).first() ?? LoginThrottle(subject: email, windowStart: now)
            if now.timeIntervalSince(record.windowStart) > Self.throttleWindow {
                record.windowStart = now
                record.failures = 0
                record.lockedUntil = nil
            }
            record.failures += 1
            if record.failures >= Self.maxFailures { record.lockedUntil = now.addingTimeInterval(Self.throttleWindow) }
            try await record.save(on: db)
        }
    }

    public func signOut(sessionID: UUID) async throws {
        try await SessionRecord.query(on: services.db).filter(\.$id == sessionID).delete()
    }

    /// The identity of a session cookie value, if the session is live.
    public func identity(sessionToken: String) async throws -> (Identity, csrf: String)? {
        let now = services.now
        guard let session = try await SessionRecord.query(on: services.db)
            .filter(\.$tokenHash == Self.sha256(sessionToken)).filter(\.$expiresAt > now)
            .with(\.$account) { $0.with(\.$organisation) }.first(),
            session.account.active else { return nil }
        return (Self.identity(session.account, sessionID: session.id, tokenID: nil), session.csrfToken)
    }

    // MARK: API tokens

    public struct IssuedToken: Sendable {
        public let token: String
        public let record: APIToken
    }

    public func createToken(for accountID: UUID, name: String, actor: Actor) async throws -> IssuedToken {
        let label = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty, label.count <= 100 else {
            throw Problem.validation([FieldError(pointer: "/name", code: "missing", detail: "Give the token a name of at most 100 characters.", detailJa: "トークンの名前を100文字以内で入力してください。")])
        }
        let token = "shr_" + Self.randomToken()
        let now = services.now
        return try await services.db.transaction { db in
            guard let account = try await Account.find(accountID, on: db) else { throw Problem.notFound }
            let record = APIToken(accountID: accountID, name: label, tokenHash: Self.sha256(token), prefix: String(token.prefix(10)), createdAt: now)
            try await record.create(on: db)
            try await AuditTrail.record(on: db, actor: actor, organisationID: account.$organisation.id, action: "token.create",
                                        targetType: "api-token", targetID: record.id!.uuidString, summary: ["name": label], at: now)
            return IssuedToken(token: token, record: record)
        }
    }

    public func tokens(of accountID: UUID) async throws -> [APIToken] {
        try await APIToken.query(on: services.db).filter(\.$account.$id == accountID).sort(\.$createdAt, .descending).all()
    }

    /// Revokes one of the caller's tokens (administrators may revoke anyone's).
    public func revokeToken(_ id: UUID, by identity: Identity) async throws {
        let now = services.now
        try await services.db.transaction { db in
            guard let token = try await APIToken.find(id, on: db),
                  token.$account.id == identity.accountID || identity.isAdmin else { throw Problem.notFound }
            guard token.revokedAt == nil else { return }
            token.revokedAt = now
            try await token.save(on: db)
            try await AuditTrail.record(on: db, actor: Actor(identity), organisationID: identity.organisationID, action: "token.revoke",
                                        targetType: "api-token", targetID: id.uuidString, summary: ["name": token.name], at: now)
        }
    }

    public func identity(bearer token: String) async throws -> Identity? {
        let now = services.now
        guard let record = try await APIToken.query(on: services.db).filter(\.$tokenHash == Self.sha256(token))
            .filter(\.$revokedAt == nil).with(\.$account) { $0.with(\.$organisation) }.first(),
            record.account.active else { return nil }
        // Last use at minute granularity: enough for users, and no write on every call.
        if (record.lastUsedAt.map { now.timeIntervalSince($0) > 60 } ?? true) {
            record.lastUsedAt = now
            try await record.save(on: services.db)
        }
        return Self.identity(record.account, sessionID: nil, tokenID: record.id)
    }

    // MARK: helpers

    static func identity(_ account: Account, sessionID: UUID?, tokenID: UUID?) -> Identity {
        Identity(accountID: account.id!, email: account.email, displayName: account.displayName, role: account.role,
                 organisationID: account.$organisation.id, organisationName: account.organisation?.name,
                 sessionID: sessionID, tokenID: tokenID)
    }

    /// 256 random bits, base64url without padding.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension String {
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
