//! Stage 6, output: compare the generated files with what is on disk, and write them.
//!
//! The output folder switches from the old tree to the new one at once, so that a run
//! interrupted at any point (`kill -9`, a full disk) leaves the old tree or the new one,
//! never a mix: the complete new tree is built beside the output folder
//! (`<output>.codegen-new-<pid>`: every generated file, plus every file of the old tree
//! that does not carry the generated marker), then the folders are swapped by two renames
//! (`<output>` → `<output>.codegen-old-<pid>`, the new tree → `<output>`) and the old tree is
//! removed. Each run first finishes or undoes what an interrupted run left: a missing output
//! folder is taken from the complete new tree (which exists only once it is complete) or
//! else from the old one, and every leftover folder is removed.
//!
//! Nothing is written when no file changes, nor before every file of the run has been
//! generated. Files the generator wrote before but no longer produces (an api-version
//! removed from the config) are left out of the new tree, recognised by the generated marker
//! in their first line; nothing without the marker is ever removed. One run at a time may
//! write a given output folder.

use similar::{DiffTag, TextDiff};
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
        /// The first line (1-based, in the file on disk) that differs.
        line: usize,
        /// A unified diff from the file on disk (`-`) to the generated text (`+`), at most
        /// [`DIFF_LINES`] lines of it.
        diff: String,
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
            Stale::Changed { path, line, diff } => {
                write!(f, "{}:{line}: differs", path.display())?;
                for diff_line in diff.lines() {
                    // An unchanged blank line is a lone space: no trailing blanks in the report.
                    write!(f, "\n    {}", diff_line.trim_end())?;
                }
                Ok(())
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

    /// Replaces the output folder with the generated files (keeping files without the
    /// generated marker), switching the whole tree at once; nothing when no file changes.
    pub fn write(&self, root: &Path) -> io::Result<WriteReport> {
        self.write_with(root, &mut || Ok(()))
    }

    /// [`Files::write`], calling `step` before every change to the file system (tests inject
    /// faults there, and check the output after each).
    fn write_with(
        &self,
        root: &Path,
        step: &mut dyn FnMut() -> io::Result<()>,
    ) -> io::Result<WriteReport> {
        recover(root, step)?;
        let mut report = WriteReport::default();
        for (path, contents) in &self.files {
            match std::fs::read(root.join(path)) {
                Ok(existing) if existing == contents.as_bytes() => report.unchanged += 1,
                Ok(_) => report.written.push(path.clone()),
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    report.written.push(path.clone())
                }
                Err(err) => return Err(err),
            }
        }
        report.removed = self.extra_generated_files(root)?;
        if report.written.is_empty() && report.removed.is_empty() {
            return Ok(report);
        }
        let staging = sibling(root, NEW)?;
        let kept = self.hand_written_files(root)?;
        let built = build_tree(&staging, &self.files, root, &kept, step);
        if let Err(err) = built {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(err);
        }
        swap(root, &staging, step)?;
        Ok(report)
    }

    /// Files under `root` that this set does not produce and that do not carry the generated
    /// marker: written by hand, kept in the new tree.
    fn hand_written_files(&self, root: &Path) -> io::Result<Vec<PathBuf>> {
        let extra: std::collections::BTreeSet<PathBuf> =
            self.extra_generated_files(root)?.into_iter().collect();
        Ok(files_under(root)?
            .into_iter()
            .filter(|path| !self.files.contains_key(path) && !extra.contains(path))
            .collect())
    }

    /// Files under `root` that carry the generated marker but are not in this set.
    fn extra_generated_files(&self, root: &Path) -> io::Result<Vec<PathBuf>> {
        let mut extra = Vec::new();
        for relative in files_under(root)? {
            if self.files.contains_key(&relative) {
                continue;
            }
            let first_line = std::fs::read_to_string(root.join(&relative))
                .ok()
                .and_then(|text| text.lines().next().map(str::to_string))
                .unwrap_or_default();
            if first_line.contains(GENERATED_MARKER) {
                extra.push(relative);
            }
        }
        Ok(extra)
    }
}

/// Every file under `root`, relative to it, sorted; none when `root` does not exist.
fn files_under(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
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
            } else if let Ok(relative) = path.strip_prefix(root) {
                files.push(relative.to_path_buf());
            }
        }
    }
    files.sort();
    Ok(files)
}

const NEW: &str = "codegen-new";
const OLD: &str = "codegen-old";

/// `<root>.<kind>-<pid>`: beside the output folder, so that renames stay on one file system.
fn sibling(root: &Path, kind: &str) -> io::Result<PathBuf> {
    let name = root.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("output folder `{}` has no name", root.display()),
        )
    })?;
    let mut name = name.to_os_string();
    name.push(format!(".{kind}-{}", std::process::id()));
    Ok(root.with_file_name(name))
}

/// Leftovers of interrupted runs beside `root`: (complete new trees, old trees).
fn leftovers(root: &Path) -> io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let (mut new, mut old) = (Vec::new(), Vec::new());
    let (Some(parent), Some(name)) = (root.parent(), root.file_name()) else {
        return Ok((new, old));
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let entries = match std::fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok((new, old)),
        Err(err) => return Err(err),
    };
    let prefix = format!("{}.", name.to_string_lossy());
    for entry in entries {
        let entry_name = entry?.file_name().to_string_lossy().into_owned();
        let Some(rest) = entry_name.strip_prefix(&prefix) else {
            continue;
        };
        if rest.starts_with(&format!("{NEW}-")) {
            new.push(root.with_file_name(&entry_name));
        } else if rest.starts_with(&format!("{OLD}-")) {
            old.push(root.with_file_name(&entry_name));
        }
    }
    new.sort();
    old.sort();
    Ok((new, old))
}

/// Finishes or undoes an interrupted run, then removes its leftovers. A new tree is complete
/// whenever an old tree exists (the old tree is moved aside only after the new one is built),
/// so with the output folder missing, a new tree beside an old one is the one to keep.
fn recover(root: &Path, step: &mut dyn FnMut() -> io::Result<()>) -> io::Result<()> {
    let (new, old) = leftovers(root)?;
    if !root.exists() {
        let restore = if old.is_empty() {
            None
        } else {
            new.first().or(old.first())
        };
        if let Some(tree) = restore {
            step()?;
            std::fs::rename(tree, root)?;
        }
    }
    for leftover in new.iter().chain(&old).filter(|p| p.exists()) {
        step()?;
        std::fs::remove_dir_all(leftover)?;
    }
    Ok(())
}

/// The complete new tree in `staging`: the generated files and the hand-written ones.
fn build_tree(
    staging: &Path,
    files: &BTreeMap<PathBuf, String>,
    root: &Path,
    kept: &[PathBuf],
    step: &mut dyn FnMut() -> io::Result<()>,
) -> io::Result<()> {
    if staging.exists() {
        std::fs::remove_dir_all(staging)?;
    }
    for (path, contents) in files {
        let target = staging.join(path);
        step()?;
        std::fs::create_dir_all(target.parent().unwrap_or(staging))?;
        std::fs::write(target, contents)?;
    }
    for path in kept {
        let target = staging.join(path);
        step()?;
        std::fs::create_dir_all(target.parent().unwrap_or(staging))?;
        std::fs::copy(root.join(path), target)?;
    }
    // An output with no files at all is still a folder.
    std::fs::create_dir_all(staging)
}

/// `staging` becomes `root`: the old tree moves aside, the new one takes its place, the old
/// one is removed. Interrupted between the renames, the next run's [`recover`] finishes.
fn swap(root: &Path, staging: &Path, step: &mut dyn FnMut() -> io::Result<()>) -> io::Result<()> {
    if root.exists() {
        let old = sibling(root, OLD)?;
        step()?;
        std::fs::rename(root, &old)?;
        step()?;
        std::fs::rename(staging, root)?;
        step()?;
        std::fs::remove_dir_all(&old)
    } else {
        if let Some(parent) = root.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        step()?;
        std::fs::rename(staging, root)
    }
}

/// How many lines of a unified diff one stale file shows: a regenerated crate can differ in
/// thousands of lines, and the first hunks say what happened.
pub const DIFF_LINES: usize = 60;

fn first_difference(path: &Path, expected: &str, found: &str) -> Stale {
    let diff = TextDiff::from_lines(found, expected);
    let line = diff
        .ops()
        .iter()
        .find(|op| op.tag() != DiffTag::Equal)
        .map_or(1, |op| op.old_range().start + 1);
    let shown = path.display().to_string();
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{shown} (on disk)"),
            &format!("{shown} (generated)"),
        )
        .to_string();
    let total = unified.lines().count();
    let mut text: String = unified
        .lines()
        .take(DIFF_LINES)
        .flat_map(|l| [l, "\n"])
        .collect();
    if total > DIFF_LINES {
        let _ = writeln!(text, "... {} more diff lines", total - DIFF_LINES);
    }
    Stale::Changed {
        path: path.to_path_buf(),
        line,
        diff: text,
    }
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
                diff: "--- a.rs (on disk)\n+++ a.rs (generated)\n@@ -1,3 +1,3 @@\n x\n-q\n+y\n z\n"
                    .into(),
            }
        );
        let shorter = first_difference(Path::new("a.rs"), "x\ny\n", "x\n");
        assert!(
            matches!(shorter, Stale::Changed { line: 2, ref diff, .. } if diff.ends_with(" x\n+y\n")),
            "{shorter:?}"
        );
    }

    #[test]
    fn a_long_difference_is_cut_and_says_how_much_is_left() {
        let expected: String = (0..200).map(|i| format!("new {i}\n")).collect();
        let found: String = (0..200).map(|i| format!("old {i}\n")).collect();
        let Stale::Changed { diff, .. } = first_difference(Path::new("a.rs"), &expected, &found)
        else {
            panic!("a changed file");
        };
        assert_eq!(diff.lines().count(), DIFF_LINES + 1, "{diff}");
        assert!(diff.ends_with("... 343 more diff lines\n"), "{diff}");
    }

    /// A file tree as (path, bytes), for comparing; `None` when the folder does not exist.
    fn tree(root: &Path) -> Option<Vec<(PathBuf, Vec<u8>)>> {
        root.exists().then(|| {
            files_under(root)
                .expect("lists")
                .into_iter()
                .map(|p| {
                    let bytes = std::fs::read(root.join(&p)).expect("reads");
                    (p, bytes)
                })
                .collect()
        })
    }

    fn files(entries: &[(&str, &str)]) -> Files {
        Files {
            files: entries
                .iter()
                .map(|(p, t)| (PathBuf::from(p), format!("// {GENERATED_MARKER}\n{t}")))
                .collect(),
        }
    }

    /// An old generated tree with a hand-written file among its files, on disk in a folder of
    /// its own, and the new generated tree that is to replace it.
    struct Rewrite {
        base: PathBuf,
        root: PathBuf,
        old: Files,
        new: Files,
        hand_written: (PathBuf, Vec<u8>),
    }

    impl Rewrite {
        fn new(name: &str) -> Self {
            let folder = format!("codegen-output-{name}-{}", std::process::id());
            let base = std::env::temp_dir().join(folder);
            let rewrite = Rewrite {
                root: base.join("out"),
                base,
                old: files(&[
                    ("Cargo.toml", "old"),
                    ("src/a.rs", "old a"),
                    ("src/gone.rs", "gone"),
                ]),
                new: files(&[
                    ("Cargo.toml", "new"),
                    ("src/a.rs", "new a"),
                    ("src/b/c.rs", "new c"),
                ]),
                hand_written: (PathBuf::from("src/notes.md"), b"mine".to_vec()),
            };
            rewrite.reset();
            rewrite
        }

        /// The old tree on disk again, nothing else in the folder.
        fn reset(&self) {
            let _ = std::fs::remove_dir_all(&self.base);
            self.old.write(&self.root).expect("writes the old tree");
            let (path, bytes) = &self.hand_written;
            std::fs::write(self.root.join(path), bytes).expect("hand-written");
        }

        /// What the output holds after writing `files` over the old tree.
        fn expected(&self, files: &Files) -> Option<Vec<(PathBuf, Vec<u8>)>> {
            let generated = files.files.iter();
            let generated = generated.map(|(p, t)| (p.clone(), t.as_bytes().to_vec()));
            let mut tree: Vec<_> = generated.chain([self.hand_written.clone()]).collect();
            tree.sort();
            Some(tree)
        }

        /// Writes the new tree, asking `fault` with each step's number (from 1) whether to go
        /// on.
        fn write(&self, mut fault: impl FnMut(usize) -> io::Result<()>) -> io::Result<WriteReport> {
            let mut step = 0;
            self.new.write_with(&self.root, &mut || {
                step += 1;
                fault(step)
            })
        }

        /// Folders beside the output, which only a write's temporary ones can be.
        fn left_beside(&self) -> usize {
            std::fs::read_dir(&self.base).expect("lists").count() - 1
        }
    }

    impl Drop for Rewrite {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.base);
        }
    }

    /// Every step of a write interrupted as `kill -9` would (a panic: no cleanup runs): the
    /// output is then the old tree, the new tree, or missing with the next run's recovery
    /// restoring one of them; the next write completes it and leaves no temporary folder.
    #[test]
    fn an_interrupted_write_leaves_the_old_tree_or_the_new_one() {
        let rewrite = Rewrite::new("killed");
        let (old_tree, new_tree) = (
            rewrite.expected(&rewrite.old),
            rewrite.expected(&rewrite.new),
        );
        let mut steps = 0;
        rewrite
            .write(|step| {
                steps = step;
                Ok(())
            })
            .expect("writes");
        assert_eq!(tree(&rewrite.root), new_tree);
        assert!(steps >= 6, "{steps} steps");
        for fail_at in 0..steps {
            rewrite.reset();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                rewrite.write(|step| {
                    if step > fail_at {
                        panic!("killed")
                    } else {
                        Ok(())
                    }
                })
            }));
            assert!(outcome.is_err(), "step {fail_at} was not reached");
            let after = tree(&rewrite.root);
            assert!(
                after.is_none() || after == old_tree || after == new_tree,
                "interrupted at step {fail_at}: a mix {after:#?}"
            );
            recover(&rewrite.root, &mut || Ok(())).expect("recovers");
            let recovered = tree(&rewrite.root);
            assert!(
                recovered == old_tree || recovered == new_tree,
                "step {fail_at}"
            );
            rewrite
                .new
                .write(&rewrite.root)
                .expect("the next run writes");
            assert_eq!(tree(&rewrite.root), new_tree, "step {fail_at}");
            assert_eq!(
                rewrite.left_beside(),
                0,
                "temporary folders left after step {fail_at}"
            );
        }
    }

    /// An ordinary error (not a kill) cleans up after itself at once.
    #[test]
    fn a_failed_write_leaves_the_old_tree_and_no_temporary_folder() {
        let rewrite = Rewrite::new("failed");
        let failed = rewrite.write(|step| match step {
            3 => Err(io::Error::other("disk full")),
            _ => Ok(()),
        });
        assert!(failed.is_err());
        assert_eq!(tree(&rewrite.root), rewrite.expected(&rewrite.old));
        assert_eq!(rewrite.left_beside(), 0);
    }
}
