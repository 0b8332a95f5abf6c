//! A file's parts, formatted on whichever threads were free, joined by the thread that
//! formats its last part: joining spaces the whole file's text (`space_items`), work that
//! would otherwise wait until every thread is done.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};

use super::{Part, join};
use crate::diagnostics::Diagnostic;

/// Parts of files formatted so far, by file (`K`), until each file's last part is in.
pub struct Parts<K> {
    waiting: Mutex<HashMap<K, Vec<(usize, Part)>>>,
}

impl<K> Default for Parts<K> {
    fn default() -> Self {
        Self {
            waiting: Mutex::default(),
        }
    }
}

impl<K: Eq + Hash> Parts<K> {
    /// Adds part `part` of the `count` parts of `file`: once all are in, the file joined in
    /// the parts' order with its header ([`join`]); `None` while some are missing.
    pub fn add(
        &self,
        file: K,
        (part, count): (usize, usize),
        header: &str,
        text: Part,
    ) -> Option<Result<String, Diagnostic>> {
        let mut parts = if count <= 1 {
            vec![(part, text)]
        } else {
            let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
            let parts = waiting.entry(file).or_default();
            parts.push((part, text));
            if parts.len() < count {
                return None;
            }
            std::mem::take(parts)
        };
        // The lock is released: joining a large file does not hold up the other threads.
        parts.sort_unstable_by_key(|&(part, _)| part);
        debug_assert!(
            parts.iter().enumerate().all(|(at, &(part, _))| at == part),
            "each part of a file is added once"
        );
        Some(join(header, parts.into_iter().map(|(_, text)| text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts come in any order; the file comes out once, when the last is in, in order.
    #[test]
    fn the_last_part_in_joins_the_file_in_order() {
        let parts = Parts::default();
        let text = |t: &str| Part::Items(t.to_owned());
        assert!(
            parts
                .add("a", (2, 3), "// h\n", text("const C: u8 = 3;\n"))
                .is_none()
        );
        assert!(
            parts
                .add("a", (0, 3), "// h\n", text("fn f() {}\n"))
                .is_none()
        );
        let single = parts.add("b", (0, 1), "", text("struct S;\n"));
        assert_eq!(single.map(Result::ok), Some(Some("struct S;\n".to_owned())));
        let joined = parts.add("a", (1, 3), "// h\n", text("fn g() {}\n"));
        assert_eq!(
            joined.map(Result::ok),
            Some(Some(
                "// h\nfn f() {}\n\nfn g() {}\n\nconst C: u8 = 3;\n".to_owned()
            ))
        );
        assert!(parts.waiting.lock().unwrap().values().all(Vec::is_empty));
    }
}
