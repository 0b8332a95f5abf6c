//! Operation selection (`operations: { include: [...], exclude: [...] }`): which operations
//! of an api-version are generated, by operationId. Applied where the lowering finds the
//! operations; what is left out is named in a warning, and an id that matches no operation
//! is an error (a typo must not silently select nothing).

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSelection {
    #[serde(default)]
    include: Option<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
}

/// Which operations of an api-version to generate. The default generates all.
#[derive(Clone, Debug, Default)]
pub struct OperationSelection {
    /// Only these operationIds, when given.
    pub include: Option<Vec<String>>,
    /// Never these operationIds.
    pub exclude: Vec<String>,
    /// Where the selection is in the config file (`/operations`), for diagnostics.
    pub pointer: String,
}

impl RawSelection {
    pub(super) fn checked(
        &self,
        pointer: &str,
        at: &impl Fn(&str) -> Location,
        problems: &mut Diagnostics,
    ) -> OperationSelection {
        if self.include.as_ref().is_some_and(Vec::is_empty) {
            problems.push(
                Diagnostic::error(at(&format!("{pointer}/include")), "`include` lists no operations")
                    .help("list operationIds to generate, or remove `include` to generate every operation"),
            );
        }
        for (key, ids) in [
            ("include", self.include.as_deref().unwrap_or(&[])),
            ("exclude", &self.exclude),
        ] {
            for (index, id) in ids.iter().enumerate() {
                if ids[..index].contains(id) {
                    problems.push(
                        Diagnostic::error(
                            at(&format!("{pointer}/{key}/{index}")),
                            format!("operation `{id}` is listed twice"),
                        )
                        .help("remove one of the entries"),
                    );
                }
            }
        }
        OperationSelection {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            pointer: pointer.to_string(),
        }
    }
}

impl OperationSelection {
    /// Which of the operations (operationId if any, and a label such as `POST /x` for
    /// messages) to generate. Operations without an id are kept so that the lowering
    /// reports them, unless an `include` list leaves them out.
    pub fn apply(
        &self,
        config: &Location,
        version: &str,
        operations: &[(Option<&str>, String)],
        diagnostics: &mut Diagnostics,
    ) -> Vec<bool> {
        let at = |key: &str, index: usize| {
            let mut location = config.clone();
            location.pointer = format!("{}/{key}/{index}", self.pointer);
            location
        };
        let include = self.include.as_deref();
        for (key, ids) in [
            ("include", include.unwrap_or(&[])),
            ("exclude", &self.exclude),
        ] {
            for (index, id) in ids.iter().enumerate() {
                if !operations
                    .iter()
                    .any(|(other, _)| *other == Some(id.as_str()))
                {
                    diagnostics.push(
                        Diagnostic::error(
                            at(key, index),
                            format!("api-version {version} has no operation `{id}`"),
                        )
                        .help("check the operationId's spelling (it is case-sensitive)"),
                    );
                }
            }
        }
        let keep: Vec<bool> = operations
            .iter()
            .map(|(id, _)| match (id, include) {
                (Some(id), _) if self.exclude.iter().any(|e| e == id) => false,
                (Some(id), Some(include)) => include.iter().any(|i| i == id),
                (None, Some(_)) => false,
                (_, None) => true,
            })
            .collect();
        let left_out: Vec<&str> = operations
            .iter()
            .zip(&keep)
            .filter(|(_, kept)| !**kept)
            .map(|((id, label), _)| id.unwrap_or(label.as_str()))
            .collect();
        if !left_out.is_empty() {
            let mut location = config.clone();
            location.pointer = self.pointer.clone();
            diagnostics.push(
                Diagnostic::warning(
                    location,
                    format!(
                        "{} of {} operations of api-version {version} are left out by the config: {}",
                        left_out.len(),
                        operations.len(),
                        left_out.join(", ")
                    ),
                )
                .help("change `operations.include` / `operations.exclude` in the codegen config to generate them"),
            );
        }
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn operations() -> Vec<(Option<&'static str>, String)> {
        vec![
            (Some("A_One"), "POST /a".into()),
            (Some("A_Two"), "GET /a".into()),
            (None, "PUT /b".into()),
        ]
    }

    fn apply(include: Option<&[&str]>, exclude: &[&str]) -> (Vec<bool>, Diagnostics) {
        let selection = OperationSelection {
            include: include.map(|i| i.iter().map(|s| s.to_string()).collect()),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            pointer: "/operations".into(),
        };
        let mut diagnostics = Diagnostics::default();
        let config = Location::new(Path::new("codegen.yaml"), "");
        let keep = selection.apply(&config, "2020-01-01", &operations(), &mut diagnostics);
        (keep, diagnostics)
    }

    #[test]
    fn include_keeps_only_the_listed_and_warns_about_the_rest() {
        let (keep, diagnostics) = apply(Some(&["A_Two"]), &[]);
        assert_eq!(keep, [false, true, false]);
        assert_eq!(
            (diagnostics.error_count(), diagnostics.warning_count()),
            (0, 1)
        );
        assert!(diagnostics.to_string().contains(
            "2 of 3 operations of api-version 2020-01-01 are left out by the config: A_One, PUT /b"
        ));
    }

    #[test]
    fn exclude_removes_the_listed() {
        let (keep, diagnostics) = apply(None, &["A_One"]);
        assert_eq!(keep, [false, true, true]);
        assert_eq!(diagnostics.warning_count(), 1);
        let (keep, diagnostics) = apply(None, &[]);
        assert_eq!(keep, [true, true, true]);
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn an_id_that_matches_nothing_is_an_error() {
        let (_, diagnostics) = apply(Some(&["A_one"]), &["Nope"]);
        assert_eq!(diagnostics.error_count(), 2);
        let text = diagnostics.to_string();
        assert!(
            text.contains("codegen.yaml#/operations/include/0"),
            "{text}"
        );
        assert!(text.contains("has no operation `Nope`"), "{text}");
    }
}
