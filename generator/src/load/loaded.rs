//! The files of one load, looked up by path.
//!
//! The lowering asks for a file by path thousands of times (every `raw_value`, `$ref` and
//! diagnostic), and a spec has few files. `BTreeMap<PathBuf, _>` compares paths component
//! by component (`std::path::compare_components`, ≈ 800 instructions a lookup on the
//! DiskRP); paths here are normalised, so equal paths are equal bytes and a scan that
//! compares lengths first finds them for a few instructions each. A path spelled otherwise
//! (`a//b`, `a/./b`) is still found by the ordered search, as before.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::origin::PointerMap;

/// One loaded file: as written, and for Swagger 2.0 in the OpenAPI 3 shape the lowering
/// walks with the way back to the original pointers.
#[derive(Debug)]
pub struct Loaded {
    pub raw: Value,
    pub converted: Option<(Value, PointerMap)>,
}

impl Loaded {
    /// The file in the shape the lowering reads: converted, or as written.
    pub fn shaped(&self) -> &Value {
        match &self.converted {
            Some((value, _)) => value,
            None => &self.raw,
        }
    }
}

/// The loaded files in path order (the order of a `BTreeMap<PathBuf, _>`).
#[derive(Debug, Default)]
pub struct Files(Vec<(PathBuf, Loaded)>);

/// Up to this many files a lookup scans by bytes first; beyond, it searches by order only.
const SCANNED: usize = 32;

impl Files {
    /// `files` must be in path order, as a `BTreeMap`'s iteration gives them.
    pub fn new(files: impl IntoIterator<Item = (PathBuf, Loaded)>) -> Self {
        let files: Vec<_> = files.into_iter().collect();
        debug_assert!(files.windows(2).all(|pair| pair[0].0 < pair[1].0));
        Files(files)
    }

    pub fn get(&self, path: &Path) -> Option<&Loaded> {
        if self.0.len() <= SCANNED {
            let bytes = path.as_os_str().as_encoded_bytes();
            let same = |(file, _): &&(PathBuf, Loaded)| {
                let file = file.as_os_str().as_encoded_bytes();
                file.len() == bytes.len() && file == bytes
            };
            if let Some((_, loaded)) = self.0.iter().find(same) {
                return Some(loaded);
            }
        }
        let index = self
            .0
            .binary_search_by(|(file, _)| file.as_path().cmp(path))
            .ok()?;
        Some(&self.0[index].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn loaded(n: u64) -> Loaded {
        Loaded {
            raw: Value::from(n),
            converted: None,
        }
    }

    /// The lookup finds what `BTreeMap::get` finds, for paths spelled as stored and
    /// otherwise, with few files (scanned) and many (searched only).
    #[test]
    fn finds_what_a_btree_map_finds() {
        for count in [0, 1, 3, SCANNED, SCANNED + 5] {
            let names: Vec<PathBuf> = (0..count)
                .map(|i| PathBuf::from(format!("/specs/{}/f{i}.json", i % 3)))
                .collect();
            let map: BTreeMap<PathBuf, u64> = names.iter().cloned().zip(0..).collect();
            let files = Files::new(map.iter().map(|(path, n)| (path.clone(), loaded(*n))));
            let mut asked = names.clone();
            asked.extend(
                names
                    .iter()
                    .map(|p| PathBuf::from(p.to_string_lossy().replace('/', "//"))),
            );
            asked.extend(
                names
                    .iter()
                    .map(|p| PathBuf::from(p.to_string_lossy().replace("/f", "/./f"))),
            );
            asked.push(PathBuf::from("/specs/missing.json"));
            asked.push(PathBuf::from(""));
            for path in &asked {
                let found = files.get(path).map(|l| l.raw.as_u64().expect("a number"));
                assert_eq!(found, map.get(path).copied(), "{}", path.display());
            }
        }
    }
}
