import Crypto
import FluentKit
import Foundation
import ShinraiKit

/// Cloud services, their certifications and evidence files.
struct Registry {
    let services: Services
    var db: any Database { services.db }
    var now: Date { services.now }
    var today: LocalDate { JapanTime.date(of: services.now) }

    static let providerKinds: Set<OrganisationKind> = [.cloudProvider, .company]

    /// The organisation a new service belongs to: the member's own, or for reviewers the provider
    /// named by 法人番号.
    func provider(for input: ServiceInput, identity: Identity) async throws -> Organisation {
        if identity.isReviewer {
            var check = InputCheck()
            guard let number = check.corporateNumber("/providerCorporateNumber", input.providerCorporateNumber) else {
                if check.errors.isEmpty {
                    check.fail("/providerCorporateNumber", FieldError.Code.missing, ja: "事業者の法人番号を入力してください。", en: "Give the provider's corporate number.")
                }
                throw Problem.validation(check.errors)
            }
            guard let org = try await Organisation.query(on: db).filter(\.$corporateNumber == number).first() else {
                throw Problem.validation([FieldError(pointer: "/providerCorporateNumber", code: "unknown",
                                                     detail: "No organisation with corporate number \(number) is registered.",
                                                     detailJa: "法人番号 \(number) の組織は登録されていません。")])
            }
            return org
        }
        guard let id = identity.organisationID, let org = try await Organisation.find(id, on: db) else { throw Problem.forbidden }
        guard Self.providerKinds.contains(org.kind) else {
            throw Problem(status: .forbidden, slug: "forbidden", title: .init(ja: "権限がありません", en: "Not allowed"),
                          detail: .init(ja: "クラウドサービスを登録できるのはクラウド事業者・企業の組織です。", en: "Only cloud providers and companies register cloud services."))
        }
        if input.providerCorporateNumber != nil {
            throw Problem.validation([FieldError(pointer: "/providerCorporateNumber", code: "unknown-field", detail: "Only reviewers name another provider.",
                                                 detailJa: "他の事業者を指定できるのは審査担当者だけです。")])
        }
        return org
    }

    func createService(_ input: ServiceInput, by identity: Identity) async throws -> CloudServiceRecord {
        // Field errors and a wrong or unknown 法人番号 are reported together, so one correction is enough.
        var errors: [FieldError] = []
        var valid: ServiceInput.Valid?
        var org: Organisation?
        do { org = try await provider(for: input, identity: identity) } catch let problem as Problem where problem.status == .unprocessableContent { errors += problem.errors }
        do { valid = try input.validate() } catch let problem as Problem where problem.status == .unprocessableContent { errors += problem.errors }
        guard let valid, let org, errors.isEmpty else { throw Problem.validation(errors) }
        let actor = Actor(identity)
        return try await db.transaction { db in
            if try await CloudServiceRecord.query(on: db).filter(\.$organisationID == org.id!).filter(\.$name == valid.name).first() != nil {
                throw Problem.conflict(.init(ja: "同じ名前のサービスがすでに登録されています。", en: "This provider already has a service with this name."),
                                       errors: [FieldError(pointer: "/name", code: "duplicate", detail: "A service with this name exists.", detailJa: "同じ名前のサービスがあります。")])
            }
            let service = CloudServiceRecord()
            service.number = try await Numbering.next("CS", today: today, on: db)
            service.organisationID = org.id!
            service.isPublic = false
            service.createdAt = now
            apply(valid, to: service)
            try await service.create(on: db)
            try await AuditTrail.record(on: db, actor: actor, organisationID: org.id, action: "cloud.service.create", targetType: "cloud.service",
                                        targetID: service.id!.uuidString, summary: ["number": service.number, "name": service.name], at: now)
            return service
        }
    }

    func apply(_ valid: ServiceInput.Valid, to service: CloudServiceRecord) {
        service.name = valid.name
        service.nameEn = valid.nameEn
        service.serviceModel = valid.serviceModel.rawValue
        service.description = valid.description
        service.descriptionEn = valid.descriptionEn
        service.website = valid.website
        service.governingLaw = valid.governingLaw
        service.jurisdiction = valid.jurisdiction
        service.regions = valid.regions.joined(separator: ",")
        service.contacts = String(decoding: (try? API.encoder.encode(valid.contacts)) ?? Data("[]".utf8), as: UTF8.self)
        service.updatedAt = now
    }

    /// Updates a service. Once it is on a public list, the new version is a public record.
    func updateService(_ service: CloudServiceRecord, _ input: ServiceInput, by identity: Identity) async throws {
        let valid = try input.validate()
        guard input.providerCorporateNumber == nil else {
            throw Problem.validation([FieldError(pointer: "/providerCorporateNumber", code: "unknown-field", detail: "The provider of a service cannot change.",
                                                 detailJa: "サービスの事業者は変更できません。")])
        }
        let actor = Actor(identity)
        try await db.transaction { db in
            if try await CloudServiceRecord.query(on: db).filter(\.$organisationID == service.organisationID).filter(\.$name == valid.name)
                .filter(\.$id != service.id!).first() != nil {
                throw Problem.conflict(.init(ja: "同じ名前のサービスがすでに登録されています。", en: "This provider already has a service with this name."),
                                       errors: [FieldError(pointer: "/name", code: "duplicate", detail: "A service with this name exists.", detailJa: "同じ名前のサービスがあります。")])
            }
            apply(valid, to: service)
            try await service.save(on: db)
            try await record(service, action: "cloud.service.updated", detail: ["name": service.name], actor: actor, on: db)
            try await ListIndex.refresh(service: service, on: db, at: now)
        }
    }

    /// A public record for services on a public list, an audit event otherwise.
    func record(_ service: CloudServiceRecord, action: String, detail: [String: String], actor: Actor, on db: any Database) async throws {
        if service.isPublic {
            let content = try await ServiceView.publicDocument(service, on: db, today: today)
            try await PublicRecord.publish(on: db, actor: actor, organisationID: service.organisationID, type: action, subject: service.name,
                                           recordNumber: service.number, content: content, targetType: "cloud.service",
                                           targetID: service.id!.uuidString, summary: detail, at: now)
        } else {
            try await AuditTrail.record(on: db, actor: actor, organisationID: service.organisationID, action: action, targetType: "cloud.service",
                                        targetID: service.id!.uuidString, summary: detail, at: now)
        }
    }

    func addCertification(to service: CloudServiceRecord, _ input: CertificationInput, by identity: Identity, on outer: (any Database)? = nil) async throws -> CertificationRecord {
        let valid = try input.validate()
        let actor = Actor(identity)
        let work: @Sendable (any Database) async throws -> CertificationRecord = { db in
            let existing = try await CertificationRecord.query(on: db).filter(\.$serviceID == service.id!).filter(\.$kind == valid.kind.rawValue)
                .filter(\.$certificateNumber == valid.certificateNumber).filter(\.$removedAt == nil).first()
            if existing != nil {
                throw Problem.conflict(.init(ja: "この認証番号はすでに登録されています。", en: "This certificate is already recorded for the service."),
                                       errors: [FieldError(pointer: "/certificateNumber", code: "duplicate", detail: "Already recorded.", detailJa: "登録済みです。")])
            }
            let cert = CertificationRecord()
            cert.serviceID = service.id!
            cert.kind = valid.kind.rawValue
            cert.issuer = valid.issuer
            cert.certificateNumber = valid.certificateNumber
            cert.scope = valid.scope
            cert.coversService = valid.coversService
            cert.validFrom = valid.validFrom.iso
            cert.validUntil = valid.validUntil.iso
            cert.createdAt = now
            try await cert.create(on: db)
            try await record(service, action: "cloud.service.certification-added",
                             detail: ["kind": cert.kind, "certificateNumber": cert.certificateNumber], actor: actor, on: db)
            try await ListIndex.refresh(service: service, on: db, at: now)
            return cert
        }
        if let outer { return try await work(outer) }
        return try await db.transaction { try await work($0) }
    }

    func removeCertification(_ cert: CertificationRecord, of service: CloudServiceRecord, by identity: Identity) async throws {
        if try await FastTrackRecord.query(on: db).filter(\.$certificationID == cert.id!)
            .filter(\.$status ~~ [FastTrackStatus.submitted.rawValue, FastTrackStatus.verified.rawValue, FastTrackStatus.provisional.rawValue]).first() != nil {
            throw Problem.conflict(.init(ja: "この認証はFast Trackの申請・暫定ステータスの根拠になっているため削除できません。",
                                         en: "This certificate supports a Fast Track application or provisional status and cannot be removed."))
        }
        let actor = Actor(identity)
        try await db.transaction { db in
            cert.removedAt = now
            try await cert.save(on: db)
            try await record(service, action: "cloud.service.certification-removed", detail: ["kind": cert.kind, "certificateNumber": cert.certificateNumber], actor: actor, on: db)
            try await ListIndex.refresh(service: service, on: db, at: now)
        }
    }

    func verifyCertification(_ cert: CertificationRecord, of service: CloudServiceRecord, by identity: Identity) async throws {
        let actor = Actor(identity)
        try await db.transaction { db in
            cert.verifiedAt = now
            cert.verifiedBy = identity.displayName
            try await cert.save(on: db)
            try await record(service, action: "cloud.service.certification-verified", detail: ["kind": cert.kind, "certificateNumber": cert.certificateNumber], actor: actor, on: db)
        }
    }

    // MARK: lookups

    /// Inside a transaction pass its database: SQLite has one connection, so a query on
    /// `services.db` would wait for the transaction forever.
    func service(id: UUID, on database: (any Database)? = nil) async throws -> CloudServiceRecord {
        guard let service = try await CloudServiceRecord.find(id, on: database ?? db) else { throw Problem.notFound }
        return service
    }

    func service(number: String) async throws -> CloudServiceRecord {
        guard number.count <= 40, let service = try await CloudServiceRecord.query(on: db).filter(\.$number == number).first() else { throw Problem.notFound }
        return service
    }

    /// A service the caller may act on as its provider (or as a reviewer).
    func owned(_ id: UUID?, identity: Identity, pointer: String = "/serviceId") async throws -> (CloudServiceRecord, WorkflowRole) {
        guard let id else { throw Problem.validation([FieldError(pointer: pointer, code: "missing", detail: "Choose the service.", detailJa: "サービスを選んでください。")]) }
        guard let service = try await CloudServiceRecord.find(id, on: db), let role = Access.role(identity, organisation: service.organisationID) else {
            throw Problem.validation([FieldError(pointer: pointer, code: "unknown", detail: "No such service of your organisation.", detailJa: "あなたの組織のサービスではありません。")])
        }
        return (service, role)
    }

    // MARK: evidence files

    static let maxAttachmentBytes = 10 << 20
    static let mediaTypes: [String: [UInt8]?] = [
        "application/pdf": Array("%PDF-".utf8), "image/png": [0x89, 0x50, 0x4E, 0x47], "image/jpeg": [0xFF, 0xD8, 0xFF],
        "text/plain": nil, "text/csv": nil,
    ]

    /// The media type of a file sent from a browser form: the declared type when it is one we keep,
    /// otherwise the one its extension names (browsers label CSV differently on each system). The
    /// content is still checked against it.
    static func mediaType(of file: UploadedFile) -> String {
        if mediaTypes.keys.contains(file.contentType.lowercased()) { return file.contentType.lowercased() }
        switch file.filename.split(separator: ".").last.map({ $0.lowercased() }) {
        case "pdf": return "application/pdf"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "csv": return "text/csv"
        case "txt": return "text/plain"
        default: return file.contentType
        }
    }

    func addAttachment(ownerType: String, ownerID: UUID, organisationID: UUID, filename: String, mediaType: String, content: Data, by identity: Identity) async throws -> AttachmentRecord {
        var check = InputCheck()
        let name = check.text("/filename", filename, label: .init(ja: "ファイル名", en: "file name"), max: 200)
        if name.contains("/") || name.contains("\\") || name.hasPrefix(".") {
            check.fail("/filename", ja: "ファイル名にパスを含めないでください。", en: "The file name must not contain a path.")
        }
        if content.isEmpty { check.fail("/content", FieldError.Code.missing, ja: "ファイルが空です。", en: "The file is empty.") }
        if content.count > Self.maxAttachmentBytes { check.fail("/content", FieldError.Code.range, ja: "ファイルは10MiBまでです。", en: "Files may be at most 10 MiB.") }
        if let magic = Self.mediaTypes[mediaType] {
            if let magic, !content.starts(with: magic) {
                check.fail("/mediaType", ja: "ファイルの中身が \(mediaType) ではありません。", en: "The content is not \(mediaType).")
            }
            if magic == nil, String(data: content, encoding: .utf8) == nil {
                check.fail("/content", ja: "テキストファイルはUTF-8にしてください。", en: "Text files must be UTF-8.")
            }
        } else {
            check.fail("/mediaType", ja: "PDF・PNG・JPEG・テキスト・CSVのファイルを添付できます。", en: "Attach PDF, PNG, JPEG, plain text or CSV files.")
        }
        try check.throwIfAny()
        let record = AttachmentRecord()
        record.organisationID = organisationID
        record.ownerType = ownerType
        record.ownerID = ownerID
        record.filename = name
        record.mediaType = mediaType
        record.size = content.count
        record.sha256 = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
        record.content = content
        record.uploadedBy = identity.actorLabel
        record.createdAt = now
        let actor = Actor(identity)
        try await db.transaction { db in
            try await record.create(on: db)
            try await AuditTrail.record(on: db, actor: actor, organisationID: organisationID, action: "cloud.attachment.add", targetType: ownerType,
                                        targetID: ownerID.uuidString, summary: ["filename": name, "sha256": record.sha256], at: now)
        }
        return record
    }

    func attachments(ownerType: String, ownerIDs: [UUID]) async throws -> [AttachmentRecord] {
        guard !ownerIDs.isEmpty else { return [] }
        return try await AttachmentRecord.query(on: db).filter(\.$ownerType == ownerType).filter(\.$ownerID ~~ ownerIDs)
            .field(\.$id).field(\.$ownerType).field(\.$ownerID).field(\.$filename).field(\.$mediaType).field(\.$size).field(\.$sha256)
            .field(\.$organisationID).field(\.$uploadedBy).field(\.$createdAt)
            .sort(\.$createdAt).all()
    }
}
