import Foundation
import ShinraiKit
import Testing
@testable import UseCases

@Suite("Prompt templates")
struct PromptTemplateTests {
    @Test("variables are found in order, once each; Japanese names work")
    func variables() throws {
        let t = try PromptTemplate(parsing: "{{会議名}}の議事録を{{ 文字数 }}字で。{{会議名}}を題名に。")
        #expect(t.variableNames == ["会議名", "文字数"])
    }

    @Test("filling replaces every occurrence; missing or blank values are reported and left as placeholders")
    func missing() throws {
        let t = try PromptTemplate(parsing: "{{a}} と {{b}} と {{a}}")
        let partial = t.fill(["a": "東京", "b": "  "])
        #expect(partial.text == "東京 と {{b}} と 東京")
        #expect(partial.missing == ["b"])
        #expect(!partial.isComplete)
        #expect(t.fill(["a": "1", "b": "2"]) == .init(text: "1 と 2 と 1", missing: []))
    }

    @Test("a value is inserted as it is: no second expansion, no HTML interpretation")
    func noReexpansion() throws {
        let t = try PromptTemplate(parsing: "{{x}}/{{y}}")
        let filled = t.fill(["x": "{{y}}", "y": "<script>alert(1)</script>"])
        #expect(filled.text == "{{y}}/<script>alert(1)</script>")
        #expect(filled.isComplete)
    }

    @Test("\\{{ writes literal braces; syntax errors are refused")
    func syntax() throws {
        let literal = try PromptTemplate(parsing: "JSON: \\{{\"a\": 1}} {{x}}")
        #expect(literal.variableNames == ["x"])
        #expect(literal.fill(["x": "y"]).text == "JSON: {{\"a\": 1}} y")
        #expect(throws: PromptTemplate.SyntaxError.unclosed) { try PromptTemplate(parsing: "{{会議名") }
        #expect(throws: PromptTemplate.SyntaxError.emptyName) { try PromptTemplate(parsing: "{{ }}") }
        #expect(throws: PromptTemplate.SyntaxError.invalidName("a b")) { try PromptTemplate(parsing: "{{a b}}") }
        #expect(throws: (any Error).self) { try PromptTemplate(parsing: "{{" + String(repeating: "あ", count: 41) + "}}") }
    }
}

@Suite("Japanese search text")
struct SearchTextTests {
    @Test("NFKC, case and kana folding: full-width, half-width and katakana forms meet")
    func normalise() {
        #expect(SearchText.normalise("ＡＩチャット") == "aiちゃっと")
        #expect(SearchText.normalise("ｶﾞｲﾄﾞﾌﾞｯｸ") == "がいどぶっく")
        // Same code points, not only canonically equal: the database compares code points.
        #expect(Array(SearchText.normalise("ｶﾞｲﾄﾞﾌﾞｯｸ").unicodeScalars) == Array("がいどぶっく".unicodeScalars))
        #expect(SearchText.normalise("㍿ＡＢＣ　１２３") == "株式会社abc 123")
        #expect(SearchText.normalise("ヴァイオリン") == "ゔぁいおりん")
    }

    @Test("terms split at ASCII and ideographic spaces, without duplicates")
    func terms() {
        #expect(SearchText.terms("議事録　要約 ＡＩ 議事録") == ["議事録", "要約", "ai"])
        #expect(SearchText.terms("   ") == [])
    }

    @Test("highlighting marks the original characters, also across width and kana forms")
    func highlight() {
        let segments = SearchText.highlight("ＡＩで議事録を作る", terms: SearchText.terms("ai ぎじろく 議事"))
        #expect(segments == [.init(text: "ＡＩ", marked: true), .init(text: "で", marked: false), .init(text: "議事", marked: true),
                             .init(text: "録を作る", marked: false)])
        let kana = SearchText.highlight("ｶﾞｲﾄﾞを読む", terms: ["がいど"])
        #expect(kana.first == .init(text: "ｶﾞｲﾄﾞ", marked: true))
    }

    @Test("HTML highlighting escapes first, then marks")
    func escapeThenMark() {
        let html = SearchText.html(SearchText.highlight("<b>議事録</b> & \"x\"", terms: ["議事"]))
        #expect(html == "&lt;b&gt;<mark>議事</mark>録&lt;/b&gt; &amp; &quot;x&quot;")
        // A term that is itself markup is matched as text and stays escaped.
        #expect(SearchText.html(SearchText.highlight("a<mark>b", terms: ["<mark>"])) == "a<mark>&lt;mark&gt;</mark>b")
    }

    @Test("snippets cut around the first match with ellipses")
    func snippet() {
        let text = String(repeating: "あ", count: 200) + "議事録" + String(repeating: "い", count: 200)
        let s = SearchText.snippet(text, terms: ["議事録"], length: 40)
        #expect(s.first?.text == "…" && s.last?.text == "…")
        #expect(s.contains(.init(text: "議事録", marked: true)))
        #expect(s.map(\.text).joined().count == 42)
    }
}

@Suite("Use case content rules")
struct ContentRuleTests {
    let categories: Set<String> = ["minutes", "other"]

    @Test("valid content passes; risk checks implied by the answers are added")
    func valid() {
        let content = Fixture.content(prompts: [Fixture.prompt]).normalised()
        #expect(content.validationErrors(categories: categories) == [])
        #expect(content.governance.riskChecks == [.sensitiveData])
        #expect(content.governance.highRisk)
        var open = Fixture.content()
        open.governance.confidentiality = 1
        #expect(!open.normalised().governance.highRisk)
        open.governance.humanReview = false
        #expect(open.normalised().governance.riskChecks == [.noHumanCheck])
    }

    @Test("each rule names its field by JSON pointer")
    func pointers() {
        var c = Fixture.content(prompts: [.init(title: "p", template: "{{a}} {{b}", variables: [], sampleOutput: nil),
                                          .init(title: "q", template: "{{a}}", variables: [.init(name: "z", example: "1")], sampleOutput: nil)])
        c.title = "  "
        c.industry = "Z"
        c.category = "unknown"
        c.municipalityScale = nil
        c.organisationType = .sme
        c.municipalityScale = .city
        c.solutionSteps = []
        c.results = .init(hoursSavedPerMonth: -1, monthlyCostYen: 2_000_000_000_000, quality: "良くなった", measurement: nil)
        c.governance.confidentiality = 4
        c.contact = .init(department: "", email: "not-an-email", url: "javascript:alert(1)")
        let pointers = Set(c.normalised().validationErrors(categories: categories).map(\.pointer))
        #expect(pointers == ["/title", "/industry", "/category", "/municipalityScale", "/solutionSteps", "/prompts/0/template",
                             "/prompts/1/variables", "/prompts/1/variables/0/name", "/results/hoursSavedPerMonth", "/results/monthlyCostYen",
                             "/results/measurement", "/governance/confidentiality", "/contact/department", "/contact/email", "/contact/url"])
    }

    @Test("the JSIC major group must belong to the division")
    func industryGroup() {
        var c = Fixture.content(industry: "E")
        c.industryGroup = "09"
        #expect(c.normalised().validationErrors(categories: categories).isEmpty)
        c.industryGroup = "44"
        #expect(c.normalised().validationErrors(categories: categories).map(\.pointer) == ["/industryGroup"])
        #expect(JSIC.allGroups.count == 99)
    }
}

@Suite("Workflow rules")
struct WorkflowTests {
    let owner = Standing(isOwner: true, isModerator: false)
    let moderator = Standing(isOwner: false, isModerator: true)
    let ownModerator = Standing(isOwner: true, isModerator: true)
    let stranger = Standing(isOwner: false, isModerator: false)

    func next(_ action: WorkflowAction, _ status: SubmissionStatus, _ who: Standing, everPublished: Bool = false, listed: Bool = false) -> Result<SubmissionStatus, Workflow.Refusal> {
        Workflow.next(after: action, from: status, everPublished: everPublished, listed: listed, by: who)
    }

    @Test("only the owner edits and submits; only moderators of another organisation decide")
    func who() {
        #expect(next(.edit, .draft, owner) == .success(.draft))
        #expect(next(.edit, .draft, moderator) == .failure(.notAllowed))
        #expect(next(.edit, .draft, stranger) == .failure(.notAllowed))
        #expect(next(.submit, .draft, moderator) == .failure(.notAllowed))
        #expect(next(.publish, .submitted, owner) == .failure(.notAllowed))
        #expect(next(.publish, .submitted, ownModerator) == .failure(.ownOrganisation))
        #expect(next(.publish, .submitted, moderator) == .success(.published))
        #expect(next(.publish, .submitted, .system) == .success(.published))
        #expect(next(.requestChanges, .submitted, moderator) == .success(.changesRequested))
    }

    @Test("each action only in its states")
    func when() {
        #expect(next(.edit, .submitted, owner) == .failure(.wrongState(.submitted)))
        #expect(next(.edit, .published, owner, everPublished: true, listed: true) == .success(.draft))
        #expect(next(.publish, .draft, moderator) == .failure(.wrongState(.draft)))
        #expect(next(.recall, .submitted, owner) == .success(.draft))
        #expect(next(.withdraw, .draft, owner) == .failure(.wrongState(.draft)))
        #expect(next(.withdraw, .draft, owner, everPublished: true, listed: true) == .success(.withdrawn))
        #expect(next(.withdraw, .published, moderator, everPublished: true, listed: true) == .success(.withdrawn))
        #expect(next(.discard, .draft, owner) == .success(.draft))
        #expect(next(.discard, .draft, owner, everPublished: true, listed: true) == .failure(.wrongState(.draft)))
        #expect(Workflow.allowed(from: .submitted, everPublished: false, listed: false, by: owner) == [.recall])
    }
}
