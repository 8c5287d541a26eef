import Foundation
import ShinraiKit

/// OpenAPI schemas of the module (the names appear under `#/components/schemas`).
enum CloudSchemas {
    static let str: JSONSchema = .string()
    static func text(_ max: Int) -> JSONSchema { .string(maxLength: max) }
    static let date: JSONSchema = .date
    static func strings(_ item: JSONSchema = .string(), max: Int? = nil) -> JSONSchema { .array(item, maxItems: max) }
    static let listEnum: JSONSchema = .string(enumValues: CloudList.allCases.map(\.rawValue))
    static let stringMap: JSONSchema = .object([:], description: "String values keyed by name")

    static let statusEvent: JSONSchema = .object([
        "list": listEnum, "recordNumber": str, "from": str, "to": str, "event": str, "date": date, "at": .dateTime,
        "reason": str, "logIndex": .integer(minimum: 0), "isPublic": .boolean(),
    ], required: ["list", "recordNumber", "to", "event", "date", "at", "isPublic"])

    static let certification: JSONSchema = .object([
        "id": .uuid, "kind": .string(enumValues: CertificationKind.allCases.map(\.rawValue)), "label": str, "issuer": str, "certificateNumber": str,
        "scope": str, "coversService": .boolean(), "validFrom": date, "validUntil": date, "valid": .boolean(), "verified": .boolean(),
        "evidence": .array(.ref("CloudAttachment")),
    ], required: ["id", "kind", "label", "issuer", "certificateNumber", "scope", "coversService", "validFrom", "validUntil", "valid", "verified"])

    static let provider: JSONSchema = .object(["name": str, "corporateNumber": .string(pattern: "^[0-9]{13}$")], required: ["name"])

    static let all: [String: JSONSchema] = [
        "CloudListEntry": .object([
            "list": listEnum, "recordNumber": str, "status": str, "since": date, "until": date, "changedAt": .dateTime,
            "service": .object(["number": str, "name": str, "nameEn": str, "serviceModel": .string(enumValues: ServiceModel.allCases.map(\.rawValue)), "url": str],
                               required: ["number", "name", "serviceModel", "url"]),
            "provider": provider, "regions": strings(), "certifications": strings(), "details": stringMap,
        ], required: ["list", "recordNumber", "status", "changedAt", "service", "provider", "regions", "certifications", "details"]),
        "CloudStatusEvent": statusEvent,
        "CloudCertification": certification,
        "CloudService": .object([
            "id": .uuid, "number": str, "name": str, "nameEn": str, "serviceModel": .string(enumValues: ServiceModel.allCases.map(\.rawValue)),
            "description": str, "descriptionEn": str, "website": str, "governingLaw": str, "jurisdiction": str, "regions": strings(),
            "contacts": .array(.object(["role": str, "name": str, "email": str, "phone": str], required: ["role"])),
            "provider": provider, "certifications": .array(.ref("CloudCertification")),
            "lists": .array(.object(["list": listEnum, "recordNumber": str, "status": str, "since": date, "until": date], required: ["list", "recordNumber", "status"])),
            "isPublic": .boolean(), "url": str,
        ], required: ["id", "number", "name", "serviceModel", "description", "governingLaw", "jurisdiction", "regions", "contacts", "provider",
                      "certifications", "lists", "isPublic", "url"]),
        "CloudServiceInput": .object([
            "name": text(200), "nameEn": text(200), "serviceModel": .string(enumValues: ServiceModel.allCases.map(\.rawValue)),
            "description": text(4000), "descriptionEn": text(4000), "website": .string(format: "uri", maxLength: 500),
            "governingLaw": text(100), "jurisdiction": text(200),
            "regions": .array(.string(description: "ISO 3166 code: JP-13, US", maxLength: 5), maxItems: 60),
            "contacts": .array(.object(["role": .string(enumValues: ServiceInput.ContactRole.allCases.map(\.rawValue)), "name": text(100),
                                        "email": .string(format: "email", maxLength: 254), "phone": text(30)], required: ["role"], additional: false), maxItems: 10),
            "providerCorporateNumber": .string(description: "Reviewers only: the provider's 法人番号", maxLength: 20),
        ], required: ["name", "serviceModel", "description", "governingLaw", "jurisdiction", "regions", "contacts"], additional: false),
        "CloudCertificationInput": certificationInput,
        "CloudEvidenceInput": .object([
            "filename": text(200), "mediaType": .string(enumValues: Array(Registry.mediaTypes.keys).sorted()),
            "content": .string(description: "The file, base64 (at most 10 MiB decoded)"),
        ], required: ["filename", "mediaType", "content"], additional: false),
        "CloudAttachment": .object(["id": .uuid, "filename": str, "mediaType": str, "size": .integer(minimum: 0), "sha256": str, "url": str],
                                   required: ["id", "filename", "mediaType", "size", "sha256", "url"]),
        "CloudReadyInput": .object([
            "serviceId": .uuid, "auditFirm": text(200), "auditContractDate": date, "gapAssessmentDone": .boolean(), "gapAssessmentDate": date,
            "targetList": .string(enumValues: ["ismap", "liu"]), "targetApplicationDate": date, "scope": text(2000), "pocAvailable": .boolean(),
        ], required: ["serviceId", "auditFirm", "auditContractDate", "gapAssessmentDone", "targetList", "targetApplicationDate", "scope"], additional: false),
        "CloudReady": .object([
            "id": .uuid, "number": str, "serviceId": .uuid, "serviceNumber": str, "serviceName": str,
            "status": .string(enumValues: ReadyStatus.allCases.map(\.rawValue)), "auditFirm": str, "auditContractDate": date, "gapAssessmentDate": date,
            "targetList": str, "targetApplicationDate": date, "scope": str, "pocAvailable": .boolean(), "listedOn": date, "nextReportDue": date,
            "appliedReference": str, "registrationNumber": str, "lastReason": str, "availableEvents": strings(),
            "reports": .array(.object(["filedAt": .dateTime, "periodDue": date, "progress": str, "targetApplicationDate": date], required: ["filedAt", "progress"])),
            "evidence": .array(.ref("CloudAttachment")),
            "history": .array(.ref("CloudStatusEvent")),
        ], required: ["id", "number", "serviceId", "serviceNumber", "serviceName", "status", "auditFirm", "auditContractDate", "targetList",
                      "targetApplicationDate", "scope", "pocAvailable", "availableEvents", "reports", "history"]),
        "CloudReadyReportInput": .object(["progress": text(4000), "targetApplicationDate": date], required: ["progress"], additional: false),
        "CloudEventInput": .object([
            "event": .string(maxLength: 40), "reason": text(4000), "reference": text(200),
            "questionSetId": .uuid,
        ], required: ["event"], additional: false),
        "CloudFastTrackInput": .object(["serviceId": .uuid, "certificate": .ref("CloudCertificationInput")], required: ["serviceId", "certificate"], additional: false),
        "CloudFastTrack": .object([
            "id": .uuid, "number": str, "serviceId": .uuid, "serviceNumber": str, "serviceName": str,
            "status": .string(enumValues: FastTrackStatus.allCases.map(\.rawValue)), "certificate": .ref("CloudCertification"),
            "verifiedOn": date, "grantedOn": date, "startsOn": date, "provisionalUntil": date,
            "reminders": .array(.object(["months": .integer(minimum: 1), "date": date], required: ["months", "date"])),
            "registrationNumber": str, "questionSet": str, "lastReason": str, "blockers": strings(), "availableEvents": strings(),
            "history": .array(.ref("CloudStatusEvent")),
        ], required: ["id", "number", "serviceId", "serviceNumber", "serviceName", "status", "certificate", "reminders", "blockers", "availableEvents", "history"]),
        "CloudQuestionnaire": .object([
            "questionSet": str,
            "questions": .array(.object([
                "questionId": .uuid, "number": str, "category": str, "text": str, "textEn": str, "guidance": str, "guidanceEn": str, "controls": strings(),
                "answerId": .uuid, "answer": str, "answeredAt": .dateTime, "finding": .string(enumValues: Finding.allCases.map(\.rawValue)), "findingNote": str,
                "attachments": .array(.ref("CloudAttachment")),
            ], required: ["questionId", "number", "category", "text", "controls", "attachments"])),
            "remediations": .array(.ref("CloudRemediation")),
            "blockers": strings(),
        ], required: ["questions", "remediations", "blockers"]),
        "CloudRemediation": .object([
            "id": .uuid, "questionNumber": str, "title": str, "description": str, "owner": str, "dueDate": date,
            "status": .string(enumValues: RemediationStatus.allCases.map(\.rawValue)),
        ], required: ["id", "title", "owner", "dueDate", "status"]),
        "CloudRemediationInput": .object(["questionId": .uuid, "title": text(200), "description": text(4000), "owner": text(100), "dueDate": date],
                                         required: ["title", "owner", "dueDate"], additional: false),
        "CloudAnswerInput": .object(["answer": text(8000)], required: ["answer"], additional: false),
        "CloudFindingInput": .object(["finding": .string(enumValues: Finding.allCases.map(\.rawValue)), "note": text(4000)], required: ["finding"], additional: false),
        "CloudRegistrationInput": .object([
            "serviceId": .uuid, "list": .string(enumValues: ["ismap", "liu"]), "auditFirm": text(200), "auditReportDate": date, "scope": text(2000),
            "businessImpactAssessment": .object(["agency": text(200), "assessedOn": date, "summary": text(2000)], additional: false,
                                                description: "Optional evidence (§2.2): not a precondition of an LIU application"),
            "sponsors": .array(text(200), maxItems: 50),
        ], required: ["serviceId", "list", "auditFirm", "auditReportDate", "scope"], additional: false),
        "CloudRegistrationRecordInput": .object([
            "serviceNumber": text(40), "list": .string(enumValues: ["ismap", "liu"]), "registeredOn": date, "auditFirm": text(200),
        ], required: ["serviceNumber", "list", "registeredOn"], additional: false),
        "CloudRegistration": .object([
            "id": .uuid, "number": str, "list": .string(enumValues: ["ismap", "liu"]), "serviceId": .uuid, "serviceNumber": str, "serviceName": str,
            "status": .string(enumValues: RegistrationStatus.allCases.map(\.rawValue)), "source": str, "auditFirm": str, "auditReportDate": date, "scope": str,
            "businessImpactAssessment": .object(["agency": str, "assessedOn": date, "summary": str], required: ["agency"]),
            "registeredOn": date, "fastTrackNumber": str,
            "sponsors": .array(.object(["id": .uuid, "agency": str, "since": date, "until": date], required: ["id", "agency", "since"])),
            "lastReason": str, "availableEvents": strings(), "history": .array(.ref("CloudStatusEvent")),
        ], required: ["id", "number", "list", "serviceId", "serviceNumber", "serviceName", "status", "source", "sponsors", "availableEvents", "history"]),
        "CloudSponsorInput": .object(["agency": text(200)], required: ["agency"], additional: false),
        "CloudSnapshotInfo": .object(["date": date, "generatedAt": .dateTime, "sha256": str, "entries": .integer(minimum: 0), "logIndex": .integer(minimum: 0), "url": str],
                                     required: ["date", "generatedAt", "sha256", "entries", "url"]),
        "CloudSnapshot": .object([
            "date": date, "generatedAt": .dateTime, "publisher": str, "procurementNote": str,
            "counts": .object([:]), "lists": .object([:], description: "Entries per list (CloudListEntry)"),
        ], required: ["date", "generatedAt", "publisher", "procurementNote", "counts", "lists"]),
        "CloudCatalogue": .object([
            "key": str, "kind": .string(enumValues: ["catalog", "profile"]), "structure": .string(enumValues: ["oscal", "ismap"]), "title": str,
            "version": str, "oscalUuid": str, "evidenceFor": strings(), "isTarget": .boolean(), "controls": .integer(minimum: 0), "importedAt": .dateTime, "url": str,
        ], required: ["key", "kind", "structure", "title", "oscalUuid", "evidenceFor", "isTarget", "controls", "importedAt", "url"]),
        "CloudCatalogueImport": .object([
            "key": .string(maxLength: 63, pattern: "^[a-z0-9][a-z0-9-]{1,62}$"), "format": .string(enumValues: ["oscal", "ismap-csv"]),
            "document": .object([:], description: "An OSCAL catalog or profile document (format oscal)"),
            "csv": .string(description: "ISMAP-structured CSV (format ismap-csv)"),
            "title": text(200), "version": text(50),
            "evidenceFor": .array(.string(enumValues: CertificationKind.allCases.map(\.rawValue)), maxItems: 20),
            "target": .boolean(description: "Measure the audit scope against this catalogue"),
        ], required: ["key", "format"], additional: false),
        "CloudControl": .object([
            "id": str, "catalogue": str, "title": str, "label": str, "class": str, "statement": str, "mandatory": .boolean(),
            "parent": str, "guidance": .ref("CloudGuidance"), "oscal": .object([:], description: "The control's OSCAL object"),
        ], required: ["id", "catalogue", "title", "statement", "mandatory", "guidance"]),
        "CloudGuidance": .object([
            "applicability": .string(enumValues: ControlApplicability.allCases.map(\.rawValue)), "purposeJa": text(4000), "purposeEn": text(4000),
            "risksJa": text(4000), "risksEn": text(4000), "alternativesJa": text(4000), "alternativesEn": text(4000),
        ], additional: false),
        "CloudCrosswalk": .object([
            "key": str, "title": str, "source": str, "target": str, "maps": .integer(minimum: 0), "importedAt": .dateTime, "url": str,
        ], required: ["key", "title", "source", "target", "maps", "importedAt", "url"]),
        "CloudCrosswalkImport": .object([
            "key": .string(maxLength: 63, pattern: "^[a-z0-9][a-z0-9-]{1,62}$"), "format": .string(enumValues: ["oscal", "csv"]),
            "document": .object([:], description: "An OSCAL mapping-collection (format oscal)"), "csv": .string(description: "source,relationship,target,coverage,confidence,remarks"),
            "title": text(200), "source": .string(maxLength: 63), "target": .string(maxLength: 63),
        ], required: ["key", "format"], additional: false),
        "CloudAuditScopeInput": .object([
            "serviceNumber": text(40), "certifications": .array(.string(enumValues: CertificationKind.allCases.map(\.rawValue)), maxItems: 20),
            "cycle": .string(enumValues: AuditCycle.allCases.map(\.rawValue)), "mandatoryOnly": .boolean(), "targetCatalogue": .string(maxLength: 63),
        ], additional: false),
        "CloudAuditScope": .object([
            "targetCatalogue": str, "controls": .integer(minimum: 0), "full": .integer(minimum: 0), "partial": .integer(minimum: 0), "none": .integer(minimum: 0),
            "exemptedPercent": .number(), "cycle": .string(enumValues: AuditCycle.allCases.map(\.rawValue)),
            "estimates": .array(.object(["cycle": str, "baselinePerAuditYen": .integer(), "perAuditYen": .integer(), "perYearYen": .integer(),
                                         "baselinePerYearYen": .integer(), "savingPercent": .number()],
                                        required: ["cycle", "baselinePerAuditYen", "perAuditYen", "perYearYen", "baselinePerYearYen", "savingPercent"])),
            "evidence": strings(), "excluded": .array(.object(["certification": str, "reason": str], required: ["certification", "reason"])),
            "results": .array(.object(["id": str, "title": str, "mandatory": .boolean(),
                                       "applicability": .string(enumValues: ControlApplicability.allCases.map(\.rawValue)),
                                       "coverage": .string(enumValues: ["full", "partial", "none"]),
                                       "evidence": str, "path": strings()], required: ["id", "title", "mandatory", "coverage", "path"])),
        ], required: ["targetCatalogue", "controls", "full", "partial", "none", "exemptedPercent", "cycle", "estimates", "evidence", "excluded", "results"]),
        "CloudApplicabilityRule": .object([
            "id": .uuid, "priority": .integer(), "organisations": strings(), "confidentiality": strings(), "serviceModels": strings(),
            "lowImpactOnly": .boolean(), "level": .string(enumValues: RequirementLevel.allCases.map(\.rawValue)), "acceptableLists": strings(),
            "conclusionJa": str, "conclusionEn": str, "citation": str, "citationURL": str,
        ], required: ["id", "priority", "organisations", "confidentiality", "serviceModels", "level", "acceptableLists", "conclusionJa", "conclusionEn", "citation"]),
        "CloudApplicabilityRuleInput": .object([
            "priority": .integer(minimum: 0, maximum: 10_000),
            "organisations": .array(.string(enumValues: ProcuringOrganisation.allCases.map(\.rawValue)), maxItems: 10),
            "confidentiality": .array(.string(enumValues: ConfidentialityLevel.allCases.map(\.rawValue)), maxItems: 3),
            "serviceModels": .array(.string(enumValues: ServiceModel.allCases.map(\.rawValue)), maxItems: 3),
            "lowImpactOnly": .boolean(), "level": .string(enumValues: RequirementLevel.allCases.map(\.rawValue)),
            "acceptableLists": .array(listEnum, maxItems: 4), "conclusionJa": text(1000), "conclusionEn": text(1000), "citation": text(500),
            "citationUrl": .string(format: "uri", maxLength: 500),
        ], required: ["level", "conclusionJa", "conclusionEn", "citation"], additional: false),
        "CloudApplicabilityAnswer": .object([
            "question": .object(["organisation": str, "confidentiality": str, "serviceModel": str, "lowImpact": .boolean()],
                                required: ["organisation", "confidentiality", "serviceModel", "lowImpact"]),
            "rule": .nullable(.ref("CloudApplicabilityRule")),
        ], required: ["question", "rule"]),
        "CloudSettings": .object([
            "reportIntervalMonths": .integer(minimum: 1, maximum: 24), "reportGraceDays": .integer(minimum: 0, maximum: 365),
            "reportNoticeDays": .integer(minimum: 0, maximum: 90), "maxMappingHops": .integer(minimum: 1, maximum: 5),
            "questionSetCode": .string(maxLength: 63, pattern: "^[a-z0-9][a-z0-9-]{1,62}$"),
            "costs": .object(["baseFeeYen": .integer(minimum: 0, maximum: 1_000_000_000), "perControlYen": .integer(minimum: 0, maximum: 100_000_000),
                              "partialPercent": .integer(minimum: 0, maximum: 100), "reuseReviewYen": .integer(minimum: 0, maximum: 100_000_000)],
                             required: ["baseFeeYen", "perControlYen", "partialPercent", "reuseReviewYen"], additional: false),
        ], required: ["reportIntervalMonths", "reportGraceDays", "reportNoticeDays", "maxMappingHops", "questionSetCode", "costs"], additional: false),
        "CloudStatistics": .object([
            "months": strings(), "counts": .object([:], description: "Month-end counts per list"),
            "byServiceModel": .object([:]), "readyToRegistrationMedianDays": .nullable(.number()), "readyToRegistrationSamples": .integer(minimum: 0),
            "fastTrackOutcomes": .object([:]),
        ], required: ["months", "counts", "byServiceModel", "readyToRegistrationMedianDays", "readyToRegistrationSamples", "fastTrackOutcomes"]),
        "CloudQuestionSetInfo": .object(["id": .uuid, "code": str, "version": .integer(minimum: 1), "title": str, "titleEn": str, "questions": .integer(minimum: 0),
                                         "createdAt": .dateTime, "url": str],
                                        required: ["id", "code", "version", "title", "questions", "createdAt", "url"]),
        "CloudQuestionSet": questionSet(additional: true),
        "CloudQuestionSetImport": .object([
            "format": .string(enumValues: ["json", "csv"]), "document": questionSet(additional: false),
            "csv": .string(description: "number,category,text_ja,text_en,guidance_ja,guidance_en,controls"),
            "code": .string(maxLength: 63), "title": text(200), "titleEn": text(200),
        ], required: ["format"], additional: false),
        "CloudReviewQueue": .object([
            "ready": .array(.ref("CloudListEntry")), "fastTrack": .array(.ref("CloudListEntry")), "registrations": .array(.ref("CloudListEntry")),
            "answersToReview": .integer(minimum: 0), "remediationsToConfirm": .integer(minimum: 0),
        ], required: ["ready", "fastTrack", "registrations", "answersToReview", "remediationsToConfirm"]),
    ]

    static let certificationInput: JSONSchema = .object([
        "kind": .string(enumValues: CertificationKind.allCases.map(\.rawValue)), "issuer": text(200), "certificateNumber": text(100), "scope": text(2000),
        "coversService": .boolean(description: "The certificate's scope includes this service"), "validFrom": date, "validUntil": date,
    ], required: ["issuer", "certificateNumber", "scope", "coversService", "validFrom", "validUntil"], additional: false)

    static func questionSet(additional: Bool) -> JSONSchema {
        .object([
            "code": .string(maxLength: 63), "title": text(200), "titleEn": text(200),
            "questions": .array(.object(["number": text(20), "category": text(100), "text": text(2000), "textEn": text(2000), "guidance": text(4000),
                                         "guidanceEn": text(4000), "controls": .array(text(64), maxItems: 50)],
                                        required: ["number", "category", "text"], additional: additional), maxItems: 500),
        ], required: ["code", "title", "questions"], additional: additional)
    }
}
