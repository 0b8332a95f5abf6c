//! Turning spec names into Rust identifiers: case conversion (heck), Rust keywords, names
//! that start with a digit or have no letters at all, and collisions after conversion.
//!
//! Every name in the model goes through here, so the rules live in one place and the
//! emitters never re-derive a name.

pub mod bound;

use std::collections::{BTreeSet, HashMap};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition (strict and reserved), which need `r#` or a suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// A `snake_case` name for a field, parameter, method or module.
pub fn snake(name: &str) -> String {
    thread_local! {
        static SNAKE: Memo = Memo::default();
    }
    SNAKE.with(|memo| {
        memo.get_or_convert(name, |name| {
            finish(split_words(name).to_snake_case(), "v", "value")
        })
    })
}

/// An `UpperCamelCase` name for a type or variant.
pub fn upper_camel(name: &str) -> String {
    thread_local! {
        static UPPER_CAMEL: Memo = Memo::default();
    }
    UPPER_CAMEL.with(|memo| {
        memo.get_or_convert(name, |name| {
            finish(split_words(name).to_upper_camel_case(), "V", "Value")
        })
    })
}

/// Names already converted, by spec name. Conversion is a pure function of the name, and the
/// lowering and the emitters convert the same few hundred names again and again (heck's
/// conversion was ≈ 7% of a whole run); a hit costs a hash and a copy. One per thread, so
/// threads never wait on each other; it holds at most every distinct name of the input.
#[derive(Default)]
struct Memo(std::cell::RefCell<HashMap<String, String>>);

impl Memo {
    fn get_or_convert(&self, name: &str, convert: impl FnOnce(&str) -> String) -> String {
        if let Some(converted) = self.0.borrow().get(name) {
            return converted.clone();
        }
        let converted = convert(name);
        self.0
            .borrow_mut()
            .insert(name.to_string(), converted.clone());
        converted
    }
}

/// Replaces everything that is not an ASCII letter or digit with a word break, so that
/// `TypeSpec.Http.OkResponse`, `"SystemAssigned, UserAssigned"` and `api-version` convert
/// cleanly whatever heck does with punctuation. Non-ASCII letters are dropped too: not every
/// Unicode letter may start or continue a Rust identifier, and a name that compiles beats a
/// faithful one that does not (the wire name is kept for serde either way).
fn split_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
}

/// Makes a converted name a valid identifier: prefixes names that start with a digit,
/// names the empty result, and escapes keywords.
fn finish(converted: String, digit_prefix: &str, empty: &str) -> String {
    let mut name = converted;
    if name.is_empty() {
        name = empty.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{digit_prefix}{name}");
    }
    escape_keyword(name)
}

/// `type` → `r#type`; `self` → `self_` (raw identifiers cannot spell it).
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier as written without `r#`, for comparing and deriving names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Hands out names within one scope (the fields of a struct, the variants of an enum, the
/// types of a module) and resolves collisions deterministically: the first claimant keeps
/// the name, later ones get `_2`, `_3`, … (`2`, `3` for UpperCamelCase).
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
    /// Per wanted name, the suffix to try next: a thousand claims of one name cost a
    /// thousand steps, not half a million.
    next_suffix: HashMap<String, usize>,
}

/// A name handed out by [`Namespace::claim`].
#[derive(Debug, PartialEq, Eq)]
pub struct Claimed {
    pub name: String,
    /// The name that was wanted, when a collision forced another one.
    pub collided_with: Option<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves a name that generated code itself uses in this scope.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(unraw(name).to_string());
    }

    pub fn claim(&mut self, wanted: String) -> Claimed {
        let key = unraw(&wanted).to_string();
        if self.taken.insert(key.clone()) {
            return Claimed {
                name: wanted,
                collided_with: None,
            };
        }
        let separator = if key.starts_with(|c: char| c.is_uppercase()) {
            ""
        } else {
            "_"
        };
        let next = self.next_suffix.entry(key.clone()).or_insert(2);
        loop {
            let n = *next;
            *next += 1;
            let candidate = format!("{key}{separator}{n}");
            if self.taken.insert(candidate.clone()) {
                return Claimed {
                    name: escape_keyword(candidate),
                    collided_with: Some(wanted),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        assert_eq!(snake("durationInSeconds"), "duration_in_seconds");
        assert_eq!(
            snake("getSecureVMGuestStateSAS"),
            "get_secure_vm_guest_state_sas"
        );
        assert_eq!(snake("accessSAS"), "access_sas");
        assert_eq!(snake("api-version"), "api_version");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("1stValue"), "v1st_value");
        assert_eq!(snake("$"), "value");
        assert_eq!(
            snake("LastOwnershipUpdateTime"),
            "last_ownership_update_time"
        );
    }

    #[test]
    fn upper_camel_names() {
        assert_eq!(
            upper_camel("SystemAssigned, UserAssigned"),
            "SystemAssignedUserAssigned"
        );
        assert_eq!(
            upper_camel("TypeSpec.Http.OkResponse"),
            "TypeSpecHttpOkResponse"
        );
        assert_eq!(upper_camel("createdByType"), "CreatedByType");
        assert_eq!(upper_camel("VHDX"), "Vhdx");
        assert_eq!(upper_camel("None"), "None");
        assert_eq!(upper_camel("2019-01-01"), "V2019_01_01".replace('_', ""));
        assert_eq!(upper_camel("Self"), "Self_");
    }

    #[test]
    fn collisions_are_numbered_in_claim_order() {
        let mut names = Namespace::new();
        assert_eq!(names.claim(snake("fooBar")).collided_with, None);
        let second = names.claim(snake("foo_bar"));
        assert_eq!(second.name, "foo_bar_2");
        assert_eq!(second.collided_with.as_deref(), Some("foo_bar"));
        let mut types = Namespace::new();
        types.claim("CreatedByType".into());
        assert_eq!(types.claim("CreatedByType".into()).name, "CreatedByType2");
    }
}
