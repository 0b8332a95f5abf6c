//! Files the benchmark reads and writes: generated sources counted, manifests and specs
//! written only when they changed (so cargo's fingerprints stay fresh between runs).

use std::path::Path;

/// `.rs` files and their non-blank lines under `folder`.
pub fn count_lines(folder: &Path) -> Result<(usize, usize), String> {
    let (mut files, mut lines) = (0, 0);
    for text in rust_sources(folder)? {
        files += 1;
        lines += text.lines().filter(|l| !l.trim().is_empty()).count();
    }
    Ok((files, lines))
}

/// The text of every `.rs` file under `folder`.
pub fn rust_sources(folder: &Path) -> Result<Vec<String>, String> {
    let cannot =
        |path: &Path, err: std::io::Error| format!("cannot read {}: {err}", path.display());
    let mut sources = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|err| cannot(&folder, err))? {
            let path = entry.map_err(|err| cannot(&folder, err))?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push(std::fs::read_to_string(&path).map_err(|err| cannot(&path, err))?);
            }
        }
    }
    Ok(sources)
}

/// Writes `contents` to `path` (creating its folder) unless it already holds them.
pub fn write(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|err| format!("cannot create {}: {err}", folder.display()))?;
    }
    std::fs::write(path, contents).map_err(|err| format!("cannot write {}: {err}", path.display()))
}

/// For tests: a temporary folder holding `Cargo.toml` with `manifest`, passed to `test`,
/// then removed.
#[cfg(test)]
pub fn with_root_manifest<T>(manifest: &str, test: impl FnOnce(&Path) -> T) -> T {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!("bench-compile-{}-{n}", std::process::id()));
    write(&root.join("Cargo.toml"), manifest).unwrap();
    let result = test(&root);
    std::fs::remove_dir_all(&root).unwrap();
    result
}
