//! A file's tokens cut into its top-level items without parsing them, and the items formatted
//! once per run however many files hold them.
//!
//! Formatting (syn's parse of the emitted tokens, then prettyplease) is most of a run's
//! work, and most of it is done twice: two api-versions of a service share most of their
//! models and options structs token for token. prettyplease prints the items of a file one
//! after the other, each from the start of a line at no indentation and ending in a line
//! break, so a file's text is the concatenation of its items' texts printed alone; an item
//! already printed for another file is taken as it is.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use proc_macro2::{Delimiter, TokenTree};

/// Where each top-level item of a file starts and ends, as ranges of `tokens` (the file's
/// top-level token trees): first the file's inner attributes (`#![...]`, when there are
/// any), then one range per item. `None` when the tokens do not look like items (the caller
/// then formats the file whole).
///
/// An item ends at a top-level `;`, or at its first top-level `{ ... }` (and a `;` right
/// after it) unless it is a `use` or has a top-level `=` (`const X: S = S { .. };`): the
/// braces then belong to the path or the value, and the item ends at its `;`. Ranges can
/// only come out longer than one item (two items in one range parse and print as before),
/// never shorter: a range that is not whole items fails to parse, and the file is then
/// formatted whole.
pub(super) fn item_ranges(tokens: &[TokenTree]) -> Option<Vec<Range<usize>>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start + 2 < tokens.len()
        && is_punct(&tokens[start], '#')
        && is_punct(&tokens[start + 1], '!')
        && matches!(&tokens[start + 2], TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)
    {
        start += 3;
    }
    if start > 0 {
        ranges.push(0..start);
    }
    let (mut assigns, mut is_use) = (false, false);
    let mut at = start;
    while at < tokens.len() {
        // An inner attribute after the first item parses alone but not in a file: let the
        // whole file's parse report it.
        if at == start
            && is_punct(&tokens[at], '#')
            && tokens.get(at + 1).is_some_and(|t| is_punct(t, '!'))
        {
            return None;
        }
        let ends_item = match &tokens[at] {
            TokenTree::Punct(p) if p.as_char() == ';' => true,
            TokenTree::Punct(p) if p.as_char() == '=' => {
                assigns = true;
                false
            }
            TokenTree::Ident(ident) if ident == "use" => {
                is_use = true;
                false
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && !assigns && !is_use => {
                if tokens.get(at + 1).is_some_and(|t| is_punct(t, ';')) {
                    at += 1;
                }
                true
            }
            _ => false,
        };
        at += 1;
        if ends_item {
            ranges.push(start..at);
            start = at;
            (assigns, is_use) = (false, false);
        }
    }
    // Tokens after the last item are no item: let the whole file's parse say what they are.
    (start == tokens.len()).then_some(ranges)
}

fn is_punct(token: &TokenTree, c: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == c)
}

/// The formatted text of everything formatted so far in a run, by its tokens as text
/// (`TokenStream`'s `Display`: the tokens it was lexed from come back from it, spacing of
/// punctuation included; the emitters make no invisible groups, the one thing it does not
/// show). Three kinds of entries: whole items, their doc lines blinded to placeholders that
/// the caller fills back in (`format/docs.rs`); function shells, with one placeholder
/// statement; and single statements, keyed with a leading `\u{1}` (`format/statements.rs`).
/// Every file's entries stay for the whole run: about twice the generated text in memory.
///
/// Shared by the threads that render files; a thread that finds an item being formatted by
/// another one formats the rest of its file first and takes the item at the end, so two
/// threads on the two api-versions' models share the work between them.
#[derive(Default)]
pub struct Items {
    slots: Mutex<HashMap<Arc<str>, Slot, SeededText>>,
}

/// The map's hash: its keys are whole items (a megabyte of text in a large crate), which
/// SipHash took 2% of a run to hash. A word at a time (FxHash's mixing), from a seed drawn
/// once per run: keys come partly from spec text, and a spec written to make items collide
/// under a fixed seed would make each lookup compare against every item before it.
struct SeededText(u64);

impl Default for SeededText {
    fn default() -> Self {
        Self(RandomState::new().hash_one(0_u8))
    }
}

impl BuildHasher for SeededText {
    type Hasher = TextHasher;

    fn build_hasher(&self) -> TextHasher {
        TextHasher(self.0)
    }
}

struct TextHasher(u64);

impl TextHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for chunk in &mut words {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &byte in words.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

enum Slot {
    /// A thread is formatting the item.
    Claimed,
    Done(Arc<str>),
}

/// What [`Items::claim`] found.
pub(super) enum Claim {
    /// The item's text, formatted before.
    Done(Arc<str>),
    /// Another thread is formatting it: look again later.
    Elsewhere,
    /// Nobody has: the caller formats it, then calls [`Items::finish`] or [`Items::abandon`].
    Mine,
}

impl Items {
    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Slot, SeededText>> {
        // A thread that panicked left the map whole (every change is one insert or remove).
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn claim(&self, key: &Arc<str>) -> Claim {
        let mut slots = self.slots();
        match slots.get(key) {
            Some(Slot::Done(text)) => Claim::Done(text.clone()),
            Some(Slot::Claimed) => Claim::Elsewhere,
            None => {
                slots.insert(key.clone(), Slot::Claimed);
                Claim::Mine
            }
        }
    }

    /// The text of an item that was [`Claim::Elsewhere`], if it is done by now.
    pub(super) fn done(&self, key: &str) -> Option<Arc<str>> {
        match self.slots().get(key) {
            Some(Slot::Done(text)) => Some(text.clone()),
            _ => None,
        }
    }

    pub(super) fn finish(&self, key: Arc<str>, text: Arc<str>) {
        self.slots().insert(key, Slot::Done(text));
    }

    /// A claimed item that did not parse: whoever meets it next formats it again (and fails
    /// the same way, with its own file's diagnostic).
    pub(super) fn abandon(&self, key: &str) {
        self.slots().remove(key);
    }

    /// The text under `key`, or formatted by `format` (and put here). A text another thread
    /// is formatting is formatted here too rather than waited for: this is for function
    /// shells and statements, which are small.
    pub(super) fn get_or_format(
        &self,
        key: Arc<str>,
        format: impl FnOnce() -> Option<String>,
    ) -> Option<Arc<str>> {
        match self.claim(&key) {
            Claim::Done(text) => Some(text),
            Claim::Elsewhere => format().map(Arc::from),
            Claim::Mine => self.format_claimed(key, format),
        }
    }

    /// Formats what this thread claimed under `key` and puts it here, or gives the claim up
    /// when it does not format.
    pub(super) fn format_claimed(
        &self,
        key: Arc<str>,
        format: impl FnOnce() -> Option<String>,
    ) -> Option<Arc<str>> {
        match format() {
            Some(text) => {
                let text: Arc<str> = text.into();
                self.finish(key, text.clone());
                Some(text)
            }
            None => {
                self.abandon(&key);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::TokenStream;

    fn ranges(code: &str) -> Option<Vec<String>> {
        let tokens: Vec<TokenTree> = code
            .parse::<TokenStream>()
            .expect("lexes")
            .into_iter()
            .collect();
        item_ranges(&tokens).map(|ranges| {
            ranges
                .into_iter()
                .map(|r| {
                    tokens[r]
                        .iter()
                        .cloned()
                        .collect::<TokenStream>()
                        .to_string()
                })
                .collect()
        })
    }

    #[test]
    fn items_end_at_their_semicolon_or_body() {
        let code = "#![doc = \"x\"] #![allow(a)] use a::{b, c}; pub struct S { f: u8 } \
                    #[derive(Debug)] pub struct T(u8); impl S { fn f() {} } \
                    const C: S = S { f: 1 }; fn g<T>() where T: Copy { } mod m;";
        assert_eq!(
            ranges(code).expect("items"),
            [
                "#! [doc = \"x\"] #! [allow (a)]",
                "use a :: { b , c } ;",
                "pub struct S { f : u8 }",
                "# [derive (Debug)] pub struct T (u8) ;",
                "impl S { fn f () { } }",
                "const C : S = S { f : 1 } ;",
                "fn g < T > () where T : Copy { }",
                "mod m ;",
            ]
        );
    }

    #[test]
    fn a_generic_binding_joins_items_and_trailing_tokens_give_up() {
        // `Item = u8` looks like an assignment: the body does not end the item, the next
        // `;` does; two items in one range format as before.
        let joined = ranges("fn f() -> impl Iterator<Item = u8> { x } struct S;");
        assert_eq!(
            joined.expect("items"),
            ["fn f () -> impl Iterator < Item = u8 > { x } struct S ;"]
        );
        assert_eq!(ranges("struct S; fn f()"), None);
        assert_eq!(ranges(""), Some(vec![]));
    }

    #[test]
    fn an_inner_attribute_after_an_item_gives_up() {
        // Alone, `#![allow(x)] struct T;` parses; in the file it does not, and the whole
        // file's parse must be the one to say so.
        assert_eq!(ranges("struct S; #![allow(x)] struct T;"), None);
        let leading = ranges("#![allow(x)] struct S;").expect("items");
        assert_eq!(leading, ["#! [allow (x)]", "struct S ;"]);
    }
}
