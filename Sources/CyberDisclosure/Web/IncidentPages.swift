import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import ShinraiKit

/// Incident pages: public list, incident page with every clock, draft form, versions, delays, dashboard.
extension DisclosureWebRoutes {
    func registerIncidentPages(_ routes: Routes) {
        routes.get("/disclosure/incidents") { request, context in try await incidentList(request, context) }
        routes.get("/disclosure/incidents/new") { request, context in
            // memberCompany refuses other roles with the reason (only members of a listed company file).
            let identity = try context.requireIdentity()
            let company = try await DisclosureStore.memberCompany(identity, on: services.db)
            return incidentForm(request, context, incident: nil, company: company, values: IncidentForm.defaults(now: services.now), problem: nil)
        }
        routes.post("/disclosure/incidents") { request, context in try await createIncident(request, context) }
        routes.get("/disclosure/incidents/{id}") { request, context in try await incidentPage(request, context) }
        routes.get("/disclosure/incidents/{id}/edit") { request, context in
            let identity = try context.require(.member)
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
            try incidents.requireEditor(incident, identity)
            let snapshot = try await incidents.snapshot(incident)
            guard let draft = snapshot.draft else { return Self.redirect("/disclosure/incidents/\(incident.publicID)") }
            return incidentForm(request, context, incident: incident, company: snapshot.company, values: IncidentForm.values(incident, draft), problem: nil)
        }
        routes.post("/disclosure/incidents/{id}/edit") { request, context in try await updateIncident(request, context) }
        routes.post("/disclosure/incidents/{id}/submit") { request, context in
            let identity = try context.require(.member)
            let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
            do { try await incidents.submit(incident, identity: identity) } catch let problem as Problem where problem.status == .unprocessableContent {
                let snapshot = try await incidents.snapshot(incident)
                return incidentForm(request, context, incident: incident, company: snapshot.company,
                                    values: IncidentForm.values(incident, snapshot.draft ?? snapshot.current), problem: problem)
            }
            guard let fresh = try await Incident.find(incident.id!, on: services.db) else { throw Problem.notFound }
            return Self.redirect("/disclosure/incidents/\(fresh.publicID)?done=published")
        }
        routes.post("/disclosure/incidents/{id}/amendments") { request, context in
            try await incidentAction(request, context, done: "amendment") { incident, identity, form in
                guard let time = FormTime.parse(form.text("informationAvailableAt")) else {
                    throw Problem.validation([FieldError(pointer: "/informationAvailableAt", code: FieldError.Code.missing,
                                                         detail: "Enter when the new information became available.", detailJa: "新たな情報が判明した日時を入力してください。")])
                }
                try await incidents.startAmendment(incident, .init(informationAvailableAt: time, reason: form.first("reason") ?? ""), identity: identity)
            }
        }
        routes.post("/disclosure/incidents/{id}/delays") { request, context in
            try await incidentAction(request, context, done: "delayRequested") { incident, identity, form in
                guard let until = FormTime.parse(form.text("until")) else {
                    throw Problem.validation([FieldError(pointer: "/until", code: FieldError.Code.missing, detail: "Enter until when the delay is requested.",
                                                         detailJa: "猶予を求める期限の日時を入力してください。")])
                }
                _ = try await incidents.requestDelay(incident, .init(grounds: form.first("grounds") ?? "", until: until), identity: identity)
            }
        }
        routes.post("/disclosure/incidents/{id}/obligations/{rule}") { request, context in
            try await incidentAction(request, context, done: "submissionRecorded") { incident, identity, form in
                guard let time = FormTime.parse(form.text("submittedAt")) else {
                    throw Problem.validation([FieldError(pointer: "/submittedAt", code: FieldError.Code.missing, detail: "Enter when the report was submitted.",
                                                         detailJa: "提出した日時を入力してください。")])
                }
                _ = try await incidents.recordSubmission(incident, ruleCode: context.parameters.get("rule") ?? "",
                                                         .init(submittedAt: time, reference: form.text("reference")), identity: identity)
            }
        }
        routes.post("/disclosure/delays/{id}/decision") { request, context in
            let identity = try context.require(.reviewer)
            guard let id = context.parameters.get("id", as: UUID.self), let delay = try await DelayRequest.find(id, on: services.db),
                  let incident = try await Incident.find(delay.incidentID, on: services.db) else { throw Problem.notFound }
            let form = try await FormData.read(request, limit: limit)
            let decision = IncidentService.Decision(rawValue: form.first("decision") ?? "")
            do {
                guard let decision else {
                    throw Problem.validation([FieldError(pointer: "/decision", code: FieldError.Code.missing, detail: "Choose approve or reject.", detailJa: "承認か却下を選んでください。")])
                }
                _ = try await incidents.decideDelay(id, .init(decision: decision, until: FormTime.parse(form.text("until")), note: form.text("note")), identity: identity)
            } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
                return try await incidentPage(request, context, incident: incident, problem: problem)
            }
            return Self.redirect("/disclosure/incidents/\(incident.publicID)?done=delayDecided")
        }
        routes.post("/disclosure/delays/{id}/end") { request, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self), let delay = try await DelayRequest.find(id, on: services.db),
                  let incident = try await Incident.find(delay.incidentID, on: services.db) else { throw Problem.notFound }
            do { try await incidents.endDelay(id, identity: identity) } catch let problem as Problem where problem.status == .conflict {
                return try await incidentPage(request, context, incident: incident, problem: problem)
            }
            return Self.redirect("/disclosure/incidents/\(incident.publicID)?done=delayEnded")
        }
        routes.get("/disclosure/incidents/{id}/versions/{version}") { request, context in try await versionPage(request, context) }
        routes.get("/disclosure/dashboard") { request, context in try await dashboard(request, context) }
        routes.get("/disclosure/my") { request, context in try await myPage(request, context) }
    }

    /// Runs a form action on an incident; a validation or state problem re-renders the incident page with the errors.
    func incidentAction(_ request: Request, _ context: AppContext, done: String,
                        _ action: (Incident, Identity, FormData) async throws -> Void) async throws -> Response {
        let identity = try context.requireIdentity()
        let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
        let form = try await FormData.read(request, limit: limit)
        do { try await action(incident, identity, form) } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await incidentPage(request, context, incident: incident, problem: problem)
        }
        return Self.redirect("/disclosure/incidents/\(incident.publicID)?done=\(done)")
    }

    // MARK: list

    func incidentList(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try ShinraiKit.PageRequest.parse(request)
        let query = queryDictionary(request)
        let filter = try DisclosureAPIRoutes.incidentFilter(query)
        let (items, total) = try await incidents.publicList(filter, page: page)
        let byID = try await DisclosureStore.companies(ids: Array(Set(items.map(\.companyID))), on: services.db)
        let rows = items.compactMap { incident in byID[incident.companyID].map { incidentRow(incident, company: $0, context) } }
        var pagerQuery: [(String, String)] = []
        if let company = filter.company { pagerQuery.append(("company", company)) }
        if let late = filter.late { pagerQuery.append(("late", String(late))) }
        if let year = filter.year { pagerQuery.append(("year", String(year))) }
        return render("incidents", title: t("incidents.title", context), crumbs: [(t("incidents.title", context), nil)], values: [
            "rows": rows, "hasRows": !rows.isEmpty, "total": total, "company": filter.company ?? "", "year": filter.year.map(String.init) ?? "",
            "lateOnly": filter.late == true, "csvHref": "/disclosure/incidents.csv" + (pagerQuery.isEmpty ? "" : "?" + URLQuery.build(pagerQuery)),
            "pager": Pager(page: page, total: total, path: "/disclosure/incidents", query: pagerQuery).values(context, views),
        ], request, context)
    }

    // MARK: incident page

    func incidentPage(_ request: Request, _ context: AppContext, incident given: Incident? = nil, problem: Problem? = nil) async throws -> Response {
        let incident: Incident
        if let given { incident = given } else { incident = try await incidents.find(context.parameters.get("id") ?? "", identity: context.identity) }
        let snapshot = try await incidents.snapshot(incident)
        let identity = context.identity
        let insider = identity?.canAccess(organisation: incident.organisationID) ?? false
        let editor = IncidentService.canEdit(incident, identity)
        let language = context.language
        let now = services.now
        var values: [String: Any] = notice(request, context, allowed: ["published", "saved", "amendment", "delayRequested", "delayDecided", "delayEnded", "submissionRecorded", "created"])
        if let problem { values.merge(formErrors(problem, context)) { $1 } }
        values["number"] = incident.number ?? t("incident.draftLabel", context)
        values["title"] = incident.title
        values["isPublished"] = incident.status == .published
        values["late"] = incident.late
        values["company"] = companyRow(snapshot.company, context)
        values["insider"] = insider
        values["editor"] = editor
        values["facts"] = [
            "occurred": when(incident.occurredAt, context), "discovered": when(incident.discoveredAt, context),
            "determined": when(incident.determinedAt, context),
            "personalData": t(incident.personalData ? "common.yes" : "common.no", context), "malicious": t(incident.malicious ? "common.yes" : "common.no", context),
        ]
        // Public readers see the timely-disclosure clocks of published versions; the company and reviewers see every regime.
        let visible = snapshot.obligations.filter { insider || ($0.rule.regime == .tse && $0.metAt != nil) }
        values["obligations"] = visible.map { obligationRow($0, incident: incident, editor: editor, context, now: now) }
        values["hasObligations"] = !visible.isEmpty
        if let latestVersion = snapshot.versions.last, let record = snapshot.published(latestVersion) {
            values["content"] = contentView(record.content, context)
            values["contentVersion"] = latestVersion.version
        }
        values["versions"] = snapshot.versions.reversed().map { version -> [String: Any] in
            ["version": version.version, "kind": t("incident.kind.\(version.kind.rawValue)", context), "published": when(version.publishedAt, context),
             "due": when(version.dueAt, context), "late": version.late, "reason": version.reason ?? "",
             "href": "/disclosure/incidents/\(incident.publicID)/versions/\(version.version)", "logIndex": version.logIndex,
             "logHref": "/log/entries/\(version.logIndex)", "proofHref": "/api/v1/log/proof/inclusion?index=\(version.logIndex)"]
        }
        values["hasVersions"] = !snapshot.versions.isEmpty
        if insider, let draft = snapshot.draft {
            let rule = snapshot.rules.first { $0.code == (incident.draftKind == .amendment ? RegimeRule.amendmentCode : RegimeRule.timelyCode) }
            let missing = rule.map { draft.missing($0.requiredContent, occurredAt: incident.occurredAt) } ?? []
            values["draft"] = [
                "kind": t("incident.kind.\((incident.draftKind ?? .initial).rawValue)", context), "isAmendment": incident.draftKind == .amendment,
                "available": when(incident.draftAvailableAt, context), "reason": incident.draftReason ?? "", "content": contentView(draft, context),
                "missing": missing.map { $0.detail(language) }, "hasMissing": !missing.isEmpty, "editHref": "/disclosure/incidents/\(incident.publicID)/edit",
                "submitAction": "/disclosure/incidents/\(incident.publicID)/submit",
            ]
        }
        values["canAmend"] = editor && incident.status == .published && incident.draftKind == nil
        values["amendAction"] = "/disclosure/incidents/\(incident.publicID)/amendments"
        values["nowInput"] = FormTime.inputValue(now)
        let delayOpen = snapshot.obligations.contains { $0.rule.pausedByDelay && ($0.status == .open) }
        let delayActive = snapshot.delays.contains { $0.status == .pending || ($0.status == .approved && ($0.approvedUntil ?? now) > now && $0.endedAt == nil) }
        values["canRequestDelay"] = editor && delayOpen && !delayActive
        values["delayAction"] = "/disclosure/incidents/\(incident.publicID)/delays"
        values["maxDelayDays"] = IncidentService.maxDelayDays
        let delays = snapshot.delays.filter { insider || ($0.pause != nil && incident.status == .published) }
        values["delays"] = delays.reversed().map { delay -> [String: Any] in
            let active = delay.status == .approved && (delay.approvedUntil ?? now) > now && delay.endedAt == nil
            return ["status": t("delay.status.\(delay.status.rawValue)", context), "grounds": insider ? delay.grounds : "", "showGrounds": insider,
                    "requested": when(delay.requestedAt, context), "requestedUntil": when(delay.requestedUntil, context), "by": insider ? delay.requestedBy : "",
                    "decided": when(delay.decidedAt, context), "approvedUntil": when(delay.approvedUntil, context), "ended": when(delay.endedAt, context),
                    "note": insider ? (delay.decisionNote ?? "") : "", "isPending": delay.status == .pending,
                    "canDecide": delay.status == .pending && (identity?.isReviewer ?? false),
                    "canEnd": (active && ((identity?.isReviewer ?? false) || editor)) || (delay.status == .pending && editor),
                    "endLabel": t(delay.status == .pending ? "delay.withdraw" : "delay.end", context),
                    "decideAction": "/disclosure/delays/\(delay.id!)/decision", "endAction": "/disclosure/delays/\(delay.id!)/end",
                    "untilInput": FormTime.inputValue(delay.requestedUntil), "delayID": delay.id!.uuidString]
        }
        values["hasDelays"] = !delays.isEmpty
        values["apiHref"] = "/api/v1/disclosure/incidents/\(incident.publicID)"
        let title = incident.number.map { "\($0) \(incident.title)" } ?? incident.title
        return render("incident", title: title, crumbs: [(t("incidents.title", context), "/disclosure/incidents"), (incident.number ?? t("incident.draftLabel", context), nil)],
                      values: values, status: problem?.status ?? .ok, request, context)
    }

    func obligationRow(_ obligation: Obligation, incident: Incident, editor: Bool, _ context: AppContext, now: Date) -> [String: Any] {
        let language = context.language
        let remaining = obligation.deadline.remaining(at: now)
        var row: [String: Any] = [
            "regime": obligation.rule.regime.label(language),
            "name": obligation.rule.name(language) + (obligation.version.map { $0 > 1 ? (language == .ja ? "（第\($0)版）" : " (version \($0))") : "" } ?? ""),
            "basis": obligation.rule.basis(language), "note": obligation.rule.note(language) ?? "",
            "clock": obligation.rule.clock.label(language), "trigger": when(obligation.trigger, context), "provisional": obligation.provisional,
            "due": when(obligation.deadline.due, context), "dueISO": JapanTime.iso8601(obligation.deadline.due),
            "status": t("obligation.state.\(obligation.status.rawValue)", context), "statusClass": obligation.status.rawValue,
            "isLate": obligation.status == .overdue || obligation.status == .metLate,
            "met": when(obligation.metAt, context), "isMet": obligation.metAt != nil, "reference": obligation.reference ?? "",
            "timeLeft": obligation.metAt == nil ? TimeLeft.text(remaining, language) : "",
            "explanation": obligation.deadline.explanation(language),
            "missing": obligation.missing.map { $0.label(language) }, "hasMissing": !obligation.missing.isEmpty,
            "paused": obligation.deadline.pauses.map { "\(when($0.start, context)) – \(when($0.end, context))" },
            "hasPauses": !obligation.deadline.pauses.isEmpty,
        ]
        if editor && !obligation.rule.metByPublication && obligation.metAt == nil {
            row["recordAction"] = "/disclosure/incidents/\(incident.publicID)/obligations/\(obligation.rule.code)"
            row["canRecord"] = true
            row["fieldID"] = obligation.rule.code
        }
        return row
    }

    func contentView(_ content: IncidentContent, _ context: AppContext) -> [String: Any] {
        let language = context.language
        var people = content.affectedPeople.map { SVGChart.defaultFormat(Double($0)) + (language == .ja ? "人" : "") } ?? "—"
        if let note = content.affectedPeopleNote { people += language == .ja ? "（\(note)）" : " (\(note))" }
        let sections: [(IncidentField, String?)] = [
            (.summary, content.summary), (.systemsAffected, content.systemsAffected), (.dataAffected, content.dataAffected), (.affectedPeople, people),
            (.businessImpact, content.businessImpact),
            (.countermeasures, content.countermeasures.map { text in
                content.responseStatus.map { "[\(t("incident.response.\($0.rawValue)", context))] " } .map { $0 + text } ?? text }),
            (.financialImpact, content.financialImpact?.text(language)), (.cause, content.cause), (.personalDataItems, content.personalDataItems),
            (.secondaryDamage, content.secondaryDamage), (.crossBorderImpact, content.crossBorderImpact),
        ]
        return ["title": content.title,
                "sections": sections.filter { $0.1 != nil }.map { ["label": $0.0.label(language), "paragraphs": Self.paragraphs($0.1!)] as [String: Any] }]
    }

    static func paragraphs(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: version page

    func versionPage(_ request: Request, _ context: AppContext) async throws -> Response {
        let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: context.identity)
        guard let number = context.parameters.get("version", as: Int.self),
              let version = try await IncidentVersion.query(on: services.db).filter(\.$incidentID == incident.id!).filter(\.$version == number).first(),
              let record = try? DisclosureJSON.decode(IncidentService.PublishedVersion.self, version.content) else { throw Problem.notFound }
        let latest = incident.latestVersion
        let values: [String: Any] = [
            "number": record.number, "version": record.version, "kind": t("incident.kind.\(record.kind.rawValue)", context),
            "isLatest": record.version == latest, "latestHref": "/disclosure/incidents/\(incident.publicID)", "latest": latest,
            "company": record.company.name, "code": record.company.securitiesCode, "companyHref": "/disclosure/companies/\(record.company.securitiesCode)",
            "published": when(version.publishedAt, context), "trigger": when(version.triggerAt, context), "due": when(version.dueAt, context),
            "late": version.late, "reason": record.reason ?? "", "content": contentView(record.content, context),
            "discovered": record.discoveredAt, "determined": record.determinedAt, "available": record.informationAvailableAt ?? "",
            "delays": record.clock.delays.map { $0.joined(separator: " – ") }, "hasDelays": !record.clock.delays.isEmpty,
            "logIndex": version.logIndex, "logHref": "/log/entries/\(version.logIndex)", "proofHref": "/api/v1/log/proof/inclusion?index=\(version.logIndex)",
            "apiHref": "/api/v1/disclosure/incidents/\(incident.publicID)/versions/\(version.version)",
            "others": (1...max(1, latest)).map { ["version": $0, "href": "/disclosure/incidents/\(incident.publicID)/versions/\($0)", "current": $0 == number] },
        ]
        return render("version", title: "\(record.number) v\(record.version)",
                      crumbs: [(t("incidents.title", context), "/disclosure/incidents"), (record.number, "/disclosure/incidents/\(incident.publicID)"),
                               (t("version.label", context) + " \(record.version)", nil)], values: values, request, context)
    }

    // MARK: forms

    func incidentForm(_ request: Request, _ context: AppContext, incident: Incident?, company: ListedCompany, values: [String: String], problem: Problem?) -> Response {
        var data: [String: Any] = values
        data["company"] = companyRow(company, context)
        data["isNew"] = incident == nil
        data["factsEditable"] = incident == nil || incident?.draftKind == .initial
        data["isAmendment"] = incident?.draftKind == .amendment
        data["action"] = incident.map { "/disclosure/incidents/\($0.publicID)/edit" } ?? "/disclosure/incidents"
        data["cancelHref"] = incident.map { "/disclosure/incidents/\($0.publicID)" } ?? "/disclosure/my"
        if let incident {
            data["factsText"] = ["discovered": when(incident.discoveredAt, context), "determined": when(incident.determinedAt, context),
                                 "available": when(incident.draftAvailableAt, context)]
        }
        data["personalDataChecked"] = values["personalData"] == "on"
        data["maliciousChecked"] = values["malicious"] == "on"
        data["responseOptions"] = ResponseStatus.allCases.map { ["value": $0.rawValue, "label": t("incident.response.\($0.rawValue)", context),
                                                                 "selected": values["responseStatus"] == $0.rawValue] as [String: Any] }
        data["financialOptions"] = FinancialImpactKind.allCases.map { ["value": $0.rawValue, "label": t("incident.financial.\($0.rawValue)", context),
                                                                       "checked": values["financialKind"] == $0.rawValue] as [String: Any] }
        if let problem { data.merge(formErrors(problem, context)) { $1 } }
        let title = incident == nil ? t("form.newTitle", context) : t("form.editTitle", context)
        var crumbs: [(label: String, href: String?)] = [(t("my.title", context), "/disclosure/my")]
        if let incident { crumbs.append((incident.number ?? t("incident.draftLabel", context), "/disclosure/incidents/\(incident.publicID)")) }
        crumbs.append((title, nil))
        return render("incident-form", title: title, crumbs: crumbs, values: data, status: problem?.status ?? .ok, request, context)
    }

    func createIncident(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let company = try await DisclosureStore.memberCompany(identity, on: services.db)
        let form = try await FormData.read(request, limit: limit)
        let parsed = IncidentForm(form)
        do {
            let (facts, content) = try parsed.parse(requireFacts: true, now: services.now)
            let incident = try await incidents.create(.init(occurredAt: facts.occurredAt, discoveredAt: facts.discoveredAt!, determinedAt: facts.determinedAt!,
                                                            personalData: facts.personalData, malicious: facts.malicious, content: content), identity: identity)
            if form.first("action") == "submit" {
                do { try await incidents.submit(incident, identity: identity) } catch let problem as Problem where problem.status == .unprocessableContent {
                    return incidentForm(request, context, incident: incident, company: company, values: parsed.values, problem: problem)
                }
                guard let fresh = try await Incident.find(incident.id!, on: services.db) else { throw Problem.notFound }
                return Self.redirect("/disclosure/incidents/\(fresh.publicID)?done=published")
            }
            return Self.redirect("/disclosure/incidents/\(incident.id!)?done=created")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return incidentForm(request, context, incident: nil, company: company, values: parsed.values, problem: problem)
        }
    }

    func updateIncident(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.require(.member)
        let incident = try await incidents.find(context.parameters.get("id") ?? "", identity: identity)
        try incidents.requireEditor(incident, identity)
        guard let company = try await ListedCompany.find(incident.companyID, on: services.db) else { throw Problem.notFound }
        let form = try await FormData.read(request, limit: limit)
        let parsed = IncidentForm(form)
        do {
            let factsEditable = incident.draftKind == .initial
            let (facts, content) = try parsed.parse(requireFacts: factsEditable, now: services.now)
            let input = IncidentService.UpdateInput(occurredAt: factsEditable ? facts.occurredAt : nil, discoveredAt: factsEditable ? facts.discoveredAt : nil,
                                                    determinedAt: factsEditable ? facts.determinedAt : nil, personalData: factsEditable ? facts.personalData : nil,
                                                    malicious: factsEditable ? facts.malicious : nil, content: content, reason: form.text("reason"))
            try await incidents.update(incident, input, identity: identity)
            if form.first("action") == "submit" {
                try await incidents.submit(incident, identity: identity)
                guard let fresh = try await Incident.find(incident.id!, on: services.db) else { throw Problem.notFound }
                return Self.redirect("/disclosure/incidents/\(fresh.publicID)?done=published")
            }
            return Self.redirect("/disclosure/incidents/\(incident.publicID)?done=saved")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return incidentForm(request, context, incident: incident, company: company, values: parsed.values, problem: problem)
        }
    }

    // MARK: dashboard and my page

    func dashboard(_ request: Request, _ context: AppContext) async throws -> Response {
        try context.require(.reviewer)
        let data = try await DashboardBuilder(services: services).load()
        let now = services.now
        func row(_ entry: DashboardBuilder.Entry) -> [String: Any] {
            var row = obligationRow(entry.obligation, incident: entry.incident, editor: false, context, now: now)
            row["incident"] = incidentRow(entry.incident, company: entry.company, context)
            return row
        }
        let values: [String: Any] = [
            "open": data.open.map(row), "hasOpen": !data.open.isEmpty, "overdue": data.overdue.map(row), "hasOverdue": !data.overdue.isEmpty,
            "pending": data.pendingDelays.map { item -> [String: Any] in
                ["incident": incidentRow(item.incident, company: item.company, context), "grounds": item.delay.grounds,
                 "requestedUntil": when(item.delay.requestedUntil, context), "requested": when(item.delay.requestedAt, context),
                 "decideAction": "/disclosure/delays/\(item.delay.id!)/decision", "untilInput": FormTime.inputValue(item.delay.requestedUntil),
                 "id": item.delay.id!.uuidString]
            },
            "hasPending": !data.pendingDelays.isEmpty,
            "late": data.late.map { incidentRow($0.incident, company: $0.company, context) }, "hasLate": !data.late.isEmpty,
            "generated": when(now, context),
        ]
        return render("dashboard", title: t("dashboard.title", context), crumbs: [(t("dashboard.title", context), nil)], values: values, request, context)
    }

    func myPage(_ request: Request, _ context: AppContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let company = try await DisclosureStore.memberCompany(identity, on: services.db)
        let list = try await incidents.organisationList(identity.organisationID!)
        let annualList = try await AnnualDisclosure.query(on: services.db).filter(\.$companyID == company.id!).sort(\.$fiscalYear, .descending).all()
        let thisYear = JapanTime.date(of: services.now).year
        let taken = Set(annualList.map(\.fiscalYear))
        let years = (max(2000, thisYear - 5)...thisYear).reversed().filter { !taken.contains($0) }
        return render("my", title: t("my.title", context), crumbs: [(t("my.title", context), nil)], values: [
            "company": companyRow(company, context),
            "incidents": list.map { incidentRow($0, company: company, context) }, "hasIncidents": !list.isEmpty,
            "annual": annualList.map { annual -> [String: Any] in
                ["fiscalYear": FiscalYear.label(annual.fiscalYear, endMonth: company.fiscalYearEndMonth, context.language),
                 "status": t(annual.status == .published ? "annual.published" : "annual.draft", context), "hasDraft": annual.draftContent != nil,
                 "href": "/disclosure/annual/\(annual.id!)", "version": annual.latestVersion]
            },
            "hasAnnual": !annualList.isEmpty,
            "years": years.map { ["value": $0, "label": FiscalYear.label($0, endMonth: company.fiscalYearEndMonth, context.language), "selected": $0 == thisYear - 1] as [String: Any] },
            "canStartAnnual": !years.isEmpty,
            "error": request.uri.queryParameters["error"].flatMap { ["annualExists", "annualYear"].contains(String($0)) ? t("my.error.\($0)", context) : nil } ?? "",
        ], request, context)
    }
}

/// The incident form: raw values for re-display and their parsing into domain input.
struct IncidentForm {
    var values: [String: String]

    static let names = ["occurredAt", "discoveredAt", "determinedAt", "personalData", "malicious", "title", "summary", "systemsAffected", "dataAffected",
                        "affectedPeople", "affectedPeopleNote", "businessImpact", "countermeasures", "responseStatus", "financialKind", "amountYen",
                        "minYen", "maxYen", "undeterminedReason", "cause", "personalDataItems", "secondaryDamage", "crossBorderImpact", "reason"]

    init(_ form: FormData) {
        values = [:]
        for name in Self.names { values[name] = form.first(name) ?? "" }
    }

    init(values: [String: String]) { self.values = values }

    static func defaults(now: Date) -> [String: String] {
        ["determinedAt": FormTime.inputValue(now), "financialKind": FinancialImpactKind.undetermined.rawValue]
    }

    static func values(_ incident: Incident, _ content: IncidentContent) -> [String: String] {
        var v: [String: String] = [
            "occurredAt": FormTime.inputValue(incident.occurredAt), "discoveredAt": FormTime.inputValue(incident.discoveredAt),
            "determinedAt": FormTime.inputValue(incident.determinedAt), "personalData": incident.personalData ? "on" : "",
            "malicious": incident.malicious ? "on" : "", "title": content.title, "summary": content.summary ?? "",
            "systemsAffected": content.systemsAffected ?? "", "dataAffected": content.dataAffected ?? "",
            "affectedPeople": content.affectedPeople.map(String.init) ?? "", "affectedPeopleNote": content.affectedPeopleNote ?? "",
            "businessImpact": content.businessImpact ?? "", "countermeasures": content.countermeasures ?? "",
            "responseStatus": content.responseStatus?.rawValue ?? "", "cause": content.cause ?? "", "personalDataItems": content.personalDataItems ?? "",
            "secondaryDamage": content.secondaryDamage ?? "", "crossBorderImpact": content.crossBorderImpact ?? "", "reason": incident.draftReason ?? "",
        ]
        if let impact = content.financialImpact {
            v["financialKind"] = impact.kind.rawValue
            v["amountYen"] = impact.amountYen.map(String.init) ?? ""
            v["minYen"] = impact.minYen.map(String.init) ?? ""
            v["maxYen"] = impact.maxYen.map(String.init) ?? ""
            v["undeterminedReason"] = impact.undeterminedReason ?? ""
        }
        return v
    }

    struct Facts {
        var occurredAt: Date?
        var discoveredAt: Date?
        var determinedAt: Date?
        var personalData: Bool
        var malicious: Bool
    }

    /// Integers written with commas, spaces or full-width digits.
    static func integer(_ text: String) -> Int? {
        let cleaned = PassageClassifier.halfWidthDigits(text).replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "")
            .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "円", with: "").replacingOccurrences(of: "人", with: "")
        return Int(cleaned)
    }

    /// Reads the form. When a field cannot be read, the rules of the parts that could be read are
    /// checked too, so the error summary lists every problem at once.
    func parse(requireFacts: Bool, now: Date) throws -> (Facts, IncidentContent) {
        var errors = ValidationErrors()
        func text(_ name: String) -> String? { values[name]?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        func time(_ name: String, required: Bool) -> Date? {
            guard let raw = text(name) else {
                if required {
                    errors.add("/" + name, code: FieldError.Code.missing, .init(ja: "日時を入力してください。", en: "Enter the date and time."))
                }
                return nil
            }
            guard let date = FormTime.parse(raw) else {
                errors.add("/" + name, code: FieldError.Code.invalid, .init(ja: "日時の形式が正しくありません。", en: "The date and time are not valid."))
                return nil
            }
            return date
        }
        func number(_ name: String) -> Int? {
            guard let raw = text(name) else { return nil }
            guard let value = Self.integer(raw) else {
                errors.add("/" + name, code: FieldError.Code.type,
                           .init(ja: "数字で入力してください。", en: "Enter a whole number."))
                return nil
            }
            return value
        }
        let facts = Facts(occurredAt: time("occurredAt", required: false), discoveredAt: time("discoveredAt", required: requireFacts),
                          determinedAt: time("determinedAt", required: requireFacts), personalData: values["personalData"] == "on",
                          malicious: values["malicious"] == "on")
        var content = IncidentContent(title: text("title") ?? "")
        content.summary = text("summary"); content.systemsAffected = text("systemsAffected"); content.dataAffected = text("dataAffected")
        content.affectedPeople = number("affectedPeople"); content.affectedPeopleNote = text("affectedPeopleNote")
        content.businessImpact = text("businessImpact"); content.countermeasures = text("countermeasures")
        content.responseStatus = text("responseStatus").flatMap(ResponseStatus.init(rawValue:))
        content.cause = text("cause"); content.personalDataItems = text("personalDataItems"); content.secondaryDamage = text("secondaryDamage")
        content.crossBorderImpact = text("crossBorderImpact")
        if let kind = text("financialKind").flatMap(FinancialImpactKind.init(rawValue:)) {
            let amount = number("amountYen"), lower = number("minYen"), upper = number("maxYen")
            content.financialImpact = FinancialImpact(kind: kind, amountYen: kind == .amount ? amount : nil, minYen: kind == .range ? lower : nil,
                                                      maxYen: kind == .range ? upper : nil, undeterminedReason: kind == .undetermined ? text("undeterminedReason") : nil)
        }
        // Number errors point at the financial impact group in the form.
        let adjusted = errors.errors.map { error -> FieldError in
            guard ["/amountYen", "/minYen", "/maxYen"].contains(error.pointer) else { return error }
            return FieldError(pointer: "/financialImpact" + error.pointer, code: error.code, detail: error.detail, detailJa: error.detailJa)
        }
        if !adjusted.isEmpty {
            var all = adjusted
            if let discovered = facts.discoveredAt, let determined = facts.determinedAt {
                all += IncidentFacts(occurredAt: facts.occurredAt, discoveredAt: discovered, determinedAt: determined).problems(now: now)
            }
            all += content.draftProblems()
            var seen = Set<String>()
            throw Problem.validation(all.filter { seen.insert($0.pointer).inserted })
        }
        return (facts, content)
    }
}
