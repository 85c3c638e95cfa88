//! Names people type: one stored form per name (Unicode NFC), and nothing that displays as
//! nothing, so that two names that look the same are the same name.

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::{
    CanonicalCombiningClass, DefaultIgnorableCodePoint, EmojiModifier, ExtendedPictographic,
    GeneralCategory, JoiningType, WhiteSpace,
};
use icu_properties::{CodePointMapData, CodePointSetData};

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// A control, format, text-direction or default-ignorable character (which shows nothing,
    /// or changes how the text around it shows).
    #[error("U+{:04X} is an invisible or control character", u32::from(*.0))]
    Invisible(char),
    /// Only spaces, blanks and marks: the text shows nothing.
    #[error("the text shows nothing")]
    Blank,
}

/// Characters that draw as an empty space without being white space.
fn is_blank_glyph(c: char) -> bool {
    matches!(
        c,
        '\u{2800}' | '\u{3164}' | '\u{115F}' | '\u{1160}' | '\u{FFA0}'
    )
}

/// Whether the joiner at `at` changes how its neighbours show: after a virama (RFC 5892,
/// CONTEXTJ), between two letters that join (Arabic, Persian…: ZWNJ), or inside an emoji
/// sequence (ZWJ). Anywhere else it shows nothing and only makes two names differ.
fn joiner_shows(chars: &[char], at: usize) -> bool {
    let ccc = CodePointMapData::<CanonicalCombiningClass>::new();
    let joining = CodePointMapData::<JoiningType>::new();
    let before = at.checked_sub(1).map(|i| chars[i]);
    let after = chars.get(at + 1).copied();
    if before.is_some_and(|c| ccc.get(c) == CanonicalCombiningClass::Virama) {
        return true;
    }
    if chars[at] == ZWJ {
        let pictographic = CodePointSetData::new::<ExtendedPictographic>();
        let modifier = CodePointSetData::new::<EmojiModifier>();
        return before.is_some_and(|c| pictographic.contains(c) || modifier.contains(c))
            && after.is_some_and(|c| pictographic.contains(c));
    }
    let skip_transparent = |c: &&char| joining.get(**c) == JoiningType::Transparent;
    let left = chars[..at].iter().rev().find(|c| !skip_transparent(c));
    let right = chars[at + 1..].iter().find(|c| !skip_transparent(c));
    left.is_some_and(|&c| {
        matches!(
            joining.get(c),
            JoiningType::LeftJoining | JoiningType::DualJoining
        )
    }) && right.is_some_and(|&c| {
        matches!(
            joining.get(c),
            JoiningType::RightJoining | JoiningType::DualJoining
        )
    })
}

/// `input` trimmed and in NFC, if every character of it shows and at least one is more than
/// a space or a mark.
pub fn visible_text(input: &str) -> Result<String, TextError> {
    let normal = ComposingNormalizerBorrowed::new_nfc().normalize(input.trim());
    let category = CodePointMapData::<GeneralCategory>::new();
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let white = CodePointSetData::new::<WhiteSpace>();
    let chars: Vec<char> = normal.chars().collect();
    let mut shows = false;
    for (at, &c) in chars.iter().enumerate() {
        if matches!(c, ZWNJ | ZWJ) && joiner_shows(&chars, at) {
            continue;
        }
        let hidden = matches!(
            category.get(c),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
                | GeneralCategory::Surrogate
                | GeneralCategory::PrivateUse
                | GeneralCategory::Unassigned
        ) || ignorable.contains(c);
        if hidden {
            return Err(TextError::Invisible(c));
        }
        let mark = matches!(
            category.get(c),
            GeneralCategory::NonspacingMark
                | GeneralCategory::EnclosingMark
                | GeneralCategory::SpacingMark
        );
        shows |= !(white.contains(c) || is_blank_glyph(c) || mark);
    }
    if !shows {
        return Err(TextError::Blank);
    }
    Ok(normal.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_look_alike_are_one_name_or_refused() {
        let cases: &[(&str, Result<&str, TextError>)] = &[
            ("deploy", Ok("deploy")),
            ("  deploy  ", Ok("deploy")),
            ("Café", Ok("Café")),
            // NFD "é" (e + U+0301) becomes NFC "é".
            ("Cafe\u{301}", Ok("Caf\u{e9}")),
            ("Ａ", Ok("Ａ")),
            ("日本語 トークン", Ok("日本語 トークン")),
            ("🚀 rocket", Ok("🚀 rocket")),
            ("nightly-ci_2", Ok("nightly-ci_2")),
            // Invisible-only.
            ("\u{200D}", Err(TextError::Invisible('\u{200D}'))),
            ("\u{200C}\u{200C}", Err(TextError::Invisible('\u{200C}'))),
            ("\u{3164}", Err(TextError::Invisible('\u{3164}'))),
            ("\u{2800}", Err(TextError::Blank)),
            ("\u{2800} \u{2800}", Err(TextError::Blank)),
            ("\u{17B4}", Err(TextError::Invisible('\u{17B4}'))),
            ("\u{301}", Err(TextError::Blank)),
            ("   ", Err(TextError::Blank)),
            ("", Err(TextError::Blank)),
            // Visible text with something invisible inside.
            ("de\u{AD}ploy", Err(TextError::Invisible('\u{AD}'))),
            ("deploy\u{2062}", Err(TextError::Invisible('\u{2062}'))),
            ("de\u{34F}ploy", Err(TextError::Invisible('\u{34F}'))),
            ("deploy\u{FE0F}", Err(TextError::Invisible('\u{FE0F}'))),
            ("deploy\u{E0041}", Err(TextError::Invisible('\u{E0041}'))),
            ("deploy\u{FFF9}", Err(TextError::Invisible('\u{FFF9}'))),
            ("de\u{200B}ploy", Err(TextError::Invisible('\u{200B}'))),
            ("deploy\u{202E}", Err(TextError::Invisible('\u{202E}'))),
            ("dep\u{0}loy", Err(TextError::Invisible('\u{0}'))),
            ("dep\nloy", Err(TextError::Invisible('\n'))),
            ("deploy\u{2028}x", Err(TextError::Invisible('\u{2028}'))),
            ("deploy\u{E000}", Err(TextError::Invisible('\u{E000}'))),
            // Joiners where they change the text: Persian, Devanagari, emoji sequences.
            ("می\u{200C}خواهم", Ok("می\u{200C}خواهم")),
            ("क्\u{200D}ष", Ok("क्\u{200D}ष")),
            ("👩\u{200D}💻 deploy", Ok("👩\u{200D}💻 deploy")),
            // Elsewhere they show nothing.
            ("deploy\u{200D}", Err(TextError::Invisible('\u{200D}'))),
            ("de\u{200C}ploy", Err(TextError::Invisible('\u{200C}'))),
            ("\u{200D}👩", Err(TextError::Invisible('\u{200D}'))),
        ];
        for (input, expected) in cases {
            assert_eq!(
                visible_text(input).as_deref().map_err(|e| *e),
                expected.as_deref().map_err(|e| *e),
                "{input:?}"
            );
        }
    }

    #[test]
    fn errors_name_the_character() {
        assert_eq!(
            TextError::Invisible('\u{AD}').to_string(),
            "U+00AD is an invisible or control character"
        );
    }
}
