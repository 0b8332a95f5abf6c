//! Secrets the spec does not declare. Upstream DiskRP has no `x-ms-secret`, yet `AccessUri`'s
//! SAS URLs are bearer secrets: the config's `secrets:` marks such properties
//! (`DefinitionName.wirePropertyName`), and the generator warns about string properties that
//! look like secrets but nobody marked.
//!
//! The rule for "looks like a secret": a **string** property whose wire name ends, ignoring
//! case, in `SAS`, `Password`, `Secret`, `Token`, `Key` or `ConnectionString`, unless the
//! name says it is public (`sshPublicKey`). Only strings are checked: objects such as
//! `diskEncryptionKey` (a Key Vault reference) and URLs of secrets (`keyUrl`, `secretUrl`)
//! hold no secret material themselves.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::Api;

/// The config's secret entries, and whether lowering found each one's property.
#[derive(Debug, Default)]
pub struct Secrets {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    definition: String,
    property: String,
    used: bool,
}

impl Secrets {
    /// Entries as `(definition, wire property name)`.
    pub fn new(entries: impl IntoIterator<Item = (String, String)>) -> Self {
        Secrets {
            entries: entries
                .into_iter()
                .map(|(definition, property)| Entry {
                    definition,
                    property,
                    used: false,
                })
                .collect(),
        }
    }

    /// Whether the config marks `property` of any of `definitions` (the struct's definition
    /// key, the declaring ancestor's key and type name, the Rust name) as secret.
    pub fn marks(&mut self, definitions: &[&str], property: &str) -> bool {
        let mut marked = false;
        for entry in &mut self.entries {
            if entry.property == property && definitions.contains(&entry.definition.as_str()) {
                entry.used = true;
                marked = true;
            }
        }
        marked
    }

    /// The entries that marked a property, as `Definition.property`.
    pub fn applied(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| e.used)
            .map(|e| format!("{}.{}", e.definition, e.property))
            .collect()
    }
}

/// An entry that matched no property of any generated type in any api-version is a mistake
/// in the config (a typo, or a property upstream renamed): an error naming the entry. An
/// entry may match in one api-version only (`AccessUri.securityMetadataAccessSAS` is new in
/// 2025-01-02), so this runs once every api-version is lowered.
pub fn unmatched_secrets(config: &Config, apis: &[Api]) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    for (index, secret) in config.secrets.iter().enumerate() {
        let entry = format!("{}.{}", secret.definition, secret.property);
        if apis.iter().any(|api| api.secrets_applied.contains(&entry)) {
            continue;
        }
        diagnostics.push(
            Diagnostic::error(
                Location::new(&config.path, format!("/secrets/{index}")),
                format!("secret `{entry}` matches no property of a generated type"),
            )
            .help("write `DefinitionName.wirePropertyName` as the spec spells them, for a type an operation reaches"),
        );
    }
    diagnostics
}

/// Whether a string property's wire name suggests secret material (see the module docs).
pub fn looks_secret(wire_name: &str) -> bool {
    let name = wire_name.to_ascii_lowercase();
    !name.contains("public")
        && [
            "sas",
            "password",
            "secret",
            "token",
            "key",
            "connectionstring",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// The warning for a likely secret nobody marked.
pub fn unmarked(at: &Location, type_name: &str, wire_name: &str) -> Diagnostic {
    Diagnostic::warning(
        at.clone(),
        format!("property `{wire_name}` of `{type_name}` looks like a secret but is not marked: `Debug` will print it"),
    )
    .help(format!(
        "mark it with `x-ms-secret: true`, or list `<definition>.{wire_name}` under `secrets:` in the codegen config"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_looking_names() {
        for name in [
            "accessSAS",
            "securityDataAccessSAS",
            "adminPassword",
            "clientSecret",
            "sasToken",
            "primaryKey",
            "storageConnectionString",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in [
            "keyUrl",
            "secretUrl",
            "sshPublicKey",
            "getSecureVMGuestStateSAS_enabled",
            "tokenType",
            "keyName",
            "diskAccessId",
            "keyEncryptionKeyUrl",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn entries_record_what_they_marked() {
        let mut secrets = Secrets::new([
            ("AccessUri".into(), "accessSAS".into()),
            ("AccessUri".into(), "typo".into()),
        ]);
        assert!(secrets.marks(&["AccessUri"], "accessSAS"));
        assert!(!secrets.marks(&["Other"], "accessSAS"));
        assert_eq!(secrets.applied(), vec!["AccessUri.accessSAS".to_string()]);
    }
}
