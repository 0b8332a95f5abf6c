//! The config's own values checked: the crate's name and version, the client's name, and
//! the properties it marks secret.

use super::SecretProperty;
use super::schema::RawConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// The names the config gives the generated crate and client, and at least one api-version.
pub(super) fn check_names(
    raw: &RawConfig,
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) {
    if raw.api_versions.is_empty() {
        problems.push(
            Diagnostic::error(at("/api_versions"), "no api-versions listed")
                .help("add at least one entry with `version` and `inputs`"),
        );
    }
    if !is_rust_identifier(&raw.crate_name) {
        problems.push(
            Diagnostic::error(
                at("/crate_name"),
                format!("`{}` is not a valid crate name", raw.crate_name),
            )
            .help("use lower-case letters, digits and underscores"),
        );
    }
    if !is_type_name(&raw.client_name) {
        problems.push(
            Diagnostic::error(
                at("/client_name"),
                format!(
                    "`{}` is not an UpperCamelCase Rust type name",
                    raw.client_name
                ),
            )
            .help("use a name such as `ComputeClient`"),
        );
    }
}

/// `crate_version`, by default `0.1.0`.
pub(super) fn crate_version(
    raw: &RawConfig,
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) -> String {
    let crate_version = raw.crate_version.clone().unwrap_or_else(|| "0.1.0".into());
    if !is_crate_version(&crate_version) {
        problems.push(
            Diagnostic::error(
                at("/crate_version"),
                format!("`{crate_version}` is not a crate version"),
            )
            .help("use a semantic version such as 0.1.0 or 1.0.0-beta.1"),
        );
    }
    crate_version
}

/// `AccessUri.accessSAS` → (`AccessUri`, `accessSAS`), each entry checked.
pub(super) fn parse_secrets(
    entries: &[String],
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) -> Vec<SecretProperty> {
    let mut secrets: Vec<SecretProperty> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let parsed = entry.rsplit_once('.').filter(|(definition, property)| {
            let word = |s: &str| !s.is_empty() && !s.chars().any(char::is_whitespace);
            word(definition) && word(property)
        });
        let Some((definition, property)) = parsed else {
            problems.push(
                Diagnostic::error(
                    at(&format!("/secrets/{index}")),
                    format!("`{entry}` does not name a property"),
                )
                .help("write `<DefinitionName>.<wirePropertyName>`, e.g. `AccessUri.accessSAS`"),
            );
            continue;
        };
        let secret = SecretProperty {
            definition: definition.to_string(),
            property: property.to_string(),
        };
        if secrets.contains(&secret) {
            problems.push(
                Diagnostic::error(
                    at(&format!("/secrets/{index}")),
                    format!("`{entry}` is listed twice"),
                )
                .help("remove one of the entries"),
            );
            continue;
        }
        secrets.push(secret);
    }
    secrets
}

/// `1.2.3`, optionally with a pre-release such as `-beta.1`.
fn is_crate_version(version: &str) -> bool {
    let (core, pre) = version.split_once('-').unwrap_or((version, ""));
    let numbers: Vec<&str> = core.split('.').collect();
    numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        && (version == core
            || (!pre.is_empty()
                && pre
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')))
}

fn is_rust_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn crate_versions() {
        for good in ["0.1.0", "1.0.0-beta.1", "10.20.30"] {
            assert!(is_crate_version(good), "{good}");
        }
        for bad in ["1.0", "1.0.0-", "a.b.c", "1.0.0 ", ""] {
            assert!(!is_crate_version(bad), "{bad}");
        }
    }

    #[test]
    fn secrets_split_at_the_last_dot() {
        let mut problems = Diagnostics::default();
        let at = |p: &str| Location::new(Path::new("c.yaml"), p);
        let entries = [
            "AccessUri.accessSAS".to_string(),
            "TypeSpec.Http.Thing.key".to_string(),
            "nodot".to_string(),
            "Trailing.".to_string(),
            "AccessUri.accessSAS".to_string(),
        ];
        let secrets = parse_secrets(&entries, &at, &mut problems);
        assert_eq!(
            secrets,
            [
                SecretProperty {
                    definition: "AccessUri".into(),
                    property: "accessSAS".into()
                },
                SecretProperty {
                    definition: "TypeSpec.Http.Thing".into(),
                    property: "key".into()
                },
            ]
        );
        assert_eq!(problems.error_count(), 3);
    }
}
