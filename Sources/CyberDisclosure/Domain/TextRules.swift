import Foundation
import ShinraiKit

/// Free text that is stored and published: no NUL or other control characters (tab and line
/// breaks excepted), no non-characters. PostgreSQL refuses NUL in text, and the published
/// records and feeds must be valid XML and JSON text.
enum TextRules {
    static func isAcceptable(_ text: String) -> Bool {
        !text.unicodeScalars.contains { scalar in
            let v = scalar.value
            return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F || v == 0xFFFE || v == 0xFFFF
        }
    }

    /// Adds an error for each text with forbidden characters.
    static func check(_ texts: [(pointer: String, text: String?)], into errors: inout ValidationErrors) {
        for (pointer, text) in texts {
            guard let text, !isAcceptable(text) else { continue }
            errors.add(pointer, code: FieldError.Code.invalid,
                       .init(ja: "制御文字（NULなど）は使えません。", en: "Control characters (such as NUL) are not allowed."))
        }
    }
}
