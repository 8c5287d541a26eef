import Foundation
import ShinraiKit

/// OpenAPI components of the use-case API. Names start with `UseCase` so they cannot clash with
/// other modules' schemas.
enum UseCaseSchemas {
    static let numberPattern = "^UC-[0-9]{4}-[0-9]{4,9}$"
    static let needNumberPattern = "^ND-[0-9]{4}-[0-9]{4,9}$"

    static func text(_ max: Int, _ description: String? = nil) -> JSONSchema { .string(description: description, maxLength: max) }
    static func optionalText(_ max: Int, _ description: String? = nil) -> JSONSchema { .nullable(text(max, description)) }
    static func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ description: String? = nil) -> JSONSchema where E.RawValue == String {
        .string(description: description, enumValues: type.allCases.map(\.rawValue))
    }
    static let yen: JSONSchema = .integer(minimum: 0, maximum: 1_000_000_000_000, description: "Whole yen")

    static let content: JSONSchema = {
        let l = UseCaseContent.limits
        return .object([
            "title": text(l.title), "summary": text(l.summary, "One or two sentences for lists and feeds"),
            "organisationType": choice(OrganisationType.self),
            "municipalityScale": .nullable(choice(MunicipalityScale.self, "Only for municipalities")),
            "industry": .string(description: "JSIC division (大分類)", enumValues: JSIC.codes),
            "industryGroup": .nullable(.string(description: "JSIC major group (中分類), two digits within the division", pattern: "^[0-9]{2}$")),
            "category": .string(description: "Problem category slug (GET /api/v1/usecase-categories)", maxLength: 60),
            "stage": choice(Stage.self),
            "problem": text(l.longText),
            "solutionSteps": .array(text(l.step), maxItems: l.steps),
            "prompts": .array(.object([
                "title": text(l.promptTitle),
                "template": text(l.template, "Prompt with {{variable}} placeholders; \\{{ writes a literal {{"),
                "variables": .array(.object(["name": text(PromptTemplate.maxNameLength), "example": text(2000)],
                                            required: ["name", "example"], additional: false), maxItems: 30),
                "sampleOutput": optionalText(l.template),
            ], required: ["title", "template", "variables"], additional: false), maxItems: l.prompts),
            "modelsUsed": .array(text(l.model), maxItems: l.models),
            "results": .object([
                "hoursSavedPerMonth": .nullable(.number(description: "Hours saved per month (0–100000)")),
                "monthlyCostYen": .nullable(yen), "initialCostYen": .nullable(yen),
                "quality": optionalText(l.note), "measurement": optionalText(l.note, "How the results were measured"),
            ], additional: false),
            "governance": .object([
                "confidentiality": .integer(minimum: 1, maximum: 3, description: "機密性 1–3 of the data entered"),
                "personalData": .boolean(), "humanReview": .boolean(), "humanReviewNote": optionalText(l.note),
                "countermeasures": .array(choice(Countermeasure.self), maxItems: Countermeasure.allCases.count),
                "otherCountermeasures": optionalText(l.note),
                "riskChecks": .array(choice(RiskCheck.self), maxItems: RiskCheck.allCases.count),
            ], required: ["confidentiality", "personalData", "humanReview", "countermeasures", "riskChecks"], additional: false),
            "lessonsLearned": optionalText(l.longText),
            "licence": choice(Licence.self, "Default CC-BY-4.0"),
            "contact": .object(["department": text(100), "email": optionalText(254), "url": optionalText(500)],
                               required: ["department"], additional: false),
            "source": .nullable(.object(["name": text(200), "url": optionalText(500)], required: ["name"], additional: false)),
        ], required: ["title", "summary", "organisationType", "industry", "category", "stage", "problem", "solutionSteps", "governance", "contact"],
           additional: false)
    }()

    static let organisation: JSONSchema = .object([
        "id": .uuid, "name": .string(), "corporateNumber": .nullable(.string()), "localGovernmentCode": .nullable(.string()),
    ], required: ["id", "name"])

    static let summary: JSONSchema = .object([
        "number": .string(pattern: numberPattern), "title": .string(), "summary": .string(), "organisationName": .string(),
        "organisationType": choice(OrganisationType.self), "municipalityScale": .nullable(choice(MunicipalityScale.self)),
        "industry": .string(), "category": .string(), "stage": choice(Stage.self), "confidentiality": .integer(minimum: 1, maximum: 3),
        "highRisk": .boolean(), "version": .integer(minimum: 1), "firstPublishedAt": .dateTime, "updatedAt": .dateTime,
        "reuses": .integer(minimum: 0), "url": .string(),
        "highlight": .nullable(.object(["title": .string(description: "HTML: escaped text with <mark> around matches"), "summary": .string()],
                                       required: ["title", "summary"])),
    ], required: ["number", "title", "summary", "organisationName", "organisationType", "industry", "category", "stage", "confidentiality",
                  "highRisk", "version", "firstPublishedAt", "updatedAt", "reuses", "url"])

    static let facetValue: JSONSchema = .object([
        "value": .string(), "label": .string(), "labelEn": .string(), "count": .integer(minimum: 0), "selected": .boolean(),
    ], required: ["value", "label", "labelEn", "count", "selected"])

    static let searchPage: JSONSchema = .object([
        "items": .array(.ref("UseCaseSummary")), "total": .integer(minimum: 0), "limit": .integer(), "page": .integer(),
        "nextPage": .nullable(.integer()), "query": .string(), "sort": choice(SearchSort.self),
        "facets": .object(Dictionary(uniqueKeysWithValues: Facet.allCases.map { ($0.rawValue, JSONSchema.array(.ref("UseCaseFacetValue"))) }),
                          required: Facet.allCases.map(\.rawValue)),
    ], required: ["items", "total", "limit", "page", "query", "sort", "facets"])

    static let published: JSONSchema = .object([
        "number": .string(), "version": .integer(minimum: 1), "publishedAt": .dateTime, "organisation": organisation,
        "content": .ref("UseCaseContent"), "note": .nullable(.string()),
    ], required: ["number", "version", "publishedAt", "organisation", "content"])

    static let detail: JSONSchema = .object([
        "number": .string(pattern: numberPattern), "version": .integer(minimum: 1), "status": .string(enumValues: ["published", "withdrawn"]),
        "organisation": organisation, "firstPublishedAt": .dateTime, "publishedAt": .dateTime, "views": .integer(minimum: 0),
        "reuses": .integer(minimum: 0), "logIndex": .integer(minimum: 0), "logIndexes": .array(.integer(minimum: 0)),
        "contentHash": .string(pattern: "^[0-9a-f]{64}$"), "proof": .string(description: "Inclusion proof of this version's log entry"),
        "highRisk": .boolean(), "content": .ref("UseCaseContent"),
        "withdrawn": .nullable(.object(["at": .dateTime, "reason": .string()], required: ["at", "reason"])), "url": .string(),
    ], required: ["number", "version", "status", "organisation", "firstPublishedAt", "publishedAt", "views", "reuses", "logIndex",
                  "logIndexes", "contentHash", "proof", "highRisk", "content", "url"])

    static let versionInfo: JSONSchema = .object([
        "version": .integer(minimum: 1), "publishedAt": .dateTime, "note": .nullable(.string()), "logIndex": .integer(minimum: 0),
        "contentHash": .string(), "url": .string(),
    ], required: ["version", "publishedAt", "logIndex", "contentHash", "url"])

    static let version: JSONSchema = .object([
        "record": .ref("UseCasePublished"), "contentHash": .string(), "logIndex": .integer(minimum: 0), "proof": .string(),
    ], required: ["record", "contentHash", "logIndex", "proof"])

    static let submission: JSONSchema = .object([
        "id": .uuid, "number": .nullable(.string()), "status": choice(SubmissionStatus.self), "revision": .integer(minimum: 1),
        "publishedVersion": .integer(minimum: 0), "listed": .boolean(), "organisationId": .uuid, "organisationName": .string(),
        "createdAt": .dateTime, "updatedAt": .dateTime, "submittedAt": .nullable(.dateTime), "content": .ref("UseCaseContent"),
        "allowedActions": .array(choice(WorkflowAction.self)),
        "history": .array(.object(["action": .string(), "comment": .nullable(.string()), "actor": .string(), "at": .dateTime],
                                  required: ["action", "actor", "at"])),
    ], required: ["id", "status", "revision", "publishedVersion", "listed", "organisationId", "organisationName", "createdAt", "updatedAt",
                  "content", "allowedActions", "history"])

    static let submissionItem: JSONSchema = .object([
        "id": .uuid, "number": .nullable(.string()), "title": .string(), "status": choice(SubmissionStatus.self),
        "revision": .integer(minimum: 1), "publishedVersion": .integer(minimum: 0), "organisationName": .string(),
        "updatedAt": .dateTime, "submittedAt": .nullable(.dateTime),
    ], required: ["id", "title", "status", "revision", "publishedVersion", "organisationName", "updatedAt"])

    static let actionInput: JSONSchema = .object([
        "comment": optionalText(UseCaseContent.limits.note, "Request to the owner, change note, or reason for withdrawal"),
        "revision": .nullable(.integer(minimum: 1, description: "The revision you saw; refused with 409 if it changed")),
    ], additional: false)

    static let fillInput: JSONSchema = .object(["values": .object([:], description: "Variable name → value (strings)")],
                                               required: ["values"], additional: false)
    static let fill: JSONSchema = .object([
        "prompt": .string(), "complete": .boolean(), "missing": .array(.string()), "reuses": .integer(minimum: 0),
    ], required: ["prompt", "complete", "missing", "reuses"])

    static let category: JSONSchema = .object([
        "slug": .string(), "name": .string(), "nameEn": .string(), "position": .integer(), "active": .boolean(),
    ], required: ["slug", "name", "nameEn", "position", "active"])
    static let categoryInput: JSONSchema = .object([
        "slug": .string(description: "Lower-case letters, digits and hyphens", maxLength: 60, pattern: "^[a-z0-9][a-z0-9-]*$"),
        "name": text(60), "nameEn": text(60), "position": .nullable(.integer(minimum: 0, maximum: 100_000)), "active": .nullable(.boolean()),
    ], required: ["slug", "name", "nameEn"], additional: false)
    static let categoryUpdate: JSONSchema = .object([
        "name": optionalText(60), "nameEn": optionalText(60), "position": .nullable(.integer(minimum: 0, maximum: 100_000)), "active": .nullable(.boolean()),
    ], additional: false)

    static let term: JSONSchema = .object(["value": .string(), "label": .string(), "labelEn": .string()], required: ["value", "label", "labelEn"])
    static let taxonomies: JSONSchema = .object([
        "industries": .array(.object(["value": .string(), "label": .string(), "labelEn": .string(), "groups": .array(.ref("UseCaseTerm"))],
                                     required: ["value", "label", "labelEn", "groups"])),
        "organisationTypes": .array(.ref("UseCaseTerm")), "municipalityScales": .array(.ref("UseCaseTerm")),
        "stages": .array(.ref("UseCaseTerm")), "confidentialityLevels": .array(.ref("UseCaseTerm")), "licences": .array(.ref("UseCaseTerm")),
        "countermeasures": .array(.ref("UseCaseTerm")), "riskChecks": .array(.ref("UseCaseTerm")), "categories": .array(.ref("UseCaseTerm")),
    ], required: ["industries", "organisationTypes", "municipalityScales", "stages", "confidentialityLevels", "licences", "countermeasures",
                  "riskChecks", "categories"])

    static let importInput: JSONSchema = .object([
        "format": .string(enumValues: [USInventory.formatName]),
        "csv": .string(description: "UTF-8 CSV text with a header row", maxLength: 900_000),
        "dryRun": .nullable(.boolean(description: "Only check the rows")),
        "skipInvalid": .nullable(.boolean(description: "Import the valid rows and report the others (default: all or nothing)")),
    ], required: ["format", "csv"], additional: false)
    static let importReport: JSONSchema = .object([
        "format": .string(), "rows": .integer(minimum: 0), "valid": .integer(minimum: 0), "created": .array(.object(["id": .uuid, "title": .string()], required: ["id", "title"])),
        "dryRun": .boolean(),
        "errors": .array(.object(["line": .integer(minimum: 1), "column": .string(), "code": .string(), "detail": .string(), "detailJa": .string()],
                                 required: ["line", "column", "code", "detail", "detailJa"])),
    ], required: ["format", "rows", "valid", "created", "dryRun", "errors"])

    static let needContent: JSONSchema = .object([
        "title": text(UseCaseContent.limits.title), "problem": text(UseCaseContent.limits.longText),
        "industry": .string(enumValues: JSIC.codes), "category": .nullable(.string(maxLength: 60)),
        "constraints": optionalText(UseCaseContent.limits.note), "budgetMinYen": .nullable(yen), "budgetMaxYen": .nullable(yen),
        "region": .nullable(.string(description: "Prefecture code 01–47, or 00 for all of Japan", pattern: "^[0-9]{2}$")),
        "deadline": .nullable(.date), "contactDepartment": text(100),
    ], required: ["title", "problem", "industry", "contactDepartment"], additional: false)
    static let needResponse: JSONSchema = .object([
        "id": .uuid, "organisationName": .string(), "message": .string(), "usecaseNumber": .nullable(.string()), "createdAt": .dateTime,
    ], required: ["id", "organisationName", "message", "createdAt"])
    static let need: JSONSchema = .object([
        "number": .string(pattern: needNumberPattern), "status": choice(NeedStatus.self), "organisationName": .string(),
        "content": .ref("UseCaseNeedContent"), "createdAt": .dateTime, "updatedAt": .dateTime, "closedAt": .nullable(.dateTime),
        "solvedBy": .nullable(.string()), "closingNote": .nullable(.string()), "responseCount": .integer(minimum: 0),
        "responses": .nullable(.array(.ref("UseCaseNeedResponse"))), "url": .string(),
    ], required: ["number", "status", "organisationName", "content", "createdAt", "updatedAt", "responseCount", "url"])
    static let needItem: JSONSchema = .object([
        "number": .string(), "status": choice(NeedStatus.self), "title": .string(), "organisationName": .string(), "industry": .string(),
        "category": .nullable(.string()), "region": .nullable(.string()), "deadline": .nullable(.date), "responseCount": .integer(minimum: 0),
        "createdAt": .dateTime, "url": .string(),
    ], required: ["number", "status", "title", "organisationName", "industry", "responseCount", "createdAt", "url"])
    static let needResponseInput: JSONSchema = .object([
        "message": text(UseCaseContent.limits.note), "usecaseNumber": .nullable(.string(pattern: numberPattern)),
    ], required: ["message"], additional: false)
    static let needCloseInput: JSONSchema = .object([
        "solvedBy": .nullable(.string(description: "Number of the use case that solved the need", pattern: numberPattern)),
        "note": optionalText(UseCaseContent.limits.note),
    ], additional: false)
    static let needMatches: JSONSchema = .object([
        "useCases": .array(.ref("UseCaseSummary")),
        "organisations": .array(.object(["id": .uuid, "name": .string(), "cases": .integer(minimum: 1)], required: ["id", "name", "cases"])),
    ], required: ["useCases", "organisations"])

    static let all: [String: JSONSchema] = [
        "UseCaseContent": content, "UseCaseSummary": summary, "UseCaseFacetValue": facetValue, "UseCaseSearchPage": searchPage,
        "UseCasePublished": published, "UseCase": detail, "UseCaseVersionInfo": versionInfo, "UseCaseVersion": version,
        "UseCaseSubmission": submission, "UseCaseSubmissionItem": submissionItem, "UseCaseActionInput": actionInput,
        "UseCasePromptFillInput": fillInput, "UseCasePromptFill": fill, "UseCaseCategory": category,
        "UseCaseCategoryInput": categoryInput, "UseCaseCategoryUpdate": categoryUpdate, "UseCaseTerm": term, "UseCaseTaxonomies": taxonomies,
        "UseCaseImportInput": importInput, "UseCaseImportReport": importReport, "UseCaseNeedContent": needContent,
        "UseCaseNeedResponse": needResponse, "UseCaseNeed": need, "UseCaseNeedItem": needItem, "UseCaseNeedResponseInput": needResponseInput,
        "UseCaseNeedCloseInput": needCloseInput, "UseCaseNeedMatches": needMatches,
    ]
}
