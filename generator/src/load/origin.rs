//! Where a place in a converted document came from in the original file.
//!
//! The lowering walks Swagger 2.0 documents in their OpenAPI 3 shape, so the places it
//! reports are pointers into that shape (`…/requestBody/content/application~1json/schema`).
//! Diagnostics, positions and the raw JSON must use the file as written
//! (`…/parameters/2/schema`): each converted place that moved is recorded here with its
//! original, and any pointer below it maps through the longest recorded prefix.

use std::borrow::Cow;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct PointerMap {
    /// Converted pointer → original pointer; only places that differ.
    moved: BTreeMap<String, String>,
    /// The first token of every recorded pointer (`/paths`, `/servers`, …, with its slash):
    /// most places the lowering asks about are under `/definitions`, which never moves, and
    /// are answered without walking their prefixes through `moved`.
    heads: Vec<String>,
}

/// A pointer's first token with its leading slash (`/paths` of `/paths/~1a/get`).
fn head(pointer: &str) -> &str {
    let end = pointer
        .get(1..)
        .and_then(|rest| rest.find('/'))
        .map_or(pointer.len(), |slash| slash + 1);
    &pointer[..end]
}

impl PointerMap {
    pub fn insert(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        let (converted, original) = (converted.into(), original.into());
        if converted != original {
            let first = head(&converted);
            if !self.heads.iter().any(|known| known == first) {
                self.heads.push(first.to_owned());
            }
            self.moved.insert(converted, original);
        }
    }

    /// The original pointer of a converted one: the longest recorded prefix (at a token
    /// boundary) is replaced by its original; unrecorded places did not move (and are
    /// borrowed, not copied: the lowering asks for many of them).
    pub fn original<'a>(&self, pointer: &'a str) -> Cow<'a, str> {
        // The whole document recorded (``) is a prefix of every pointer.
        let first = head(pointer);
        if !self
            .heads
            .iter()
            .any(|known| known.is_empty() || known == first)
        {
            return Cow::Borrowed(pointer);
        }
        let mut end = pointer.len();
        loop {
            let prefix = &pointer[..end];
            if let Some(original) = self.moved.get(prefix) {
                return Cow::Owned(format!("{original}{}", &pointer[end..]));
            }
            match prefix.rfind('/') {
                Some(slash) => end = slash,
                None => return Cow::Borrowed(pointer),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_wins_at_token_boundaries() {
        let mut map = PointerMap::default();
        map.insert(
            "/paths/~1a/post/requestBody",
            "/paths/~1a/post/parameters/2",
        );
        map.insert(
            "/paths/~1a/post/requestBody/content/application~1json/schema",
            "/paths/~1a/post/parameters/2/schema",
        );
        map.insert("/same", "/same");
        assert_eq!(
            map.original("/paths/~1a/post/requestBody/content/application~1json/schema/items"),
            "/paths/~1a/post/parameters/2/schema/items"
        );
        assert_eq!(
            map.original("/paths/~1a/post/requestBody/description"),
            "/paths/~1a/post/parameters/2/description"
        );
        assert_eq!(
            map.original("/paths/~1a/post/requestBodyX"),
            "/paths/~1a/post/requestBodyX"
        );
        assert_eq!(map.original(""), "");
        assert_eq!(map.original("/definitions/A"), "/definitions/A");
        assert_eq!(map.original("/paths"), "/paths");
    }

    /// The first-token shortcut answers as the walk through every prefix does: the same
    /// pointers mapped with a map that has no shortcut (every head listed).
    #[test]
    fn the_first_token_shortcut_changes_no_answer() {
        let mut map = PointerMap::default();
        map.insert("/servers", "/host");
        map.insert(
            "/paths/~1a/post/requestBody",
            "/paths/~1a/post/parameters/2",
        );
        map.insert("/x", "/y");
        let mut rooted = map.clone();
        rooted.insert("", "/root");
        let mut walked = map.clone();
        walked.heads = ["", "/paths", "/servers", "/x", "/definitions", "/pathsX"]
            .map(String::from)
            .to_vec();
        for pointer in [
            "",
            "/",
            "/servers",
            "/servers/0/url",
            "/paths",
            "/pathsX/a",
            "/paths/~1a/post/requestBody/x",
            "/definitions/A",
            "/x",
            "/xy",
            "/x/1",
            "//",
            "/a/",
        ] {
            assert_eq!(
                map.original(pointer),
                walked.original(pointer),
                "{pointer:?}"
            );
            let mut rooted_walked = rooted.clone();
            rooted_walked.heads.extend(walked.heads.iter().cloned());
            assert_eq!(
                rooted.original(pointer),
                rooted_walked.original(pointer),
                "{pointer:?}"
            );
        }
        assert_eq!(rooted.original("/pathsX/a"), "/root/pathsX/a");
        assert_eq!(head("/paths/~1a"), "/paths");
        assert_eq!(head("/paths"), "/paths");
        assert_eq!(head(""), "");
        assert_eq!(head("/"), "/");
        assert_eq!(head("//a"), "/");
    }
}
