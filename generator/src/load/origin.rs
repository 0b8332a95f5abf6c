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
}

impl PointerMap {
    pub fn insert(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        let (converted, original) = (converted.into(), original.into());
        if converted != original {
            self.moved.insert(converted, original);
        }
    }

    /// The original pointer of a converted one: the longest recorded prefix (at a token
    /// boundary) is replaced by its original; unrecorded places did not move (and are
    /// borrowed, not copied: the lowering asks for many of them).
    pub fn original<'a>(&self, pointer: &'a str) -> Cow<'a, str> {
        if self.moved.is_empty() {
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
    }
}
