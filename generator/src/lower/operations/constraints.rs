//! A parameter's constraints from its schema, which the generated client checks before it
//! sends anything: a string's length and pattern, a number's bounds.

use openapiv3::ReferenceOr;

use super::OperationContext;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{Bound, Constraints};
use crate::pattern;

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
        match pattern::compile(source) {
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
