import Foundation
import ShinraiKit

/// OpenAPI components of the Sovereignty API (all prefixed `Sovereignty`).
enum SovereigntySchemas {
    static let share = JSONSchema.number(description: "Share from 0 to 1 (four decimals)")
    static let status = JSONSchema.string(enumValues: ["published", "suppressed", "no-data"])
    static let yen = JSONSchema.integer(minimum: 0, description: "Whole yen")
    static let year = JSONSchema.integer(minimum: FiscalYear.earliest, maximum: FiscalYear.latestTarget, description: "Japanese fiscal year (April–March)")
    static let country = JSONSchema.string(description: "ISO 3166-1 alpha-2 code", pattern: "^[A-Za-z]{2}$")
    static let countries = JSONSchema.array(country, maxItems: 30)
    static let kind = JSONSchema.string(enumValues: OfferingKind.allCases.map(\.rawValue))
    static let laws = JSONSchema.array(.string(enumValues: ForeignLaw.allCases.map(\.rawValue)), maxItems: 10)
    static let levelCode = JSONSchema.string(pattern: "^SEAL-[0-4]$")
    static let weights = JSONSchema.object(Dictionary(uniqueKeysWithValues: Criterion.allCases.map { ($0.rawValue, JSONSchema.integer(minimum: 0, maximum: ScoringParameters.maxWeight)) }),
                                          required: Criterion.allCases.map(\.rawValue), additional: false)
    static let evidence = JSONSchema.object(["label": .string(maxLength: 200), "url": .string(format: "uri", maxLength: 2000)], required: ["label", "url"], additional: false)
    static let parameters = JSONSchema.object([
        "weights": weights, "thresholds": .array(.integer(minimum: 1, maximum: 10000), maxItems: 4),
        "domesticLevel": .integer(minimum: 1, maximum: 4), "minimumDeclarers": .integer(minimum: 1, maximum: 100),
    ], required: ["weights", "thresholds", "domesticLevel", "minimumDeclarers"], description: "Thresholds in basis points (1/10000)")

    static let all: [String: JSONSchema] = [
        "SovereigntyCategory": .object([
            "id": .uuid, "code": .string(), "nameJa": .string(), "nameEn": .string(), "sortOrder": .integer(), "active": .boolean(),
        ], required: ["id", "code", "nameJa", "nameEn", "sortOrder", "active"]),
        "SovereigntyCategoryInput": .object([
            "code": .string(maxLength: 40, pattern: "^[a-z0-9][a-z0-9-]{0,39}$"), "nameJa": .string(maxLength: 100), "nameEn": .string(maxLength: 100),
            "sortOrder": .integer(minimum: 0, maximum: 100_000), "active": .boolean(),
        ], required: ["code", "nameJa", "nameEn"], additional: false),
        "SovereigntyCell": .object([
            "fiscalYear": .integer(), "dimension": .string(enumValues: Dimension.allCases.map(\.rawValue)),
            "key": .string(description: "all; a kind; a category code; government/private; government-systems/other-systems"),
            "status": status, "suppression": .string(enumValues: ["too-few-declarers", "complementary"]),
            "declarations": .integer(minimum: 0), "declarers": .integer(minimum: 0),
            "valuedBySpend": .integer(minimum: 0), "valuedByUnits": .integer(minimum: 0), "notValued": .integer(minimum: 0),
            "totalSpendYen": yen, "domesticSpendYen": yen, "rate": share, "weightedRate": share,
            "target": share, "gap": .number(description: "rate − target"), "parameterVersion": .integer(), "minimumDeclarers": .integer(),
        ], required: ["fiscalYear", "dimension", "key", "status", "declarations", "declarers", "valuedBySpend", "valuedByUnits", "notValued",
                      "parameterVersion", "minimumDeclarers"]),
        "SovereigntyTrendRow": .object([
            "fiscalYear": .integer(), "scope": .string(enumValues: TargetScope.all), "status": status,
            "rate": share, "weightedRate": share, "target": share, "gap": .number(),
        ], required: ["fiscalYear", "scope", "status"]),
        "SovereigntyGovernmentAdoption": .object([
            "fiscalYear": .integer(), "status": status, "declarers": .integer(minimum: 0), "offeringsUsed": .integer(minimum: 0),
            "domesticOfferingsUsed": .integer(minimum: 0), "offeringShare": share, "spendRate": share,
        ], required: ["fiscalYear", "status", "declarers"]),
        "SovereigntyOverseasSalesYear": .object([
            "fiscalYear": .integer(), "status": status, "vendors": .integer(minimum: 0), "totalYen": yen,
        ], required: ["fiscalYear", "status", "vendors"]),
        "SovereigntyIndicator": .object([
            "currentFiscalYear": .integer(), "years": .array(.integer()), "cells": .array(.ref("SovereigntyCell")),
            "trend": .array(.ref("SovereigntyTrendRow")), "governmentAdoption": .array(.ref("SovereigntyGovernmentAdoption")),
            "overseasSales": .array(.ref("SovereigntyOverseasSalesYear")), "categories": .array(.ref("SovereigntyCategory")),
        ], required: ["currentFiscalYear", "years", "cells", "trend", "governmentAdoption", "overseasSales", "categories"]),
        "SovereigntyParameterVersion": .object([
            "version": .integer(minimum: 1), "effectiveFrom": .integer(), "weights": weights, "thresholds": .array(share),
            "domesticLevel": .integer(minimum: 1, maximum: 4), "minimumDeclarers": .integer(minimum: 1), "note": .string(),
            "createdAt": .dateTime, "logIndex": .integer(minimum: 0),
        ], required: ["version", "effectiveFrom", "weights", "thresholds", "domesticLevel", "minimumDeclarers", "note", "createdAt"]),
        "SovereigntyParameterInput": .object([
            "effectiveFrom": year, "weights": weights, "thresholds": .array(.number(description: "0–1, increasing"), maxItems: 4),
            "domesticLevel": .integer(minimum: 1, maximum: 4), "minimumDeclarers": .integer(minimum: 1, maximum: 100), "note": .string(maxLength: 1000),
        ], required: ["effectiveFrom", "weights", "thresholds", "domesticLevel", "minimumDeclarers", "note"], additional: false),
        "SovereigntyMethodology": .object([
            "currentFiscalYear": .integer(), "current": .ref("SovereigntyParameterVersion"), "versions": .array(.ref("SovereigntyParameterVersion")),
            "yearVersions": .array(.object(["fiscalYear": .integer(), "version": .integer()], required: ["fiscalYear", "version"])),
            "criteria": .array(.object([
                "criterion": .string(enumValues: Criterion.allCases.map(\.rawValue)), "euObjective": .string(), "weight": .integer(),
                "descriptionJa": .string(), "descriptionEn": .string(),
            ], required: ["criterion", "euObjective", "weight", "descriptionJa", "descriptionEn"])),
            "formula": .string(),
        ], required: ["currentFiscalYear", "current", "versions", "yearVersions", "criteria", "formula"]),
        "SovereigntyOfferingItem": .object([
            "id": .uuid, "number": .string(), "name": .string(), "nameEn": .string(), "kind": kind, "category": .string(),
            "vendorId": .uuid, "vendorName": .string(), "score": share, "level": .integer(minimum: 0, maximum: 4), "levelCode": levelCode,
            "domestic": .boolean(), "withdrawn": .boolean(), "siteType": .string(enumValues: SiteType.allCases.map(\.rawValue)),
            "siteCountry": .string(), "prefecture": .integer(minimum: 1, maximum: 47),
        ], required: ["id", "number", "name", "kind", "category", "vendorId", "vendorName", "score", "level", "levelCode", "domestic", "withdrawn"]),
        "SovereigntyLevel": .object([
            "fiscalYear": .integer(), "parameterVersion": .integer(), "score": share, "level": .integer(minimum: 0, maximum: 4), "levelCode": levelCode,
            "domestic": .boolean(),
            "criteria": .array(.object([
                "criterion": .string(enumValues: Criterion.allCases.map(\.rawValue)), "euObjective": .string(), "value": share,
                "valueText": .string(), "weight": .integer(), "contribution": share,
            ], required: ["criterion", "euObjective", "value", "valueText", "weight", "contribution"])),
        ], required: ["fiscalYear", "parameterVersion", "score", "level", "levelCode", "domestic", "criteria"]),
        "SovereigntyVendorFacts": .object([
            "headquarters": country, "ultimateParent": country, "controllingShareholders": countries, "governingLaw": country,
            "foreignLaws": laws, "development": countries, "operation": countries, "support": countries, "dataLocation": countries,
        ], required: ["headquarters", "controllingShareholders", "foreignLaws", "development", "operation", "support", "dataLocation"]),
        "SovereigntyVendor": .object([
            "organisationId": .uuid, "name": .string(), "nameEn": .string(), "corporateNumber": .string(pattern: "^[0-9]{13}$"),
            "facts": .ref("SovereigntyVendorFacts"), "foreignLawNote": .string(), "evidence": .array(evidence),
            "status": .string(enumValues: ProfileStatus.allCases.map(\.rawValue)), "verifiedAt": .dateTime, "revision": .integer(minimum: 1),
            "updatedAt": .dateTime, "domesticVendor": .boolean(), "assessment": .ref("SovereigntyLevel"), "recordNumber": .string(),
        ], required: ["organisationId", "name", "facts", "foreignLawNote", "evidence", "status", "revision", "updatedAt", "domesticVendor",
                      "assessment", "recordNumber"]),
        "SovereigntyVendorItem": .object([
            "organisationId": .uuid, "name": .string(), "nameEn": .string(), "corporateNumber": .string(), "headquarters": .string(),
            "status": .string(enumValues: ProfileStatus.allCases.map(\.rawValue)), "domesticVendor": .boolean(), "score": share,
            "level": .integer(minimum: 0, maximum: 4), "levelCode": levelCode, "domestic": .boolean(), "offerings": .integer(minimum: 0),
        ], required: ["organisationId", "name", "headquarters", "status", "domesticVendor", "score", "level", "levelCode", "domestic", "offerings"]),
        "SovereigntyProfileInput": .object([
            "headquarters": .string(maxLength: 2), "ultimateParent": .nullable(.string(maxLength: 2)),
            "controllingShareholders": .nullable(countries), "governingLaw": .nullable(.string(maxLength: 2)),
            "foreignLaws": .nullable(laws), "foreignLawNote": .nullable(.string(maxLength: 1000)),
            "development": .nullable(countries), "operation": .nullable(countries), "support": .nullable(countries), "dataLocation": .nullable(countries),
            "evidence": .nullable(.array(evidence, maxItems: 10)),
        ], required: ["headquarters"], additional: false),
        "SovereigntyOffering": .object([
            "id": .uuid, "number": .string(), "name": .string(), "nameEn": .string(), "kind": kind, "category": .string(),
            "vendorId": .uuid, "vendorName": .string(), "withdrawn": .boolean(), "unit": .string(enumValues: UnitOfMeasure.allCases.map(\.rawValue)),
            "description": .string(),
            "facts": .object([
                "vendor": .ref("SovereigntyVendorFacts"), "governingLaw": country, "foreignLaws": laws, "development": countries,
                "operation": countries, "support": countries, "dataLocation": countries,
                "fromOffering": .array(.string(), maxItems: 10),
            ], required: ["development", "operation", "support", "dataLocation", "fromOffering"]),
            "site": .object([
                "type": .string(enumValues: SiteType.allCases.map(\.rawValue)), "country": country, "prefecture": .integer(minimum: 1, maximum: 47),
                "gpuCount": .integer(minimum: 0), "itPowerKw": .integer(minimum: 0),
            ], required: ["type", "country"]),
            "revision": .integer(minimum: 1), "updatedAt": .dateTime, "assessment": .ref("SovereigntyLevel"),
        ], required: ["id", "number", "name", "kind", "category", "vendorId", "vendorName", "withdrawn", "unit", "description", "facts",
                      "revision", "updatedAt", "assessment"]),
        "SovereigntyOfferingInput": .object([
            "vendorId": .nullable(.uuid), "name": .string(maxLength: 200), "nameEn": .nullable(.string(maxLength: 200)), "kind": kind,
            "category": .string(maxLength: 40), "description": .nullable(.string(maxLength: 2000)),
            "unit": .nullable(.string(enumValues: UnitOfMeasure.allCases.map(\.rawValue))),
            "governingLaw": .nullable(.string(maxLength: 2)), "foreignLaws": .nullable(laws),
            "development": .nullable(countries), "operation": .nullable(countries), "support": .nullable(countries), "dataLocation": .nullable(countries),
            "siteType": .nullable(.string(enumValues: SiteType.allCases.map(\.rawValue))), "siteCountry": .nullable(.string(maxLength: 2)),
            "prefecture": .nullable(.integer(minimum: 1, maximum: 47)), "gpuCount": .nullable(.integer(minimum: 0, maximum: 10_000_000)),
            "itPowerKw": .nullable(.integer(minimum: 0, maximum: 100_000_000)),
        ], required: ["name", "kind", "category"], additional: false),
        "SovereigntyDeclaration": .object([
            "id": .uuid, "organisationId": .uuid, "offeringId": .uuid, "offeringNumber": .string(), "offeringName": .string(),
            "unit": .string(enumValues: UnitOfMeasure.allCases.map(\.rawValue)), "fiscalYear": .integer(), "spendYen": yen,
            "units": .integer(minimum: 1), "governmentSystem": .boolean(), "sector": .string(enumValues: Sector.allCases.map(\.rawValue)),
            "note": .string(), "createdAt": .dateTime, "updatedAt": .dateTime,
        ], required: ["id", "organisationId", "offeringId", "offeringNumber", "offeringName", "unit", "fiscalYear", "governmentSystem",
                      "sector", "note", "createdAt", "updatedAt"]),
        "SovereigntyDeclarationInput": .object([
            "organisationId": .nullable(.uuid), "offering": .string(description: "Offering number (SVO-2026-0001) or id", maxLength: 40),
            "fiscalYear": year, "spendYen": .nullable(.integer(minimum: 0, maximum: Int(DeclarationRules.maxSpendYen))),
            "units": .nullable(.integer(minimum: 1, maximum: Int(DeclarationRules.maxUnits))), "governmentSystem": .nullable(.boolean()),
            "note": .nullable(.string(maxLength: DeclarationRules.maxNote)),
        ], required: ["offering", "fiscalYear"], additional: false),
        "SovereigntyImportInput": .object([
            "csv": .string(description: "CSV text: offering, fiscal_year, spend_yen, units, government_system, note"),
            "mode": .nullable(.string(enumValues: ImportMode.allCases.map(\.rawValue))), "organisationId": .nullable(.uuid),
        ], required: ["csv"], additional: false),
        "SovereigntyImportReport": .object([
            "mode": .string(enumValues: ImportMode.allCases.map(\.rawValue)), "rows": .integer(minimum: 0), "created": .integer(minimum: 0),
            "updated": .integer(minimum: 0), "skipped": .integer(minimum: 0), "imported": .boolean(),
            "errors": .array(.object(["pointer": .string(), "code": .string(), "detail": .string(), "detailJa": .string()], required: ["pointer", "code", "detail"])),
        ], required: ["mode", "rows", "created", "updated", "skipped", "imported", "errors"]),
        "SovereigntyPublication": .object([
            "fiscalYear": .integer(), "revision": .integer(minimum: 1), "recordNumber": .string(), "rate": share, "parameterVersion": .integer(),
            "publishedAt": .dateTime, "logIndex": .integer(minimum: 0), "contentHash": .string(pattern: "^[0-9a-f]{64}$"),
            "content": .string(description: "Canonical JSON; its SHA-256 is the log entry's contentHash"),
        ], required: ["fiscalYear", "revision", "recordNumber", "parameterVersion", "publishedAt", "logIndex", "contentHash", "content"]),
        "SovereigntyPublishInput": .object(["fiscalYear": year], required: ["fiscalYear"], additional: false),
        "SovereigntyTarget": .object([
            "fiscalYear": .integer(), "scope": .string(enumValues: TargetScope.all), "rate": share, "note": .string(),
            "revision": .integer(minimum: 1), "updatedAt": .dateTime,
        ], required: ["fiscalYear", "scope", "rate", "note", "revision", "updatedAt"]),
        "SovereigntyTargetInput": .object([
            "fiscalYear": year, "scope": .string(enumValues: TargetScope.all), "rate": .nullable(.number(description: "0–1; null removes the target")),
            "note": .nullable(.string(maxLength: 500)),
        ], required: ["fiscalYear", "scope", "rate"], additional: false),
        "SovereigntyOverseasSales": .object([
            "id": .uuid, "organisationId": .uuid, "fiscalYear": .integer(), "amountYen": yen, "markets": .string(), "updatedAt": .dateTime,
        ], required: ["id", "organisationId", "fiscalYear", "amountYen", "markets", "updatedAt"]),
        "SovereigntyOverseasSalesInput": .object([
            "organisationId": .nullable(.uuid), "fiscalYear": year, "amountYen": .integer(minimum: 0, maximum: 100_000_000_000_000),
            "markets": .nullable(.string(maxLength: 500)),
        ], required: ["fiscalYear", "amountYen"], additional: false),
        "SovereigntyInfrastructure": .object([
            "fiscalYear": .integer(), "parameterVersion": .integer(), "sites": .integer(minimum: 0), "domesticSites": .integer(minimum: 0),
            "sitesInJapan": .integer(minimum: 0), "prefecturesWithSites": .integer(minimum: 0), "gpuCount": .integer(minimum: 0),
            "gpuCountInJapan": .integer(minimum: 0), "itPowerKw": .integer(minimum: 0), "itPowerKwInJapan": .integer(minimum: 0),
            "byPrefecture": .array(.ref("SovereigntyInfrastructureArea")), "byCountry": .array(.ref("SovereigntyInfrastructureArea")),
            "bySiteType": .array(.ref("SovereigntyInfrastructureArea")),
        ], required: ["fiscalYear", "parameterVersion", "sites", "domesticSites", "sitesInJapan", "prefecturesWithSites", "gpuCount",
                      "gpuCountInJapan", "itPowerKw", "itPowerKwInJapan", "byPrefecture", "byCountry", "bySiteType"]),
        "SovereigntyInfrastructureArea": .object([
            "code": .string(), "sites": .integer(minimum: 0), "domesticSites": .integer(minimum: 0), "gpuCount": .integer(minimum: 0),
            "itPowerKw": .integer(minimum: 0),
        ], required: ["code", "sites", "domesticSites", "gpuCount", "itPowerKw"]),
    ]
}
