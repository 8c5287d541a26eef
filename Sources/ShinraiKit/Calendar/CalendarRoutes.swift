import Foundation
import HTTPTypes
import Hummingbird

/// `GET /api/v1/calendar/holidays` and `GET /api/v1/calendar/deadline` over the legal calendar.
struct CalendarRoutes {
    struct DeadlineDTO: Codable, Sendable {
        var due: String
        var dueDate: String
        var calendar: String
        var startDate: String
        var explanation: String
        var explanationEn: String
    }

    static func badParameter(_ name: String, _ ja: String, _ en: String) -> Problem {
        .badRequest(.init(ja: ja, en: en), errors: [FieldError(pointer: "/query/\(name)", code: "invalid", detail: en, detailJa: ja)])
    }

    func register(_ routes: Routes) {
        routes.schema("Holiday", .object(["date": .date, "name": .string(), "nameEn": .string()], required: ["date", "name", "nameEn"]))
        routes.schema("Deadline", .object([
            "due": .dateTime, "dueDate": .date, "calendar": .string(enumValues: BusinessCalendar.knownNames),
            "startDate": .date, "explanation": .string(), "explanationEn": .string(),
        ], required: ["due", "dueDate", "calendar", "startDate", "explanation", "explanationEn"]))

        routes.api(.init(method: "GET", path: "/api/v1/calendar/holidays", operationID: "listHolidays",
                         summary: "National holidays of a year (国民の祝日・休日), 1949–2099", tag: "calendar",
                         parameters: [.init("year", in: .query, required: true, schema: .integer(minimum: 1949, maximum: 2099), description: "Year")],
                         responses: [200: .init("Holidays", schema: .array(.ref("Holiday")))], authenticated: false)) { request, _ in
            guard let raw = request.uri.queryParameters["year"], let year = Int(String(raw)), JapaneseHolidays.supportedYears.contains(year) else {
                throw Self.badParameter("year", "year は1949〜2099の西暦で指定してください。", "year must be 1949–2099.")
            }
            return try API.publicJSON(try JapaneseHolidays.holidays(in: year), request: request)
        }

        routes.api(.init(method: "GET", path: "/api/v1/calendar/deadline", operationID: "computeDeadline",
                         summary: "A deadline N business days after an instant, counted on a named calendar", tag: "calendar",
                         parameters: [
                            .init("from", in: .query, required: true, schema: .dateTime, description: "Start instant, ISO 8601 with offset (encode + as %2B)"),
                            .init("businessDays", in: .query, required: true, schema: .integer(minimum: 0, maximum: 3650), description: "Number of business days"),
                            .init("calendar", in: .query, schema: .string(enumValues: BusinessCalendar.knownNames), description: "Calendar (default exchange)"),
                         ],
                         responses: [200: .init("Deadline", schema: .ref("Deadline"))], authenticated: false)) { request, _ in
            let query = request.uri.queryParameters
            guard let rawFrom = query["from"], let from = JapanTime.parseISO8601(String(rawFrom)) else {
                throw Self.badParameter("from", "from はISO 8601の日時（例 2026-04-30T18:00:00+09:00）で指定してください。",
                                        "from must be an ISO 8601 instant such as 2026-04-30T18:00:00+09:00.")
            }
            guard let rawDays = query["businessDays"], let days = Int(String(rawDays)), (0...3650).contains(days) else {
                throw Self.badParameter("businessDays", "businessDays は0〜3650の整数で指定してください。", "businessDays must be an integer from 0 to 3650.")
            }
            let name = query["calendar"].map(String.init) ?? "exchange"
            guard let calendar = BusinessCalendar.named(name) else {
                throw Self.badParameter("calendar", "calendar は \(BusinessCalendar.knownNames.joined(separator: "、")) のいずれかです。",
                                        "calendar must be one of \(BusinessCalendar.knownNames.joined(separator: ", ")).")
            }
            let deadline: LegalDeadline
            do { deadline = try LegalDeadline.businessDays(days, after: from, calendar: calendar) } catch let error as CalendarError {
                throw Self.badParameter("from", error.messageJa, error.message)
            }
            return try API.json(DeadlineDTO(due: deadline.dueISO8601, dueDate: deadline.dueDate.iso, calendar: calendar.name,
                                            startDate: (deadline.startDate ?? deadline.fromDate).iso, explanation: deadline.explanation, explanationEn: deadline.explanationEn))
        }
    }
}
