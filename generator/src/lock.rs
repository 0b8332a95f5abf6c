//! The lock of every spec file a run read (config key `lock`): its path inside the spec root
//! and its SHA-256. `cargo xtask codegen` writes it; `--check` compares, so a change upstream
//! fails CI naming the file even when the generated code happens not to change.
//!
//! The format is `sha256sum`'s (`<hex>  <path>`), so `sha256sum -c` run in the spec root
//! verifies a checkout against it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

const HEADER: &str = "# Every spec file `cargo xtask codegen` read, by its path inside the spec root, with its\n# SHA-256. Written by `cargo xtask codegen`, verified by `--check`; `sha256sum -c` in the\n# spec root reads this format. Do not edit.\n";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lock {
    /// Path inside the spec root (`/`-separated) → SHA-256 (lower-case hex).
    pub files: BTreeMap<String, String>,
}

/// How a locked file differs from what was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockChange {
    Changed {
        path: String,
        locked: String,
        read: String,
    },
    Added(String),
    Removed(String),
}

impl fmt::Display for LockChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LockChange::Changed { path, locked, read } => {
                write!(f, "{path} changed (locked sha256 {locked}, read {read})")
            }
            LockChange::Added(path) => write!(f, "{path} is read but not locked"),
            LockChange::Removed(path) => write!(f, "{path} is locked but no longer read"),
        }
    }
}

impl Lock {
    /// The lock of `digests` (absolute or relative file paths), relative to `spec_root`.
    pub fn of(spec_root: &Path, digests: &BTreeMap<PathBuf, String>) -> Lock {
        let root = crate::load::normalize(spec_root);
        let files = digests
            .iter()
            .map(|(path, digest)| {
                let relative = relative_path(path, &root);
                (relative.replace('\\', "/"), digest.clone())
            })
            .collect();
        Lock { files }
    }

    pub fn render(&self) -> String {
        let mut text = HEADER.to_string();
        for (path, digest) in &self.files {
            text.push_str(&format!("{digest}  {path}\n"));
        }
        text
    }

    /// Reads a lock written by [`Lock::render`]; `None` for text that is not one.
    pub fn parse(text: &str) -> Option<Lock> {
        let mut files = BTreeMap::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (digest, path) = line.split_once("  ")?;
            files.insert(path.to_string(), digest.to_string());
        }
        Some(Lock { files })
    }

    /// What differs between `self` (what was read) and the lock at `path`.
    pub fn check(&self, path: &Path) -> std::io::Result<Vec<LockChange>> {
        let locked = match std::fs::read_to_string(path) {
            Ok(text) => Lock::parse(&text).unwrap_or_default(),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Lock::default(),
            Err(err) => return Err(err),
        };
        let mut changes = Vec::new();
        for (file, digest) in &self.files {
            match locked.files.get(file) {
                None => changes.push(LockChange::Added(file.clone())),
                Some(old) if old != digest => changes.push(LockChange::Changed {
                    path: file.clone(),
                    locked: old.clone(),
                    read: digest.clone(),
                }),
                Some(_) => {}
            }
        }
        for file in locked.files.keys() {
            if !self.files.contains_key(file) {
                changes.push(LockChange::Removed(file.clone()));
            }
        }
        Ok(changes)
    }

    /// Writes the lock when its text changed (to a temporary file renamed into place, so an
    /// interrupted run leaves the old lock or the new one). Returns whether it wrote.
    pub fn write(&self, path: &Path) -> std::io::Result<bool> {
        let text = self.render();
        if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
            return Ok(false);
        }
        let temporary = path.with_extension("lock.tmp");
        std::fs::write(&temporary, &text)?;
        std::fs::rename(&temporary, path)?;
        Ok(true)
    }
}

/// `path` relative to `root` when inside it, with `../` steps otherwise.
fn relative_path(path: &Path, root: &Path) -> String {
    let path = crate::load::normalize(path);
    let common = path
        .components()
        .zip(root.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut relative = PathBuf::new();
    for _ in root.components().skip(common) {
        relative.push("..");
    }
    relative.extend(path.components().skip(common));
    relative.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_parses_and_compares() {
        let digests = BTreeMap::from([
            (PathBuf::from("root/specification/a.json"), "aa".to_string()),
            (PathBuf::from("root/./common/b.json"), "bb".to_string()),
            (PathBuf::from("elsewhere/c.json"), "cc".to_string()),
        ]);
        let lock = Lock::of(Path::new("root"), &digests);
        assert_eq!(
            lock.files.keys().collect::<Vec<_>>(),
            [
                "../elsewhere/c.json",
                "common/b.json",
                "specification/a.json"
            ]
        );
        let text = lock.render();
        assert!(text.contains("aa  specification/a.json\n"), "{text}");
        assert_eq!(Lock::parse(&text), Some(lock.clone()));

        let dir = std::env::temp_dir().join(format!("lock-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("creates folder");
        let path = dir.join("codegen.lock");
        assert_eq!(lock.check(&path).expect("checks").len(), 3);
        assert!(lock.write(&path).expect("writes"));
        assert!(!lock.write(&path).expect("writes"));
        assert!(lock.check(&path).expect("checks").is_empty());
        let mut changed = lock.clone();
        changed
            .files
            .insert("specification/a.json".into(), "ab".into());
        changed.files.remove("common/b.json");
        changed.files.insert("new.json".into(), "dd".into());
        let changes = changed.check(&path).expect("checks");
        let described: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            described,
            [
                "new.json is read but not locked",
                "specification/a.json changed (locked sha256 aa, read ab)",
                "common/b.json is locked but no longer read",
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
