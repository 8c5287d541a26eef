import ShinraiKit
import Testing
@testable import CloudAssurance

/// Every state × event × role of each state machine, against tables written out here by hand
/// (not derived from the implementation): the allowed steps succeed with the right target, every
/// other combination is refused.
@Suite("State machines: every allowed and refused transition")
struct WorkflowTests {
    static let roles = WorkflowRole.allCases

    func check<S: Hashable & CaseIterable & RawRepresentable & Sendable, E: Hashable & CaseIterable & RawRepresentable & Sendable>(
        _ allowed: [(S, E, WorkflowRole, S)], next: (S, E, WorkflowRole) -> Result<S, WorkflowError>
    ) where S.RawValue == String, E.RawValue == String {
        var expected: [String: S] = [:]
        for (from, event, role, to) in allowed { expected["\(from.rawValue)|\(event.rawValue)|\(role.rawValue)"] = to }
        var allowedCount = 0, refusedCount = 0
        for state in S.allCases {
            for event in E.allCases {
                for role in Self.roles {
                    let key = "\(state.rawValue)|\(event.rawValue)|\(role.rawValue)"
                    switch next(state, event, role) {
                    case .success(let to):
                        #expect(expected[key] == to, "\(key) should be refused, got \(to.rawValue)")
                        allowedCount += 1
                    case .failure(let error):
                        #expect(expected[key] == nil, "\(key) should lead to \(expected[key].map(\.rawValue) ?? "-"), was refused: \(error.text.en)")
                        #expect(!error.text.ja.isEmpty && !error.text.en.isEmpty)
                        refusedCount += 1
                    }
                }
            }
        }
        #expect(allowedCount == allowed.count)
        #expect(allowedCount + refusedCount == S.allCases.count * E.allCases.count * Self.roles.count)
    }

    @Test("ISMAP-Ready")
    func ready() {
        let p = WorkflowRole.provider, r = WorkflowRole.reviewer, s = WorkflowRole.system
        let allowed: [(ReadyStatus, ReadyEvent, WorkflowRole, ReadyStatus)] = [
            (.draft, .submit, p, .submitted), (.returned, .submit, p, .submitted),
            (.submitted, .list, r, .listed), (.submitted, .return, r, .returned),
            (.listed, .fileReport, p, .listed), (.lapsed, .fileReport, p, .listed), (.applied, .fileReport, p, .applied),
            (.listed, .lapse, s, .lapsed),
            (.listed, .markApplied, p, .applied), (.listed, .markApplied, r, .applied), (.lapsed, .markApplied, p, .applied), (.lapsed, .markApplied, r, .applied),
            (.listed, .markRegistered, r, .registered), (.lapsed, .markRegistered, r, .registered), (.applied, .markRegistered, r, .registered),
            (.listed, .markRegistered, s, .registered), (.lapsed, .markRegistered, s, .registered), (.applied, .markRegistered, s, .registered),
            (.draft, .withdraw, p, .withdrawn), (.submitted, .withdraw, p, .withdrawn), (.returned, .withdraw, p, .withdrawn),
            (.listed, .withdraw, p, .withdrawn), (.lapsed, .withdraw, p, .withdrawn), (.applied, .withdraw, p, .withdrawn),
        ]
        check(allowed, next: ReadyWorkflow.next)
    }

    @Test("Fast Track")
    func fastTrack() {
        let p = WorkflowRole.provider, r = WorkflowRole.reviewer, s = WorkflowRole.system
        let allowed: [(FastTrackStatus, FastTrackEvent, WorkflowRole, FastTrackStatus)] = [
            (.draft, .submit, p, .submitted), (.returned, .submit, p, .submitted),
            (.submitted, .return, r, .returned), (.verified, .return, r, .returned),
            (.submitted, .verify, r, .verified), (.verified, .grant, r, .provisional),
            (.provisional, .promote, r, .promoted), (.provisional, .expire, s, .expired), (.provisional, .revoke, r, .revoked),
            (.draft, .withdraw, p, .withdrawn), (.submitted, .withdraw, p, .withdrawn), (.returned, .withdraw, p, .withdrawn),
            (.verified, .withdraw, p, .withdrawn), (.provisional, .withdraw, p, .withdrawn),
        ]
        check(allowed, next: FastTrackWorkflow.next)
    }

    @Test("ISMAP and ISMAP-LIU registrations")
    func registration() {
        let p = WorkflowRole.provider, r = WorkflowRole.reviewer
        let allowed: [(RegistrationStatus, RegistrationEvent, WorkflowRole, RegistrationStatus)] = [
            (.draft, .submit, p, .submitted), (.returned, .submit, p, .submitted),
            (.submitted, .return, r, .returned), (.submitted, .register, r, .registered),
            (.registered, .suspend, r, .suspended), (.suspended, .reinstate, r, .registered),
            (.registered, .remove, r, .removed), (.suspended, .remove, r, .removed),
            (.draft, .withdraw, p, .withdrawn), (.submitted, .withdraw, p, .withdrawn), (.returned, .withdraw, p, .withdrawn),
            (.registered, .withdraw, p, .withdrawn), (.suspended, .withdraw, p, .withdrawn),
        ]
        check(allowed, next: RegistrationWorkflow.next)
    }

    @Test("remediation items")
    func remediation() {
        let p = WorkflowRole.provider, r = WorkflowRole.reviewer
        let allowed: [(RemediationStatus, RemediationEvent, WorkflowRole, RemediationStatus)] = [
            (.open, .start, p, .inProgress), (.open, .complete, p, .done), (.inProgress, .complete, p, .done),
            (.done, .close, r, .closed), (.done, .reopen, r, .open), (.closed, .reopen, r, .open),
        ]
        check(allowed, next: { RemediationWorkflow.table.next(from: $0, on: $1, by: $2) })
    }

    @Test("a wrong role is a 403, a wrong state a 409 with the state named")
    func problems() {
        guard case .failure(let role) = ReadyWorkflow.next(from: .submitted, on: .list, by: .provider),
              case .failure(let state) = ReadyWorkflow.next(from: .draft, on: .list, by: .reviewer) else {
            Issue.record("both must be refused"); return
        }
        #expect(role.problem.status == .forbidden)
        #expect(state.problem.status == .conflict)
        #expect(state.text.en.contains("draft"))
    }

    @Test("public states: drafts, submissions and returns are never public")
    func publicStates() {
        #expect(ReadyStatus.allCases.filter(\.isPublic) == [.listed, .lapsed, .applied, .registered, .withdrawn])
        #expect(FastTrackStatus.allCases.filter(\.isPublic) == [.provisional, .promoted, .expired, .withdrawn, .revoked])
        #expect(RegistrationStatus.allCases.filter(\.isPublic) == [.registered, .suspended, .removed, .withdrawn])
    }

    @Test("promotion needs every answer reviewed, no request for information open, and every gap remedied and closed")
    func promotionReadiness() {
        let questions = ["Q1", "Q2", "Q3", "Q4"]
        typealias A = PromotionReadiness.AnswerState
        typealias R = PromotionReadiness.RemediationState
        var blockers = PromotionReadiness.blockers(questions: questions, answers: [
            A(question: "Q1", answered: true, finding: .ok), A(question: "Q2", answered: true, finding: nil),
            A(question: "Q3", answered: true, finding: .needsInfo),
        ], remediations: [])
        #expect(blockers == [.notReviewed(question: "Q2"), .needsInformation(question: "Q3"), .unanswered(question: "Q4")])
        blockers = PromotionReadiness.blockers(questions: ["Q1", "Q2"], answers: [A(question: "Q1", answered: true, finding: .ok), A(question: "Q2", answered: true, finding: .gap)],
                                               remediations: [])
        #expect(blockers == [.gapWithoutRemediation(question: "Q2")])
        blockers = PromotionReadiness.blockers(questions: ["Q1", "Q2"], answers: [A(question: "Q1", answered: true, finding: .ok), A(question: "Q2", answered: true, finding: .gap)],
                                               remediations: [R(title: "fix", question: "Q2", status: .done)])
        #expect(blockers == [.remediationOpen(item: "fix")])
        blockers = PromotionReadiness.blockers(questions: ["Q1", "Q2"], answers: [A(question: "Q1", answered: true, finding: .ok), A(question: "Q2", answered: true, finding: .gap)],
                                               remediations: [R(title: "fix", question: "Q2", status: .closed)])
        #expect(blockers.isEmpty)
    }
}
