//! Reading spec files safely: specs come from thousands of authors, and a `$ref` is a path
//! any of them can write. A file is read only when it is a regular file (not a FIFO that
//! would block forever, not a device such as `/dev/zero` that never ends, not a folder),
//! no larger than [`MAX_FILE_BYTES`], and inside the spec root unless the config allows
//! otherwise. JSON and YAML are parsed here, a leading UTF-8 byte-order mark accepted.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location};

/// The largest spec file read: 100 MiB. The largest public OpenAPI documents (GitHub's
/// `ghec.json`, 73 MB) fit; a `$ref` to an endless or huge file fails with this limit named
/// instead of exhausting memory.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// Where the loader may read, and how much.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Files outside this folder are refused, unless `allow_outside_spec_root`.
    pub spec_root: PathBuf,
    pub allow_outside_spec_root: bool,
    pub max_file_bytes: u64,
}

impl LoadOptions {
    pub fn new(spec_root: &Path) -> Self {
        LoadOptions {
            spec_root: spec_root.to_path_buf(),
            allow_outside_spec_root: false,
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

/// How the loader reads a file: the file system with [`read_checked`], or memory in tests.
pub type Reader<'a> = dyn Fn(&Path) -> std::io::Result<String> + 'a;

/// Whether a file exists, without reading it (for example files, which are never read).
pub type Exists<'a> = dyn Fn(&Path) -> bool + 'a;

/// Reads `path` as UTF-8 text if the rules of [`LoadOptions`] allow it.
pub fn read_checked(path: &Path, options: &LoadOptions) -> std::io::Result<String> {
    CheckedReader::new(options).read(path)
}

/// Whether `path` is a regular file the rules allow reading (without reading it).
pub fn exists_checked(path: &Path, options: &LoadOptions) -> bool {
    CheckedReader::new(options).permitted(path).is_ok()
}

/// [`read_checked`] for the many files of one load: the spec root is made canonical once.
/// Every file's own path is made canonical when it is read, not taken from a cache of its
/// folder: a folder swapped for a link out of the root while the generator runs must be
/// refused at the next read, and only a fresh `canonicalize` sees the swap (measured: a
/// folder cache saved ≈ 2,200 `readlink` calls per DiskRP run, and was taken out for this).
pub struct CheckedReader<'a> {
    options: &'a LoadOptions,
    /// The canonical spec root, once known.
    root: std::cell::OnceCell<PathBuf>,
}

impl<'a> CheckedReader<'a> {
    pub fn new(options: &'a LoadOptions) -> Self {
        CheckedReader {
            options,
            root: std::cell::OnceCell::new(),
        }
    }

    /// Reads `path` as UTF-8 text if the rules of [`LoadOptions`] allow it.
    pub fn read(&self, path: &Path) -> std::io::Result<String> {
        use std::io::{Error, ErrorKind};
        let resolved = self.permitted(path)?;
        let file = std::fs::File::open(&resolved)?;
        // Checked again on the open handle: the path may have been swapped in between.
        let metadata = file.metadata()?;
        if !metadata.is_file() {
            return Err(Error::other("it is not a regular file"));
        }
        let limit = self.options.max_file_bytes;
        let too_large = || {
            Error::new(
                ErrorKind::FileTooLarge,
                format!("it is larger than the limit of {limit} bytes"),
            )
        };
        if metadata.len() > limit {
            return Err(too_large());
        }
        // A file that grows while it is read still stops at the limit.
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        file.take(limit + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        String::from_utf8(bytes).map_err(|err| {
            Error::new(
                ErrorKind::InvalidData,
                format!(
                    "it is not UTF-8 text (invalid byte at offset {})",
                    err.utf8_error().valid_up_to()
                ),
            )
        })
    }

    /// The real path of `path` when it is a regular file inside the spec root (or anywhere,
    /// when allowed). Symbolic links are resolved first, so a link cannot lead out of the
    /// root.
    fn permitted(&self, path: &Path) -> std::io::Result<PathBuf> {
        use std::io::{Error, ErrorKind};
        let (resolved, metadata) = self.canonical(path)?;
        if !self.options.allow_outside_spec_root {
            let root = self.root()?;
            if !resolved.starts_with(root) {
                return Err(Error::new(
                    ErrorKind::PermissionDenied,
                    format!(
                        "it is outside the spec root {} (set `allow_outside_spec_root: true` in the config to read it)",
                        self.options.spec_root.display()
                    ),
                ));
            }
        }
        if !metadata.is_file() {
            return Err(Error::other("it is not a regular file"));
        }
        Ok(resolved)
    }

    /// `std::fs::canonicalize(path)` and the metadata of what it names.
    fn canonical(&self, path: &Path) -> std::io::Result<(PathBuf, std::fs::Metadata)> {
        let resolved = std::fs::canonicalize(path)?;
        let metadata = std::fs::metadata(&resolved)?;
        Ok((resolved, metadata))
    }

    fn root(&self) -> std::io::Result<&Path> {
        if let Some(root) = self.root.get() {
            return Ok(root);
        }
        let root = std::fs::canonicalize(&self.options.spec_root)?;
        Ok(self.root.get_or_init(|| root))
    }
}

/// Parses JSON or YAML text (by the file's extension) into a JSON value, reporting syntax
/// errors with line:column.
pub fn parse_text(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    // Editors on Windows write a byte-order mark; it is not part of the JSON text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    );
    if is_yaml {
        serde_yaml::from_str(text).map_err(|err| {
            let mut location = Location::new(path, "");
            location.line_col = err.location().map(|l| (l.line(), l.column()));
            Diagnostic::error(location, format!("invalid YAML: {err}"))
        })
    } else {
        serde_json::from_str(text).map_err(|err| {
            let mut location = Location::new(path, "");
            location.line_col = Some((err.line(), err.column()));
            Diagnostic::error(location, format!("invalid JSON: {err}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("load-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("root")).expect("creates scratch folder");
        dir
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let value = parse_text(Path::new("a.json"), "\u{feff}{\"a\": 1}").expect("parses");
        assert_eq!(value["a"], 1);
    }

    #[test]
    fn files_outside_the_root_are_refused_unless_allowed() {
        let dir = scratch("outside");
        std::fs::write(dir.join("secret.json"), "{}").expect("writes");
        std::fs::write(dir.join("root/in.json"), "{}").expect("writes");
        let mut options = LoadOptions::new(&dir.join("root"));
        assert!(read_checked(&dir.join("root/in.json"), &options).is_ok());
        let err = read_checked(&dir.join("root/../secret.json"), &options).unwrap_err();
        assert!(err.to_string().contains("outside the spec root"), "{err}");
        options.allow_outside_spec_root = true;
        assert!(read_checked(&dir.join("secret.json"), &options).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_and_devices_are_refused() {
        let dir = scratch("links");
        std::fs::write(dir.join("secret.json"), "{}").expect("writes");
        std::os::unix::fs::symlink(dir.join("secret.json"), dir.join("root/link.json"))
            .expect("links");
        std::os::unix::fs::symlink("/dev/zero", dir.join("root/zero.json")).expect("links");
        let mut options = LoadOptions::new(&dir.join("root"));
        let err = read_checked(&dir.join("root/link.json"), &options).unwrap_err();
        assert!(err.to_string().contains("outside the spec root"), "{err}");
        options.allow_outside_spec_root = true;
        let err = read_checked(&dir.join("root/zero.json"), &options).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let err = read_checked(&dir.join("root"), &options).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// One reader for many files lets no link through: a link among plain files of a folder
    /// already read, a linked folder, and `..` after such a folder are resolved in full, and
    /// each read agrees with `std::fs::canonicalize`.
    #[cfg(unix)]
    #[test]
    fn one_reader_for_many_files_resolves_as_canonicalize_does() {
        let dir = scratch("cached");
        let root = dir.join("root");
        std::fs::create_dir_all(root.join("a/b")).expect("creates folders");
        std::fs::write(dir.join("secret.json"), "{}").expect("writes");
        std::fs::write(root.join("a/one.json"), "1").expect("writes");
        std::fs::write(root.join("a/b/two.json"), "2").expect("writes");
        std::os::unix::fs::symlink(dir.join("secret.json"), root.join("a/link.json"))
            .expect("links");
        std::os::unix::fs::symlink(&dir, root.join("a/out")).expect("links");
        std::os::unix::fs::symlink(root.join("a/b"), root.join("a/in")).expect("links");
        let options = LoadOptions::new(&root);
        let reader = CheckedReader::new(&options);
        for name in [
            "a/one.json",
            "a/b/two.json",
            "a/in/two.json",
            "a/b/../one.json",
        ] {
            let path = root.join(name);
            let (resolved, _) = reader.canonical(&path).expect("resolves");
            assert_eq!(
                resolved,
                std::fs::canonicalize(&path).expect("exists"),
                "{name}"
            );
            assert!(reader.read(&path).is_ok(), "{name}");
        }
        for name in ["a/link.json", "a/out/secret.json"] {
            let err = reader.read(&root.join(name)).unwrap_err();
            assert!(
                err.to_string().contains("outside the spec root"),
                "{name}: {err}"
            );
        }
        let err = reader.read(&root.join("a/missing.json")).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
        let err = reader.read(&root.join("a/b")).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A folder replaced by a link out of the root between two reads of one reader is
    /// refused at the second: nothing about a folder is remembered from one read to the next
    /// (review of the sixth round: a folder cache followed the link).
    #[cfg(unix)]
    #[test]
    fn a_folder_swapped_for_a_link_between_reads_is_refused() {
        let dir = scratch("swapped");
        let root = dir.join("root");
        std::fs::create_dir_all(root.join("d")).expect("creates folder");
        std::fs::create_dir_all(dir.join("outside")).expect("creates folder");
        std::fs::write(root.join("d/a.json"), "{}").expect("writes");
        std::fs::write(dir.join("outside/b.json"), "\"secret\"").expect("writes");
        let options = LoadOptions::new(&root);
        let reader = CheckedReader::new(&options);
        assert!(reader.read(&root.join("d/a.json")).is_ok());
        std::fs::remove_dir_all(root.join("d")).expect("removes");
        std::os::unix::fs::symlink(dir.join("outside"), root.join("d")).expect("links");
        // A fresh reader refuses it, and so does the one that read the folder before.
        let fresh = read_checked(&root.join("d/b.json"), &options);
        assert!(fresh.is_err(), "{fresh:?}");
        let cached = reader.read(&root.join("d/b.json"));
        let _ = std::fs::remove_dir_all(&dir);
        let err = cached.expect_err("a link out of the root is refused");
        assert!(err.to_string().contains("outside the spec root"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = scratch("fifo");
        let fifo = dir.join("root/pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            // Straight to stderr: libtest would capture `eprintln!` of a passing test.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "skipped: mkfifo is not available");
            return;
        }
        let err = read_checked(&fifo, &LoadOptions::new(&dir.join("root"))).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_over_the_limit_are_refused() {
        let dir = scratch("large");
        std::fs::write(dir.join("root/big.json"), "[1, 2, 3, 4]").expect("writes");
        let mut options = LoadOptions::new(&dir.join("root"));
        options.max_file_bytes = 8;
        let err = read_checked(&dir.join("root/big.json"), &options).unwrap_err();
        assert!(
            err.to_string().contains("larger than the limit of 8 bytes"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
