//! The `api_versions` entries: each one's api-version, module name, inputs and operation
//! selection, checked.

use std::path::Path;

use super::ApiVersionConfig;
use super::schema::RawApiVersion;
use super::select::OperationSelection;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// What every `api_versions` entry is checked with.
pub(super) struct EntryContext<'a> {
    pub(super) spec_root: &'a Path,
    /// How an input is shown in generated headers.
    pub(super) display_input: &'a dyn Fn(&Path) -> String,
    /// The top-level operation selection.
    pub(super) inherited: Option<&'a OperationSelection>,
}

/// Every `api_versions` entry checked, in ascending order of version.
pub(super) fn check_versions(
    entries: Vec<RawApiVersion>,
    context: &EntryContext<'_>,
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) -> Vec<ApiVersionConfig> {
    let mut versions: Vec<ApiVersionConfig> = Vec::new();
    for (index, entry) in entries.into_iter().enumerate() {
        if let Some(version) = check_version(entry, index, context, &versions, at, problems) {
            versions.push(version);
        }
    }
    versions.sort_by(|a, b| a.version.cmp(&b.version));
    // Without an explicit default the newest version is the default, as users expect.
    if !versions.iter().any(|v| v.default)
        && let Some(latest) = versions.last_mut()
    {
        latest.default = true;
    }
    versions
}

/// One `api_versions` entry, checked; `None` when it cannot be used.
fn check_version(
    entry: RawApiVersion,
    index: usize,
    context: &EntryContext<'_>,
    earlier: &[ApiVersionConfig],
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) -> Option<ApiVersionConfig> {
    let &EntryContext {
        spec_root,
        display_input,
        inherited,
    } = context;
    let pointer = format!("/api_versions/{index}");
    let Some(module) = module_name(&entry.version) else {
        problems.push(
            Diagnostic::error(
                at(&format!("{pointer}/version")),
                format!("`{}` is not an api-version", entry.version),
            )
            .help("api-versions look like 2025-01-02 or 2024-05-01-preview"),
        );
        return None;
    };
    if entry.inputs.is_empty() {
        problems.push(
            Diagnostic::error(
                at(&format!("{pointer}/inputs")),
                format!("api-version {} names no input documents", entry.version),
            )
            .help("list the documents of the api-version, by their path inside the spec root"),
        );
    }
    if earlier.iter().any(|v| v.version == entry.version) {
        problems.push(
            Diagnostic::error(
                at(&format!("{pointer}/version")),
                format!("api-version {} is listed twice", entry.version),
            )
            .help("remove one of the entries"),
        );
        return None;
    }
    let operations = match &entry.operations {
        Some(own) => own.checked(&format!("{pointer}/operations"), at, problems),
        None => inherited.cloned().unwrap_or_default(),
    };
    Some(ApiVersionConfig {
        module,
        inputs: entry
            .inputs
            .iter()
            .map(|input| spec_root.join(input))
            .collect(),
        display_inputs: entry
            .inputs
            .iter()
            .map(|input| display_input(input))
            .collect(),
        version: entry.version,
        pointer,
        default: entry.default,
        operations,
    })
}

/// `2025-01-02` → `v2025_01_02`; `2024-05-01-preview` → `v2024_05_01_preview`; `None` for
/// anything that is not an api-version.
pub fn module_name(version: &str) -> Option<String> {
    let bytes = version.as_bytes();
    let valid = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && bytes[10..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'.');
    valid.then(|| format!("v{}", version.replace(['-', '.'], "_").to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(module_name("2025-01-02").as_deref(), Some("v2025_01_02"));
        assert_eq!(
            module_name("2024-05-01-preview").as_deref(),
            Some("v2024_05_01_preview")
        );
        assert_eq!(module_name("latest"), None);
        assert_eq!(module_name("2025-1-2"), None);
        // Byte 10 inside a character: rejected, not a panic.
        assert_eq!(module_name("2020-01-0é"), None);
        assert_eq!(module_name("2020-01-é"), None);
        assert_eq!(module_name("2020-01-01é"), None);
    }
}
