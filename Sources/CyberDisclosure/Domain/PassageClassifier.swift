import Foundation
import ShinraiKit

/// Proposes which of the six items each passage of a pasted securities-report section covers,
/// for a person to confirm.
///
/// The text is cut into passages at blank lines and line breaks (long paragraphs also at 「。」).
/// Each passage scores every item by weighted keywords; the best-scoring item is proposed when it
/// scores at least `threshold`. A short line without 「。」 that names an item (a heading such as
/// 「（2）リスク管理」) decides for the passages under it that have too few words of their own, and
/// breaks ties, because reports are usually organised by heading. Counts written in the text (「重大インシデントは0件」「受講率98％」
/// 「取締役会に年4回報告」) are proposed as figures.
public enum PassageClassifier {
    public struct Proposal: Sendable, Equatable {
        public var index: Int
        public var text: String
        public var item: AnnualItem?
        public var score: Int
        public var matched: [String]
        public var isHeading: Bool
        public var figures: [FigureProposal]
    }

    public struct FigureProposal: Sendable, Equatable {
        public var item: AnnualItem
        public var key: String
        public var value: FigureValue
        public var evidence: String
    }

    public static let threshold = 3
    static let headingBonus = 3
    public static let maxPassages = 400
    public static let maxCharacters = 100_000

    /// Keywords and weights per item. Longer, more specific words weigh more.
    static let keywords: [AnnualItem: [(String, Int)]] = [
        .governance: [("ガバナンス", 3), ("取締役会", 3), ("CISO", 3), ("最高情報セキュリティ責任者", 4), ("責任者", 2), ("担当役員", 3),
                      ("監督", 2), ("専門知識", 3), ("専門性", 3), ("スキル", 2), ("経歴", 2), ("資格", 1), ("委員会", 1), ("執行役員", 1),
                      ("体制", 1), ("board", 2), ("oversight", 2)],
        .informationAssets: [("情報資産", 4), ("守るべき", 3), ("保護対象", 3), ("機密情報", 2), ("顧客情報", 2), ("個人情報", 1),
                             ("技術情報", 2), ("営業秘密", 2), ("重要情報", 2), ("資産台帳", 3), ("台帳", 2), ("重要な資産", 3), ("制御システム", 2)],
        .riskManagement: [("リスク管理", 3), ("リスクマネジメント", 3), ("リスク評価", 3), ("リスクアセスメント", 3), ("全社的リスク", 3),
                          ("外部評価", 3), ("第三者評価", 3), ("外部の専門", 2), ("監査", 2), ("脆弱性", 2), ("診断", 1), ("NIST", 2),
                          ("ISO", 2), ("ISMS", 2), ("CSIRT", 1), ("SOC", 1), ("監視", 1), ("フレームワーク", 2)],
        .seriousIncidents: [("重大インシデント", 4), ("重大なインシデント", 4), ("インシデント", 2), ("発生件数", 3), ("件数", 1),
                            ("発生しておりません", 3), ("発生はありません", 3), ("発生していません", 3), ("ランサムウェア", 1), ("不正アクセス", 1), ("被害", 1)],
        .educationDrills: [("教育", 3), ("研修", 3), ("訓練", 3), ("演習", 3), ("受講", 2), ("受講率", 3), ("eラーニング", 2), ("e-ラーニング", 2),
                           ("標的型", 2), ("啓発", 2), ("机上", 2), ("全従業員", 1), ("リテラシー", 2)],
        .supplyChain: [("サプライチェーン", 4), ("取引先", 3), ("委託先", 3), ("外部委託", 2), ("再委託", 2), ("仕入先", 2), ("調達", 2),
                       ("ベンダー", 2), ("グループ会社", 1), ("子会社", 1), ("契約", 1)],
    ]


    /// Keywords that contain another keyword (「CISO」 contains 「ISO」, 「最高情報セキュリティ責任者」 contains 「責任者」).
    static let longerKeywords: [String: [String]] = {
        let words = Set(keywords.values.flatMap { $0.map(\.0) })
        var result: [String: [String]] = [:]
        for word in words {
            let longer = words.filter { $0 != word && $0.range(of: word, options: .caseInsensitive) != nil }
            if !longer.isEmpty { result[word] = longer.sorted { $0.count > $1.count } }
        }
        return result
    }()

    /// Whether `word` occurs in the passage outside every longer keyword that contains it, so that
    /// 「CISO」 is not also read as 「ISO」 (a risk-management standard).
    static func occurs(_ word: String, in passage: String) -> Bool {
        var text = passage
        for longer in longerKeywords[word] ?? [] {
            text = text.replacingOccurrences(of: longer, with: "\u{3000}", options: .caseInsensitive)
        }
        return text.range(of: word, options: .caseInsensitive) != nil
    }
    public static func classify(_ text: String) -> [Proposal] {
        var proposals: [Proposal] = []
        var headingItem: AnnualItem?
        for passage in passages(text) {
            guard proposals.count < maxPassages else { break }
            let isHeading = passage.count <= 40 && !passage.contains("。")
            var scores: [AnnualItem: Int] = [:]
            var matched: [String] = []
            for item in AnnualItem.allCases {
                for (word, weight) in keywords[item] ?? [] where occurs(word, in: passage) {
                    scores[item, default: 0] += weight
                    matched.append(word)
                }
            }
            let own = best(scores)
            var item: AnnualItem?
            var score = own?.score ?? 0
            if isHeading {
                if let own, own.score >= threshold { headingItem = own.item; item = own.item }
            } else if let own, own.score >= threshold {
                // A passage's own words decide; on a tie the heading above it does.
                if let heading = headingItem, scores[heading] == own.score { item = heading } else { item = own.item }
            } else if let heading = headingItem {
                // Too few words of its own: the heading above it decides.
                item = heading
                score = (scores[heading] ?? 0) + headingBonus
            }
            var proposal = Proposal(index: proposals.count, text: passage, item: item, score: score,
                                    matched: Array(Set(matched)).sorted(), isHeading: isHeading, figures: [])
            if !isHeading { proposal.figures = figures(in: passage) }
            proposals.append(proposal)
        }
        return proposals
    }

    static func best(_ scores: [AnnualItem: Int]) -> (item: AnnualItem, score: Int)? {
        // Ties go to the item listed first, so the result does not depend on dictionary order.
        var result: (item: AnnualItem, score: Int)?
        for item in AnnualItem.allCases {
            guard let score = scores[item], score > 0 else { continue }
            if result == nil || score > result!.score { result = (item, score) }
        }
        return result
    }

    /// Paragraphs and lines; long ones also cut after 「。」.
    static func passages(_ text: String) -> [String] {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out: [String] = []
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{3000}")))
            guard !trimmed.isEmpty else { continue }
            if trimmed.count <= 300 { out.append(trimmed); continue }
            var sentence = ""
            for character in trimmed {
                sentence.append(character)
                if character == "。" && sentence.count >= 40 { out.append(sentence); sentence = "" }
            }
            if !sentence.trimmingCharacters(in: .whitespaces).isEmpty { out.append(sentence) }
        }
        return out
    }

    /// ASCII digits for full-width ones, so 「１２回」 reads as 12.
    static func halfWidthDigits(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0xFF10...0xFF19).contains(scalar.value) ? Unicode.Scalar(scalar.value - 0xFEE0)! : (scalar == "％" ? "%" : scalar)
        }))
    }

    static func figures(in passage: String) -> [FigureProposal] {
        let text = halfWidthDigits(passage)
        var out: [FigureProposal] = []
        func add(_ item: AnnualItem, _ key: String, _ value: Int, _ evidence: Substring) {
            guard !out.contains(where: { $0.item == item && $0.key == key }) else { return }
            let kind = item.figure(key)?.kind ?? .count
            guard kind.range.contains(value) else { return }
            out.append(FigureProposal(item: item, key: key, value: .number(value), evidence: String(evidence)))
        }
        if text.contains("インシデント") {
            if let match = text.firstMatch(of: /(?:重大な?インシデント)[^。]{0,30}?(\d{1,4})\s*件/) {
                add(.seriousIncidents, "seriousIncidents", Int(match.1)!, match.0)
            } else if let match = text.firstMatch(of: /重大な?インシデント[^。]{0,30}?(発生しておりません|発生はありません|発生していません|ありませんでした)/) {
                add(.seriousIncidents, "seriousIncidents", 0, match.0)
            }
        }
        if let match = text.firstMatch(of: /受講率[^。\d]{0,10}(\d{1,3})(?:\.\d+)?\s*%/) {
            add(.educationDrills, "participationPercent", Int(match.1)!, match.0)
        }
        if let match = text.firstMatch(of: /取締役会[^。]{0,40}?年\s*(\d{1,3})\s*回/) {
            add(.governance, "boardReportsPerYear", Int(match.1)!, match.0)
        }
        if let match = text.firstMatch(of: /(?:訓練|演習)[^。]{0,30}?年\s*(\d{1,3})\s*回|年\s*(\d{1,3})\s*回[^。]{0,20}?(?:訓練|演習)/) {
            add(.educationDrills, "drills", Int(match.1 ?? match.2 ?? "0")!, match.0)
        }
        if let match = text.firstMatch(of: /(?:研修|教育)[^。]{0,30}?年\s*(\d{1,3})\s*回|年\s*(\d{1,3})\s*回[^。]{0,20}?(?:研修|教育)/) {
            add(.educationDrills, "trainingSessions", Int(match.1 ?? match.2 ?? "0")!, match.0)
        }
        if let match = text.firstMatch(of: /(\d{1,6})\s*社[^。]{0,20}?(?:評価|監査|調査)/), text.contains("取引先") || text.contains("委託先") {
            add(.supplyChain, "suppliersAssessed", Int(match.1)!, match.0)
        }
        return out
    }
}
