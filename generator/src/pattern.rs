//! Compiling a parameter's `pattern` into a character set at generation time, so the
//! generated client validates without a regex engine (a heavy dependency for every user).
//!
//! ARM patterns are nearly all one anchored character class: `^[-\w\._\(\)]+$`. The pattern
//! is parsed by `regex-syntax` (the regex crate's own parser); an anchored class whose items
//! the runtime's [`CharSet`] can express compiles to [`Pattern`]. Anything else is an
//! [`Unsupported`] that says what (a negated class, `\p{..}`, an alternation, …) and where, and
//! the caller warns that the pattern is left to the service.

use regex_syntax::ast::{
    self, AssertionKind, Ast, ClassPerlKind, ClassSet, ClassSetItem, RepetitionKind,
    RepetitionRange,
};

use crate::model::{CharSet, Pattern};

/// What a compiled pattern implies beyond the character set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compiled {
    pub pattern: Pattern,
    /// `+` means at least one character.
    pub min_length: Option<usize>,
    /// `{m,n}` bounds.
    pub max_length: Option<usize>,
}

/// Why a pattern is not compiled, and the character (0-based, in the pattern) where the part
/// the client cannot check starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    pub at: usize,
    pub reason: &'static str,
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at character {})", self.reason, self.at)
    }
}

pub fn compile(source: &str) -> Result<Compiled, Unsupported> {
    let parsed = ast::parse::Parser::new()
        .parse(source)
        .map_err(|err| Unsupported {
            at: char_index(source, err.span().start.offset),
            reason: "it is not a valid regular expression",
        })?;
    let unsupported = |span: &ast::Span, reason| Unsupported {
        at: char_index(source, span.start.offset),
        reason,
    };
    let shape = "only one anchored character class such as `^[a-z]+$` is compiled";
    let Ast::Concat(concat) = &parsed else {
        return Err(unsupported(parsed.span(), shape));
    };
    let [
        Ast::Assertion(start),
        Ast::Repetition(repeat),
        Ast::Assertion(end),
    ] = concat.asts.as_slice()
    else {
        return Err(unsupported(&concat.span, shape));
    };
    if !matches!(
        start.kind,
        AssertionKind::StartLine | AssertionKind::StartText
    ) || !matches!(end.kind, AssertionKind::EndLine | AssertionKind::EndText)
    {
        return Err(unsupported(&concat.span, shape));
    }
    let Ast::ClassBracketed(class) = repeat.ast.as_ref() else {
        return Err(unsupported(repeat.ast.span(), shape));
    };
    let (min_length, max_length) = match (&repeat.op.kind, repeat.greedy) {
        (RepetitionKind::OneOrMore, true) => (Some(1), None),
        (RepetitionKind::ZeroOrMore, true) => (None, None),
        (RepetitionKind::Range(range), true) => match *range {
            RepetitionRange::Exactly(n) => (Some(n), Some(n)),
            RepetitionRange::AtLeast(n) => (Some(n), None),
            RepetitionRange::Bounded(min, max) => (Some(min), Some(max)),
        },
        _ => {
            return Err(unsupported(
                &repeat.op.span,
                "only `+`, `*` and `{m,n}` are compiled",
            ));
        }
    };
    let as_usize = |n: u32| usize::try_from(n).ok();
    let mut allowed = Vec::new();
    let mut literals = String::new();
    if class.negated {
        return Err(unsupported(&class.span, "a negated class is not compiled"));
    }
    let ClassSet::Item(item) = &class.kind else {
        return Err(unsupported(
            class.kind.span(),
            "class set operations are not compiled",
        ));
    };
    compile_item(item, &mut allowed, &mut literals)
        .map_err(|(span, reason)| unsupported(span, reason))?;
    if !literals.is_empty() {
        allowed.push(CharSet::Chars(literals));
    }
    Ok(Compiled {
        pattern: Pattern {
            source: source.to_string(),
            allowed,
        },
        min_length: min_length.and_then(as_usize).filter(|&m| m > 0),
        max_length: max_length.and_then(as_usize),
    })
}

/// Adds one class item to `allowed` (ranges and `\w`, `\d`, `\s` in order) and `literals` (each
/// literal once, in order; they become one [`CharSet::Chars`] after the others).
fn compile_item<'a>(
    item: &'a ClassSetItem,
    allowed: &mut Vec<CharSet>,
    literals: &mut String,
) -> Result<(), (&'a ast::Span, &'static str)> {
    match item {
        ClassSetItem::Literal(literal) => {
            if !literals.contains(literal.c) {
                literals.push(literal.c);
            }
        }
        ClassSetItem::Range(range) => allowed.push(CharSet::Range(range.start.c, range.end.c)),
        ClassSetItem::Perl(perl) if !perl.negated => allowed.push(match perl.kind {
            ClassPerlKind::Word => CharSet::Word,
            ClassPerlKind::Digit => CharSet::Digit,
            ClassPerlKind::Space => CharSet::Space,
        }),
        ClassSetItem::Perl(perl) => {
            return Err((
                &perl.span,
                "a negated class (`\\W`, `\\D`, `\\S`) is not compiled",
            ));
        }
        ClassSetItem::Unicode(class) => {
            return Err((&class.span, "a Unicode class (`\\p{..}`) is not compiled"));
        }
        ClassSetItem::Ascii(class) => {
            return Err((&class.span, "an ASCII class (`[:alpha:]`) is not compiled"));
        }
        ClassSetItem::Bracketed(class) => {
            return Err((&class.span, "a nested class is not compiled"));
        }
        ClassSetItem::Empty(span) => return Err((span, "an empty class is not compiled")),
        ClassSetItem::Union(union) => {
            for item in &union.items {
                compile_item(item, allowed, literals)?;
            }
        }
    }
    Ok(())
}

/// The character index of a byte offset in `source`, for a position a reader can count.
fn char_index(source: &str, offset: usize) -> usize {
    source.get(..offset).map_or(0, |head| head.chars().count())
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
            assert!(compile(source).is_err(), "{source}");
        }
    }

    #[test]
    fn what_is_not_compiled_says_why_and_where() {
        let negated = compile(r"^[^/]+$").expect_err("negated");
        assert_eq!(negated.at, 1);
        assert!(negated.reason.contains("negated class"), "{negated}");
        let unicode = compile(r"^[a-z\p{L}]+$").expect_err("unicode");
        assert_eq!(
            (unicode.at, unicode.reason.contains("Unicode class")),
            (5, true)
        );
        let perl = compile(r"^[\W]+$").expect_err("negated perl class");
        assert_eq!((perl.at, perl.reason.contains("`\\W`")), (2, true));
        let invalid = compile("^[é-a]+$").expect_err("invalid range");
        assert_eq!(
            invalid.to_string(),
            "it is not a valid regular expression (at character 2)"
        );
        let lazy = compile("^[a-z]+?$").expect_err("lazy");
        assert!(lazy.reason.contains("`+`"), "{lazy}");
    }

    #[test]
    fn escapes_nested_unions_and_exact_counts_compile() {
        let compiled = compile(r"\A[\x41\d\.]{3}\z").expect("compiles");
        assert_eq!(
            (compiled.min_length, compiled.max_length),
            (Some(3), Some(3))
        );
        assert_eq!(
            compiled.pattern.allowed,
            vec![CharSet::Digit, CharSet::Chars("A.".into())]
        );
    }
}
