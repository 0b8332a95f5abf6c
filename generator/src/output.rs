//! Stage 6, output: compare the generated files with what is on disk, and write them.
//!
//! Writing touches only files whose bytes change, each atomically (a temporary file in the
//! same folder, then a rename), and only after every file of the run has been generated, so a
//! failed run leaves the output untouched. Files the generator wrote before but no longer
//! produces (an api-version removed from the config) are deleted, recognised by the generated
//! marker in their first line; nothing without the marker is ever removed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::format::GENERATED_MARKER;

/// Every file of the generated crate, by path relative to the output folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Files {
    pub files: BTreeMap<PathBuf, String>,
}

/// How one file on disk differs from what the generator produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stale {
    Missing(PathBuf),
    Changed {
        path: PathBuf,
        line: usize,
        expected: String,
        found: String,
    },
    /// A file with the generated marker that the generator no longer produces.
    Extra(PathBuf),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing(path) => write!(f, "{}: missing", path.display()),
            Stale::Extra(path) => write!(
                f,
                "{}: no longer generated, should be removed",
                path.display()
            ),
            Stale::Changed {
                path,
                line,
                expected,
                found,
            } => {
                write!(
                    f,
                    "{}:{line}: differs\n    - {found}\n    + {expected}",
                    path.display()
                )
            }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
}

impl Files {
    /// What is stale in `root` (the output folder), in path order.
    pub fn check(&self, root: &Path) -> io::Result<Vec<Stale>> {
        let mut stale = Vec::new();
        for (path, expected) in &self.files {
            match std::fs::read_to_string(root.join(path)) {
                Ok(found) if found == *expected => {}
                Ok(found) => stale.push(first_difference(path, expected, &found)),
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    stale.push(Stale::Missing(path.clone()))
                }
                Err(err) => return Err(err),
            }
        }
        for path in self.extra_generated_files(root)? {
            stale.push(Stale::Extra(path));
        }
        Ok(stale)
    }

    /// Writes the files whose bytes change and removes generated files no longer produced.
    pub fn write(&self, root: &Path) -> io::Result<WriteReport> {
        let mut report = WriteReport::default();
        let extra = self.extra_generated_files(root)?;
        for (path, contents) in &self.files {
            let target = root.join(path);
            match std::fs::read(&target) {
                Ok(existing) if existing == contents.as_bytes() => {
                    report.unchanged += 1;
                    continue;
                }
                Ok(_) => {}
                Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                Err(err) => return Err(err),
            }
            write_atomically(&target, contents.as_bytes())?;
            report.written.push(path.clone());
        }
        for path in extra {
            std::fs::remove_file(root.join(&path))?;
            report.removed.push(path);
        }
        Ok(report)
    }

    /// Files under `root` that carry the generated marker but are not in this set.
    fn extra_generated_files(&self, root: &Path) -> io::Result<Vec<PathBuf>> {
        let mut extra = Vec::new();
        let mut folders = vec![root.to_path_buf()];
        while let Some(folder) = folders.pop() {
            let entries = match std::fs::read_dir(&folder) {
                Ok(entries) => entries,
                Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
                Err(err) => return Err(err),
            };
            for entry in entries {
                let entry = entry?;
                let path = entry.path();
                if entry.file_type()?.is_dir() {
                    folders.push(path);
                    continue;
                }
                let Ok(relative) = path.strip_prefix(root) else {
                    continue;
                };
                if self.files.contains_key(relative) {
                    continue;
                }
                let first_line = std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|text| text.lines().next().map(str::to_string))
                    .unwrap_or_default();
                if first_line.contains(GENERATED_MARKER) {
                    extra.push(relative.to_path_buf());
                }
            }
        }
        extra.sort();
        Ok(extra)
    }
}

fn first_difference(path: &Path, expected: &str, found: &str) -> Stale {
    let mut expected_lines = expected.lines();
    let mut found_lines = found.lines();
    let mut line = 1;
    loop {
        match (expected_lines.next(), found_lines.next()) {
            (Some(e), Some(f)) if e == f => line += 1,
            (e, f) => {
                return Stale::Changed {
                    path: path.to_path_buf(),
                    line,
                    expected: e.unwrap_or("<end of file>").to_string(),
                    found: f.unwrap_or("<end of file>").to_string(),
                };
            }
        }
    }
}

fn write_atomically(target: &Path, contents: &[u8]) -> io::Result<()> {
    let folder = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{}.tmp", std::process::id()));
    let temporary = folder.join(name);
    std::fs::write(&temporary, contents)?;
    std::fs::rename(&temporary, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// A readable list of stale files for `--check`.
pub fn describe(stale: &[Stale]) -> String {
    let mut out = String::new();
    for item in stale {
        let _ = writeln!(out, "  {item}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_difference_names_the_line() {
        let stale = first_difference(Path::new("a.rs"), "x\ny\nz\n", "x\nq\nz\n");
        assert_eq!(
            stale,
            Stale::Changed {
                path: "a.rs".into(),
                line: 2,
                expected: "y".into(),
                found: "q".into()
            }
        );
        let shorter = first_difference(Path::new("a.rs"), "x\ny\n", "x\n");
        assert!(
            matches!(shorter, Stale::Changed { line: 2, ref found, .. } if found == "<end of file>")
        );
    }
}
