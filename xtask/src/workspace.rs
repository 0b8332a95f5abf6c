//! The checkout xtask works on, found at run time from the current folder.

use std::path::{Path, PathBuf};

/// The repository root: the nearest folder, from the current one upwards, that holds this
/// workspace (`Cargo.toml` beside `xtask/Cargo.toml`). `cargo xtask` runs in the folder the
/// user typed it in, so this is the checkout they are working on.
pub fn root() -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    current
        .ancestors()
        .find(|folder| {
            folder.join("Cargo.toml").is_file() && folder.join("xtask/Cargo.toml").is_file()
        })
        .map(Path::to_path_buf)
}

/// `path` relative to the current folder when both share a prefix, so diagnostics name files
/// the way the user would type them.
pub fn relative_to_current(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|current| relative_to(path, &current))
        .unwrap_or_else(|| path.to_path_buf())
}

/// `path` relative to `base` (`../` steps included), when both are absolute.
fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return None;
    }
    let mut relative = PathBuf::new();
    for _ in base.components().skip(common) {
        relative.push("..");
    }
    relative.extend(path.components().skip(common));
    Some(relative)
}
