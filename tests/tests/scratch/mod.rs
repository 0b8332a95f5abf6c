//! Scratch cargo workspaces for compiling generated code in tests, under the repository's
//! target folder (`target/codegen-scratch/<name>`).
//!
//! The scratch workspace copies the repository's `Cargo.toml` (workspace dependencies,
//! package settings and profiles) and `Cargo.lock`, and builds into the repository's own
//! target folder, offline: dependencies are the same units the tests crate already built, so
//! only the generated code itself is compiled.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Scratch {
    pub root: PathBuf,
}

/// The repository root (the tests crate lives one folder below it).
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the repository")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository().join("target"))
}

impl Scratch {
    /// An empty scratch workspace `name` whose members are `members` (folders inside it).
    pub fn new(name: &str, members: &[&str]) -> Scratch {
        let root = target_dir().join("codegen-scratch").join(name);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("creates the scratch workspace");
        let repository = repository();
        let manifest =
            std::fs::read_to_string(repository.join("Cargo.toml")).expect("reads Cargo.toml");
        let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        let mut out = String::new();
        for line in manifest.lines() {
            let line = if line.starts_with("members = ") {
                format!("members = [{}]", members.join(", "))
            } else if let Some((before, after)) = line.split_once("path = \"") {
                // Workspace path dependencies (the runtime) from the repository.
                format!("{before}path = \"{}/{after}", repository.display())
            } else {
                line.to_string()
            };
            out.push_str(&line);
            out.push('\n');
        }
        std::fs::write(root.join("Cargo.toml"), out).expect("writes the scratch manifest");
        std::fs::copy(repository.join("Cargo.lock"), root.join("Cargo.lock"))
            .expect("copies Cargo.lock");
        Scratch { root }
    }

    pub fn write(&self, relative: impl AsRef<Path>, contents: &str) {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("folder");
        std::fs::write(&path, contents).expect("writes a scratch file");
    }

    /// `cargo <args> --offline` in the workspace, into the repository's target folder.
    pub fn cargo(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO"))
            .args(args)
            .arg("--offline")
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", target_dir())
            .output()
            .expect("runs cargo")
    }
}

/// A failed cargo run as text for an assertion message.
pub fn describe(output: &Output) -> String {
    format!(
        "cargo exited with {}\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
