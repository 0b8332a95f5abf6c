//! A parameter's constraints from its schema, which the generated client checks before it
//! sends anything: a string's length and pattern, a number's bounds.

use std::cell::RefCell;
use std::collections::HashMap;

use openapiv3::ReferenceOr;

use super::OperationContext;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{Bound, Constraints};
use crate::pattern::{self, Compiled, Unsupported};

/// The constraints of parameter `name`'s schema at `at`; a pattern the client cannot check
/// is a warning, since the service still checks it.
pub(super) fn constraints(
    context: &OperationContext<'_>,
    at: &Location,
    schema: &ReferenceOr<openapiv3::Schema>,
    name: &str,
) -> Constraints {
    let Ok(resolved) = context.specs.item(at, schema) else {
        return Constraints::default();
    };
    let string = match &resolved.value.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) => string,
        openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)) => {
            let bound = |value: Option<i64>, exclusive| {
                value.map(|value| Bound {
                    value: value.into(),
                    exclusive,
                })
            };
            return Constraints {
                minimum: bound(integer.minimum, integer.exclusive_minimum),
                maximum: bound(integer.maximum, integer.exclusive_maximum),
                ..Constraints::default()
            };
        }
        openapiv3::SchemaKind::Type(openapiv3::Type::Number(number)) => {
            let bound = |value: Option<f64>, exclusive| {
                Some(Bound {
                    value: serde_json::Number::from_f64(value?)?,
                    exclusive,
                })
            };
            return Constraints {
                minimum: bound(number.minimum, number.exclusive_minimum),
                maximum: bound(number.maximum, number.exclusive_maximum),
                ..Constraints::default()
            };
        }
        _ => return Constraints::default(),
    };
    let mut constraints = Constraints {
        min_length: string.min_length.filter(|&n| n > 0),
        max_length: string.max_length,
        ..Constraints::default()
    };
    if let Some(source) = &string.pattern {
        match compiled(source) {
            Ok(compiled) => {
                constraints.min_length = constraints.min_length.max(compiled.min_length);
                constraints.max_length = match (constraints.max_length, compiled.max_length) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                constraints.pattern = Some(compiled.pattern);
            }
            Err(unsupported) => context.report_shared(
                Diagnostic::warning(
                    resolved.location.join("pattern"),
                    format!("pattern `{source}` of parameter `{name}` is not checked by the client: {unsupported}"),
                )
                .help("only one anchored character class such as `^[-\\w._()]+$` is compiled; the service still checks the rest"),
            ),
        }
    }
    constraints
}

thread_local! {
    /// Compiled patterns by source: ARM specs repeat a few patterns (`resourceGroupName`'s in
    /// every operation), and parsing one with regex-syntax costs ≈ 25,000 instructions. One
    /// per thread, so threads never wait; at most [`REMEMBERED`] patterns.
    static COMPILED: RefCell<HashMap<String, Result<Compiled, Unsupported>>> =
        RefCell::default();
}

/// How many distinct patterns a thread remembers; the rest are compiled each time.
const REMEMBERED: usize = 256;

/// Longer patterns are compiled each time, not kept: the memo outlives a run on the thread
/// that made it, and a spec's `pattern` may be as long as its file.
const REMEMBERED_LENGTH: usize = 1024;

/// [`pattern::compile`], remembered.
fn compiled(source: &str) -> Result<Compiled, Unsupported> {
    if let Some(known) = COMPILED.with_borrow(|memo| memo.get(source).cloned()) {
        return known;
    }
    let result = pattern::compile(source);
    COMPILED.with_borrow_mut(|memo| {
        if memo.len() < REMEMBERED && source.len() <= REMEMBERED_LENGTH {
            memo.insert(source.to_owned(), result.clone());
        }
    });
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered result is the compiled one, for patterns that compile and those that
    /// do not, asked again, and past the list's length.
    #[test]
    fn remembered_patterns_are_what_compiling_gives() {
        let sources = [
            "^[-\\w\\._\\(\\)]+$",
            "^[a-z]{1,5}$",
            "a|b",
            "[",
            "^[^a]+$",
            "",
        ];
        for _ in 0..2 {
            for source in sources {
                assert_eq!(compiled(source), pattern::compile(source), "{source}");
            }
        }
        for n in 0..REMEMBERED + 10 {
            let source = format!("^[a-z]{{1,{}}}$", n + 1);
            assert_eq!(compiled(&source), pattern::compile(&source), "{source}");
        }
    }
}
