//! Problems found in the input, reported like a compiler: where (file, JSON pointer,
//! line:column when the format gives one, the operation or schema involved), what is wrong,
//! and what would fix it. Every stage collects into one [`Diagnostics`] so a run reports all
//! problems at once, sorted, instead of stopping at the first.

use std::collections::HashMap;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Where in the input a problem is.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: PathBuf,
    /// A JSON pointer (RFC 6901) into the document; empty for the whole document.
    pub pointer: String,
    /// 1-based line and column, when the parser reported one.
    pub line_col: Option<(usize, usize)>,
}

impl Location {
    pub fn new(file: &Path, pointer: impl Into<String>) -> Self {
        Location {
            file: file.to_path_buf(),
            pointer: pointer.into(),
            line_col: None,
        }
    }

    /// The pointer one level deeper, escaping `~` and `/` as RFC 6901 requires.
    pub fn join(&self, token: &str) -> Self {
        // Written in place, not through `format!` and two escaping copies: the lowering
        // joins thousands of tokens, nearly all with nothing to escape.
        let mut pointer = String::with_capacity(self.pointer.len() + 1 + token.len());
        pointer.push_str(&self.pointer);
        pointer.push('/');
        if token.bytes().any(|b| b == b'~' || b == b'/') {
            pointer.push_str(&pointer_token(token));
        } else {
            pointer.push_str(token);
        }
        Location {
            file: self.file.clone(),
            pointer,
            line_col: None,
        }
    }
}

/// A key as a JSON pointer token (RFC 6901): `~` becomes `~0`, `/` becomes `~1`.
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, "#{}", self.pointer)?;
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    /// The operation or schema involved, e.g. `operation Disks_GrantAccess`.
    pub subject: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What would fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            subject: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// One JSON object for tools (`cargo xtask codegen --message-format json`, CI annotations):
    /// `severity`, `file`, `pointer`, `line` and `column` (1-based, `null` when unknown),
    /// `subject`, `message`, `help` (`null` when none). Spec text in it is JSON-escaped.
    pub fn to_json(&self) -> serde_json::Value {
        let location = &self.location;
        serde_json::json!({
            "severity": self.severity.to_string(),
            "file": location.file.display().to_string(),
            "pointer": location.pointer,
            "line": location.line_col.map(|(line, _)| line),
            "column": location.line_col.map(|(_, column)| column),
            "subject": self.subject,
            "message": self.message,
            "help": self.help,
        })
    }

    fn sort_key(&self) -> (&Location, Severity, &str) {
        (&self.location, self.severity, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity, self.message)?;
        write!(f, "  --> {}", self.location)?;
        if let Some(subject) = &self.subject {
            write!(f, " ({subject})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// All problems of one run, each once.
///
/// Every operation is linear in the number of diagnostics (sorting aside): a spec with tens
/// of thousands of problems must not take quadratic time to report them. Duplicates (the
/// same problem found by two routes) are dropped when pushed, through a hash index, and
/// errors and warnings are counted as they arrive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Hash of a diagnostic → the indices in `items` with that hash.
    index: HashMap<u64, Vec<usize>>,
    errors: usize,
}

fn hash_of(diagnostic: &Diagnostic) -> u64 {
    // `DefaultHasher::new()` has fixed keys: the index behaves the same on every run.
    let mut hasher = DefaultHasher::new();
    diagnostic.hash(&mut hasher);
    hasher.finish()
}

impl Diagnostics {
    /// Adds a diagnostic, unless the same one is already there.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let slot = self.index.entry(hash_of(&diagnostic)).or_default();
        if slot.iter().any(|&i| self.items[i] == diagnostic) {
            return;
        }
        slot.push(self.items.len());
        if diagnostic.severity == Severity::Error {
            self.errors += 1;
        }
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        for diagnostic in other.items {
            self.push(diagnostic);
        }
    }

    /// Rewrites every location, e.g. from a converted document's places to the file's own.
    pub fn map_locations(&mut self, map: impl Fn(&Location) -> Location) {
        for diagnostic in &mut self.items {
            diagnostic.location = map(&diagnostic.location);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The diagnostics sorted by file, pointer, severity and message, so that output is
    /// stable whatever order the stages found them in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items
    }

    /// Fills in line:column for diagnostics that point into JSON or YAML files (specs and the
    /// codegen config), reading each file once. Unreadable files keep their pointer only.
    pub fn locate_positions(&mut self) {
        let mut by_file: std::collections::BTreeMap<PathBuf, Vec<usize>> = Default::default();
        for (index, diagnostic) in self.items.iter().enumerate() {
            let location = &diagnostic.location;
            let text_kind = location.file.extension().and_then(|e| e.to_str());
            let known = matches!(text_kind, Some("json" | "yaml" | "yml"));
            if location.line_col.is_none() && !location.pointer.is_empty() && known {
                by_file
                    .entry(location.file.clone())
                    .or_default()
                    .push(index);
            }
        }
        for (file, indices) in by_file {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let pointers: Vec<&str> = indices
                .iter()
                .map(|&i| self.items[i].location.pointer.as_str())
                .collect();
            let positions = if file.extension().and_then(|e| e.to_str()) == Some("json") {
                crate::position::locate_all(&text, &pointers)
            } else {
                crate::position::yaml::locate_all(&text, &pointers)
            };
            for (index, position) in indices.into_iter().zip(positions) {
                self.items[index].location.line_col = position;
            }
        }
        // Positions changed the items: rebuild the duplicate index (a located diagnostic and
        // its unlocated twin are the same problem).
        let items = std::mem::take(&mut self.items);
        *self = Diagnostics::default();
        for diagnostic in items {
            self.push(diagnostic);
        }
    }

    /// Errors so far, in constant time.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.errors
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in self.sorted() {
            writeln!(f, "{diagnostic}\n")?;
        }
        let (errors, warnings) = (self.error_count(), self.warning_count());
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        )
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(diagnostic);
        diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `join` writes what `format!("{}/{}", pointer, pointer_token(token))` wrote.
    #[test]
    fn join_appends_the_escaped_token() {
        let base = Location::new(std::path::Path::new("a.json"), "/paths/~1x");
        for token in ["", "get", "a/b", "~", "x~1/", "é"] {
            let joined = base.join(token);
            assert_eq!(
                joined.pointer,
                format!("/paths/~1x/{}", pointer_token(token))
            );
            assert_eq!(joined.file, base.file);
        }
        assert_eq!(
            Location::new(std::path::Path::new("a.json"), "")
                .join("definitions")
                .pointer,
            "/definitions"
        );
    }

    #[test]
    fn duplicates_are_dropped_and_counts_kept_as_pushed() {
        let at = Location::new(Path::new("a.json"), "/paths");
        let mut diagnostics = Diagnostics::default();
        for _ in 0..3 {
            diagnostics.push(Diagnostic::error(at.clone(), "e"));
            diagnostics.push(Diagnostic::warning(at.clone(), "w"));
        }
        diagnostics.push(Diagnostic::error(at.join("x"), "e"));
        assert_eq!(diagnostics.len(), 3);
        assert_eq!(
            (diagnostics.error_count(), diagnostics.warning_count()),
            (2, 1)
        );
        assert!(diagnostics.has_errors());
        let mut other = Diagnostics::default();
        other.push(Diagnostic::error(at.clone(), "e"));
        other.push(Diagnostic::error(at, "f"));
        diagnostics.extend(other);
        assert_eq!((diagnostics.error_count(), diagnostics.len()), (3, 4));
    }

    #[test]
    fn json_has_every_field_and_nulls_for_what_is_unknown() {
        let mut at = Location::new(Path::new("a.json"), "/paths/~1x");
        at.line_col = Some((3, 7));
        let located = Diagnostic::error(at.clone(), "bad \"x\"\n").help("fix it");
        assert_eq!(
            located.to_json().to_string(),
            r#"{"severity":"error","file":"a.json","pointer":"/paths/~1x","line":3,"column":7,"subject":null,"message":"bad \"x\"\n","help":"fix it"}"#
        );
        at.line_col = None;
        let bare = Diagnostic::warning(at, "w").subject("operation `Op`");
        let json = bare.to_json();
        assert_eq!(
            (json["line"].is_null(), json["help"].is_null()),
            (true, true)
        );
        assert_eq!(json["subject"], "operation `Op`");
    }
}
