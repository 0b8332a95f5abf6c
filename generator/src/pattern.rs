//! Compiling a parameter's `pattern` into a character set at generation time, so the
//! generated client validates without a regex engine (a heavy dependency for every user).
//!
//! ARM patterns are nearly all one anchored character class: `^[-\w\._\(\)]+$`. Those compile
//! to [`Pattern`]; anything else returns `None` and the caller warns that the pattern is left
//! to the service.

use crate::model::{CharSet, Pattern};

/// What a compiled pattern implies beyond the character set.
#[derive(Debug, PartialEq, Eq)]
pub struct Compiled {
    pub pattern: Pattern,
    /// `+` means at least one character.
    pub min_length: Option<usize>,
    /// `{m,n}` bounds.
    pub max_length: Option<usize>,
}

pub fn compile(source: &str) -> Option<Compiled> {
    let body = source.strip_prefix('^')?.strip_suffix('$')?;
    let class_end = find_class_end(body)?;
    let class = body.strip_prefix('[')?.get(..class_end - 1)?;
    let quantifier = &body[class_end + 1..];
    let (min_length, max_length) = match quantifier {
        "+" => (Some(1), None),
        "*" => (None, None),
        _ => {
            let inner = quantifier.strip_prefix('{')?.strip_suffix('}')?;
            let (min, max) = inner.split_once(',').unwrap_or((inner, inner));
            let min: usize = min.trim().parse().ok()?;
            let max: Option<usize> = match max.trim() {
                "" => None,
                max => Some(max.parse().ok()?),
            };
            (Some(min).filter(|&m| m > 0), max)
        }
    };
    let allowed = compile_class(class)?;
    Some(Compiled {
        pattern: Pattern {
            source: source.to_string(),
            allowed,
        },
        min_length,
        max_length,
    })
}

/// The index in `body` of the `]` that closes the class opening at index 0.
fn find_class_end(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in body.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ']' => return Some(index),
            '[' => return None,
            _ => {}
        }
    }
    None
}

fn compile_class(class: &str) -> Option<Vec<CharSet>> {
    if class.starts_with('^') || class.is_empty() {
        return None; // negated classes are not worth compiling; the service checks them
    }
    let mut items = Vec::new();
    let mut literals = String::new();
    let mut chars = class.chars().peekable();
    while let Some(c) = chars.next() {
        let single = if c == '\\' {
            match chars.next()? {
                'w' => {
                    items.push(CharSet::Word);
                    continue;
                }
                'd' => {
                    items.push(CharSet::Digit);
                    continue;
                }
                's' => {
                    items.push(CharSet::Space);
                    continue;
                }
                escaped if escaped.is_ascii_punctuation() => escaped,
                _ => return None,
            }
        } else {
            c
        };
        // A range `a-z`; a `-` at either end of the class is a literal.
        let mut lookahead = chars.clone();
        if lookahead.next() == Some('-')
            && let Some(end) = lookahead.next()
            && end != '\\'
        {
            chars.next();
            chars.next();
            if end < single {
                return None;
            }
            items.push(CharSet::Range(single, end));
            continue;
        }
        if !literals.contains(single) {
            literals.push(single);
        }
    }
    if !literals.is_empty() {
        items.push(CharSet::Chars(literals));
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_group_pattern() {
        let compiled = compile(r"^[-\w\._\(\)]+$").expect("compiles");
        assert_eq!(compiled.min_length, Some(1));
        assert_eq!(
            compiled.pattern.allowed,
            vec![CharSet::Word, CharSet::Chars("-._()".into())]
        );
    }

    #[test]
    fn ranges_and_bounds() {
        let compiled = compile("^[a-zA-Z0-9_-]{1,80}$").expect("compiles");
        assert_eq!(
            (compiled.min_length, compiled.max_length),
            (Some(1), Some(80))
        );
        assert_eq!(
            compiled.pattern.allowed,
            vec![
                CharSet::Range('a', 'z'),
                CharSet::Range('A', 'Z'),
                CharSet::Range('0', '9'),
                CharSet::Chars("_-".into())
            ]
        );
    }

    #[test]
    fn other_patterns_are_not_compiled() {
        for source in [
            "^[a-z]+[0-9]$",
            "[a-z]+",
            "^(a|b)$",
            r"^[^/]+$",
            "^[z-a]+$",
            r"^[\p{L}]+$",
        ] {
            assert_eq!(compile(source), None, "{source}");
        }
    }
}
