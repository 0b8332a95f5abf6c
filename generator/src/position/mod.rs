//! Line:column of a JSON pointer in JSON source text, so diagnostics point into the file like
//! a compiler does (`specs/x.json:42:7`). serde_json does not keep positions for values, so
//! this walks the text with a small scanner that only understands as much JSON as it needs to
//! skip values. On anything unexpected it gives up (`None`): positions are a convenience,
//! never a reason to fail. YAML text has its own walk ([`yaml`]).
//!
//! A span-keeping parser was measured instead of this scanner (jsonc-parser 0.34, strict
//! options, same results on all 3406 pointers of DiskRP.json): it builds the whole document's
//! AST, and locating DiskRP's warnings took 1.42 ms against the scanner's 0.94 ms.

use std::borrow::Cow;
use std::ops::Bound;

use crate::load::refs::unescape_token;

pub mod yaml;

/// The 1-based line and column where the value at `pointer` starts (for an object member,
/// where its key starts).
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens: Vec<Cow<'_, str>> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(unescape_token)
            .collect()
    };
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    let mut target = scanner.skip_whitespace();
    for token in &tokens {
        target = scanner.find_child(token)?;
    }
    Some(line_col(text, target))
}

/// [`locate`] for many pointers into one text, in one pass over it: a spec with hundreds of
/// warnings is scanned once, not once per warning. Results are in the order of `pointers`.
pub fn locate_all(text: &str, pointers: &[&str]) -> Vec<Option<(usize, usize)>> {
    if pointers.len() <= 2 {
        return pointers
            .iter()
            .map(|pointer| locate(text, pointer))
            .collect();
    }
    let wanted: std::collections::BTreeSet<&str> = pointers.iter().copied().collect();
    let mut found = std::collections::BTreeMap::new();
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    let start = scanner.skip_whitespace();
    if wanted.contains("") {
        found.insert(String::new(), start);
    }
    // A document that does not scan keeps whatever was found before the problem.
    let _ = scanner.index(&mut String::new(), &wanted, &mut found, 0);
    let positions = line_cols(text, found.values().copied().collect());
    pointers
        .iter()
        .map(|pointer| {
            found
                .get(*pointer)
                .and_then(|offset| positions.get(offset).copied())
        })
        .collect()
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    line_cols(text, vec![offset])
        .into_values()
        .next()
        .unwrap_or((1, 1))
}

/// Line and column (in characters) of every offset, in one pass over the text however many
/// offsets there are: per-offset scans from the start of the file are quadratic on a spec
/// with thousands of diagnostics, and on a minified spec even per-line scans would be.
fn line_cols(
    text: &str,
    mut offsets: Vec<usize>,
) -> std::collections::BTreeMap<usize, (usize, usize)> {
    offsets.sort_unstable();
    offsets.dedup();
    let mut positions = std::collections::BTreeMap::new();
    let (mut line, mut column) = (1, 1);
    let mut wanted = offsets.into_iter().peekable();
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), '\n')))
    {
        while let Some(&offset) = wanted.peek() {
            if offset > at {
                break;
            }
            positions.insert(offset, (line, column));
            wanted.next();
        }
        if wanted.peek().is_none() {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    positions
}

/// Whether some wanted pointer lies below `pointer` (`pointer/…`). The pointers below one
/// place sort together, from `pointer/` on. `pointer` is only borrowed to append the `/`.
fn has_descendant(wanted: &std::collections::BTreeSet<&str>, pointer: &mut String) -> bool {
    pointer.push('/');
    let below = wanted
        .range::<str, _>((Bound::Included(pointer.as_str()), Bound::Unbounded))
        .next()
        .is_some_and(|first| first.starts_with(pointer.as_str()));
    pointer.pop();
    below
}

/// The offset of the first `"` or `\\` in `bytes`.
fn memchr_quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'"' || b == b'\\')
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) -> usize {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
        self.at
    }

    /// Inside the value starting at `self.at`, moves to the child named `token` and returns
    /// its start (the key's start for object members).
    fn find_child(&mut self, token: &str) -> Option<usize> {
        self.skip_whitespace();
        match self.peek()? {
            b'{' => {
                self.at += 1;
                loop {
                    let key_start = self.skip_whitespace();
                    if self.peek()? == b'}' {
                        return None;
                    }
                    let key = self.string()?;
                    self.skip_whitespace();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.at += 1;
                    self.skip_whitespace();
                    if key == token {
                        return Some(key_start);
                    }
                    self.skip_value()?;
                    self.skip_whitespace();
                    match self.peek()? {
                        b',' => self.at += 1,
                        _ => return None,
                    }
                }
            }
            b'[' => {
                let index: usize = token.parse().ok()?;
                self.at += 1;
                for _ in 0..index {
                    self.skip_whitespace();
                    self.skip_value()?;
                    self.skip_whitespace();
                    if self.peek()? != b',' {
                        return None;
                    }
                    self.at += 1;
                }
                Some(self.skip_whitespace())
            }
            _ => None,
        }
    }

    /// Reads a string at `self.at`, unescaping the simple escapes keys use.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let byte = self.peek()?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escaped = self.peek()?;
                    self.at += 1;
                    match escaped {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex =
                                std::str::from_utf8(self.bytes.get(self.at..self.at + 4)?).ok()?;
                            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)
                                .unwrap_or('\u{fffd}');
                            self.at += 4;
                            let mut buffer = [0; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// Skips a string at `self.at` without reading it into one.
    fn skip_string(&mut self) -> Option<()> {
        self.at += 1;
        loop {
            let end = memchr_quote_or_backslash(self.bytes.get(self.at..)?)?;
            self.at += end;
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                // A backslash and the byte it escapes (`\u` is followed by plain hex).
                _ => self.at += 2,
            }
        }
    }

    /// Walks the value at `self.at`, recording where each wanted pointer starts (for object
    /// members, where the key starts). Nesting deeper than serde_json accepts is not walked.
    fn index(
        &mut self,
        pointer: &mut String,
        wanted: &std::collections::BTreeSet<&str>,
        found: &mut std::collections::BTreeMap<String, usize>,
        depth: usize,
    ) -> Option<()> {
        self.skip_whitespace();
        if depth > 128 {
            return self.skip_value();
        }
        let open = self.peek()?;
        if open != b'{' && open != b'[' {
            return self.skip_value();
        }
        self.at += 1;
        let mut index = 0usize;
        loop {
            let start = self.skip_whitespace();
            match self.peek()? {
                b'}' | b']' => {
                    self.at += 1;
                    return Some(());
                }
                b',' => {
                    self.at += 1;
                    continue;
                }
                _ => {}
            }
            let token = if open == b'{' {
                let key = self.string()?;
                self.skip_whitespace();
                if self.peek()? != b':' {
                    return None;
                }
                self.at += 1;
                crate::diagnostics::pointer_token(&key)
            } else {
                index += 1;
                (index - 1).to_string()
            };
            let length = pointer.len();
            pointer.push('/');
            pointer.push_str(&token);
            if wanted.contains(pointer.as_str()) {
                let offset = if open == b'{' {
                    start
                } else {
                    self.skip_whitespace()
                };
                found.insert(pointer.clone(), offset);
            }
            if has_descendant(wanted, pointer) {
                self.index(pointer, wanted, found, depth + 1)?;
            } else {
                // Nothing wanted below: skip the value without naming its members.
                self.skip_value()?;
            }
            pointer.truncate(length);
        }
    }

    /// Skips one value. Iterative, with the open brackets on a heap stack: a file nested a
    /// million levels deep must not overflow the thread's stack.
    fn skip_value(&mut self) -> Option<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek()? {
                b'"' => self.skip_string()?,
                byte @ (b'{' | b'[') => {
                    open.push(if byte == b'{' { b'}' } else { b']' });
                    self.at += 1;
                    continue;
                }
                byte @ (b'}' | b']') if open.last() == Some(&byte) => {
                    open.pop();
                    self.at += 1;
                }
                b',' | b':' if !open.is_empty() => {
                    self.at += 1;
                    continue;
                }
                _ => {
                    let start = self.at;
                    while matches!(self.peek(), Some(c) if !matches!(c, b',' | b':' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    {
                        self.at += 1;
                    }
                    if self.at == start {
                        return None;
                    }
                }
            }
            if open.is_empty() {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_and_array_items() {
        let text = "{\n  \"a\": {\"b~c\": 1, \"x/y\": [10, {\"z\": \"}\"}]},\n  \"q\": \"\\\"\"\n}";
        assert_eq!(locate(text, ""), Some((1, 1)));
        assert_eq!(locate(text, "/a"), Some((2, 3)));
        assert_eq!(locate(text, "/a/x~1y/1/z"), Some((2, 32)));
        assert_eq!(locate(text, "/a/b~0c"), Some((2, 9)));
        assert_eq!(locate(text, "/q"), Some((3, 3)));
        assert_eq!(locate(text, "/missing"), None);
        assert_eq!(locate(text, "/a/x~1y/5"), None);
        assert_eq!(locate("{\"a\": ", "/a/b"), None);
        let many = ["/q", "", "/a/x~1y/1/z", "/missing", "/a/b~0c", "/a"];
        let expected: Vec<_> = many.iter().map(|p| locate(text, p)).collect();
        assert_eq!(locate_all(text, &many), expected);
        // Subtrees with nothing wanted are skipped, their strings included: an escaped quote
        // or a trailing backslash must not end a string early.
        let skipped =
            "{\"s\": {\"k\": \"a\\\\\", \"q\": \"\\\"}\"}, \"t\": [1, {\"u\": 2}], \"v\": 3}";
        let wanted = ["/v", "/t/1/u", "/t/0", "/x/y"];
        let expected: Vec<_> = wanted.iter().map(|p| locate(skipped, p)).collect();
        assert_eq!(expected[0], Some((1, 53)));
        assert_eq!(locate_all(skipped, &wanted), expected);
        // Columns count characters, not bytes.
        assert_eq!(locate("{\"é\": 1, \"b\": 2}", "/b"), Some((1, 10)));
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 1_000_000;
        let text = format!(
            "{{\"a\": {}1{}, \"b\": 2}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_eq!(locate(&text, "/b"), Some((1, 2 * depth + 10)));
        assert_eq!(
            locate_all(&text, &["/b", "/a", "/a/0", "/x"])[0],
            Some((1, 2 * depth + 10))
        );
    }
}
