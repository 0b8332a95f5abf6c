//! The only ways spec text reaches generated code: one function per context.
//!
//! Specs come from thousands of authors; their text must never become code that compiles or
//! runs. Each context has exactly one escaping function here, and the emitters put spec text
//! nowhere else:
//!
//! | context | function | guarantees |
//! |---|---|---|
//! | a doc comment built from a description | [`doc_markdown`] | one line per item, no control characters, no intra-doc links or HTML, every code block fenced as `text` (never a doctest) |
//! | a spec value inside a generated doc sentence | [`doc_text`] | one line of plain text that starts no block (no fence, heading, list, quote) |
//! | a spec value shown as code in docs | [`doc_code`] | one inline code span, whatever backticks the value holds |
//! | a string literal in code shown in docs (the module example) | [`string_literal`] | a Rust string literal that ends where it should |
//! | a comment line (file headers) | [`comment_text`] | one line |
//! | a JSON body in a generated test | [`raw_string_literal`] | one raw string literal token that no text can end early |
//! | an identifier | [`crate::naming::snake`], [`crate::naming::upper_camel`] | ASCII letters, digits and `_`, keywords escaped |
//!
//! Other string literals in generated code (wire names, patterns) are tokens built by
//! `quote`, which escapes them; they need nothing from here.

use proc_macro2::Literal;

/// A description as doc-comment lines (markdown): paragraphs kept, blank runs collapsed,
/// `[`, `]`, `<`, `>` and `\` escaped so rustdoc sees no links or HTML, bare URLs wrapped in
/// `<...>`. A fenced code block (` ``` ` or `~~~`, at any indentation) keeps its text but is
/// rendered as a `text` block: rustdoc would otherwise compile and run it as a doctest.
pub fn doc_markdown(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut raw_lines = text.lines().peekable();
    while let Some(raw) = raw_lines.next() {
        let line = raw.trim();
        if let Some(opener) = fence(line) {
            let mut block = Vec::new();
            for raw in raw_lines.by_ref() {
                if closes(raw.trim(), opener) {
                    break;
                }
                block.push(without_controls(raw.trim_end()));
            }
            push_text_block(&mut lines, block);
            continue;
        }
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(escape_line(line));
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// One line of plain text for a sentence the generator writes (`The client of {title}.`):
/// newlines and control characters become spaces, markdown is escaped, and nothing the text
/// starts with can open a block.
pub fn doc_text(text: &str) -> String {
    let line = without_controls(text.trim());
    let escaped = escape_line(line.trim());
    // `#`, `-`, `*`, `+`, `=`, `|`, `>` or a digit followed by `.` at the start would make
    // a heading, list, quote or table when the sentence is a line of its own.
    match escaped.chars().next() {
        Some('#' | '-' | '*' | '+' | '=' | '|' | '`' | '~') => format!("\\{escaped}"),
        _ => escaped,
    }
}

/// A value as one inline code span (`` `value` ``): markdown inside is shown literally, a
/// backtick in the value gets a longer fence, and control characters become spaces.
pub fn doc_code(text: &str) -> String {
    let text = without_controls(text);
    let longest = longest_run(&text, '`');
    let fence = "`".repeat(longest + 1);
    // CommonMark strips one space from each side when both are there; pad when the value
    // starts or ends with a backtick (or is only spaces) so it is shown exactly.
    let pad = text.starts_with('`') || text.ends_with('`') || text.trim().is_empty();
    if pad {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A Rust string literal holding `text`, for code the generator writes into docs (the
/// module's example): quotes, backslashes and control characters are escaped, so the literal
/// ends exactly where it should and the line stays one line.
pub fn string_literal(text: &str) -> String {
    // `str`'s Debug output is valid Rust string literal syntax (`\"`, `\\`, `\n`, `\u{..}`).
    format!("{text:?}")
}

/// Text (a JSON body of a replayed example) as a raw string literal token, `r#"{"a":1}"#`:
/// the JSON reads as it is in the spec, and syn parses it without unescaping every
/// character (string literals were a large share of `cargo xtask codegen`'s time). The `#`
/// fence is one longer than any run of `#` after a `"` in the text, so no text can end the
/// literal early. Text with control characters (a bare carriage return is an error in a raw
/// string; a line break would split the line) becomes an ordinary escaped literal.
pub fn raw_string_literal(text: &str) -> Literal {
    if has_control(text) {
        return Literal::string(text);
    }
    let fence = match text
        .match_indices('"')
        .map(|(at, _)| hashes_after(text, at + 1))
        .max()
    {
        Some(longest) => "#".repeat(longest + 1),
        None => String::new(),
    };
    // The lexer checks it is one literal; anything else would be a bug above, and falls
    // back to the escaped form rather than to code.
    format!("r{fence}\"{text}\"{fence}")
        .parse::<Literal>()
        .unwrap_or_else(|_| Literal::string(text))
}

/// A character spec text may not carry into a comment or a raw literal: a control
/// character, or one that changes the direction of the text around it (U+202A–U+202E,
/// U+2066–U+2069), which rustc denies in comments and literals
/// (`text_direction_codepoint_in_comment`, `…_in_literal`): code would read differently
/// from what it is.
fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text.chars().any(is_hidden)`, byte by byte for ASCII text (every doc line passes here,
/// and the Unicode check per character showed in the profile).
fn has_control(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().any(|b| b.is_ascii_control())
    } else {
        text.chars().any(is_hidden)
    }
}

/// The number of `#` at the start of `text[from..]`.
fn hashes_after(text: &str, from: usize) -> usize {
    text[from..].bytes().take_while(|&b| b == b'#').count()
}

/// Text for a `//` or `#` comment line: one line, no control characters.
pub fn comment_text(text: &str) -> String {
    without_controls(text)
}

/// The opening fence of a code block: its character and length.
fn fence(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let length = line.chars().take_while(|&x| x == c).count();
    // A backtick fence's info string may not contain a backtick (then it is inline code).
    let info_ok = c == '~' || !line[length..].contains('`');
    (length >= 3 && info_ok).then_some((c, length))
}

/// Whether `line` closes a block opened by `opener` (same character, at least as long, no
/// info string).
fn closes(line: &str, (c, length): (char, usize)) -> bool {
    let run = line.chars().take_while(|&x| x == c).count();
    run >= length && line[run..].trim().is_empty()
}

/// A spec code block as a `text` block, its fence longer than any backtick run in it so that
/// no line of the block can close it early.
fn push_text_block(lines: &mut Vec<String>, block: Vec<String>) {
    let longest = block.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    if lines.last().is_some_and(|l| !l.is_empty()) {
        lines.push(String::new());
    }
    lines.push(format!("{fence}text"));
    lines.extend(block);
    lines.push(fence);
    lines.push(String::new());
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for x in text.chars() {
        run = if x == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Control characters (a bare carriage return is a compile error in a doc comment; a line
/// break would end a comment) and direction changes ([`is_hidden`]) become spaces.
fn without_controls(text: &str) -> String {
    text.chars()
        .map(|c| if is_hidden(c) { ' ' } else { c })
        .collect()
}

/// One line of prose: markdown link and HTML syntax escaped, URLs made autolinks, and a line
/// that would open a code block (three backticks or tildes) escaped so it does not.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    if fence(line).is_some() {
        out.push('\\');
    }
    // Runs of plain ASCII are copied whole: every doc line of the spec passes here, and a
    // URL can only start at an `h`.
    let bytes = line.as_bytes();
    let (mut at, mut copied) = (0, 0);
    while at < bytes.len() {
        let byte = bytes[at];
        let plain = byte.is_ascii()
            && !byte.is_ascii_control()
            && !matches!(byte, b'[' | b']' | b'<' | b'>' | b'\\' | b'h');
        if plain {
            at += 1;
            continue;
        }
        out.push_str(&line[copied..at]);
        let rest = &line[at..];
        if let Some(url_len) = url_at(rest) {
            out.push('<');
            out.push_str(&rest[..url_len]);
            out.push('>');
            at += url_len;
        } else {
            let Some(c) = rest.chars().next() else { break };
            push_escaped(&mut out, c);
            at += c.len_utf8();
        }
        copied = at;
    }
    out.push_str(&line[copied..]);
    out
}

/// One character of prose: hidden characters become spaces, link and HTML syntax is
/// escaped.
fn push_escaped(out: &mut String, c: char) {
    if is_hidden(c) {
        out.push(' ');
    } else {
        if matches!(c, '[' | ']' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The length of an http(s) URL at the start of `text`, without trailing punctuation.
fn url_at(text: &str) -> Option<usize> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || is_hidden(c) || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', ')', '\'', ']']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `escape_line` as it was, a character at a time (each character escaped by the same
    /// `push_escaped`): the run-copying version must say the same of every line.
    fn escape_line_by_char(line: &str) -> String {
        let mut out = String::with_capacity(line.len() + 8);
        if fence(line).is_some() {
            out.push('\\');
        }
        let mut rest = line;
        while !rest.is_empty() {
            if let Some(url_len) = url_at(rest) {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
            let Some(c) = rest.chars().next() else { break };
            push_escaped(&mut out, c);
            rest = &rest[c.len_utf8()..];
        }
        out
    }

    #[test]
    fn escape_line_copies_runs_as_the_character_walk_did() {
        let pieces = [
            "",
            "plain words",
            "h",
            "ht",
            "http",
            "http://",
            "https://x.y/a_b.",
            "(see https://a.b/c)",
            "[link](u)",
            "<b>",
            "a\\b",
            "\t",
            "\u{7}",
            "\u{85}",
            "naïve",
            "«x»",
            "\u{202E}",
            "\u{2066}",
            "hhttp://q",
            "```",
            "~~~",
            " ",
            "é",
            "日本",
        ];
        let mut lines: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
        for a in pieces {
            for b in pieces {
                lines.push(format!("{a}{b}"));
                lines.push(format!("{a} {b}h"));
            }
        }
        for line in &lines {
            assert_eq!(escape_line(line), escape_line_by_char(line), "{line:?}");
        }
    }

    #[test]
    fn raw_string_literals_end_where_the_text_ends() {
        let cases = [
            (r#"{"a":1}"#, r##"r#"{"a":1}"#"##),
            ("no quotes", r#"r"no quotes""#),
            (r##"{"k":"x"#y"}"##, r###"r##"{"k":"x"#y"}"##"###),
            (r###"a"##"###, r####"r###"a"##"###"####),
            // JSON escapes stay as they are: a raw string needs none of its own.
            (r"line\nbreak\\", r#"r"line\nbreak\\""#),
            // A real carriage return cannot stand in a raw string.
            ("bare\rreturn", r#""bare\rreturn""#),
        ];
        for (text, expected) in cases {
            let literal = raw_string_literal(text);
            assert_eq!(literal.to_string(), expected, "for {text:?}");
            let parsed: syn::LitStr = syn::parse_str(&literal.to_string()).unwrap();
            assert_eq!(parsed.value(), text);
        }
        // Control characters outside ASCII (C1, here NEL) are escaped too; other text is not.
        for (text, raw) in [
            ("a\u{85}b", false),
            ("a\u{7f}b", false),
            ("naïve «x»", true),
        ] {
            let literal = raw_string_literal(text).to_string();
            assert_eq!(literal.starts_with('r'), raw, "for {text:?}: {literal}");
        }
    }

    #[test]
    fn direction_changes_never_reach_a_comment_or_a_literal() {
        // rustc denies them in comments and literals: a spec carrying one would stop the
        // generated crate compiling (the hostile fixture has them too).
        for c in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            let text = format!("a{c}b");
            let literal = raw_string_literal(&text).to_string();
            assert!(!literal.contains(c), "{literal}");
            assert!(!string_literal(&text).contains(c));
            assert_eq!(comment_text(&text), "a b");
            assert_eq!(doc_code(&text), "`a b`");
        }
    }

    /// What rustdoc would treat as a code block in doc lines: every line that opens a fence,
    /// with its info string. Only `text` blocks (never compiled) may come from a spec.
    fn code_block_infos(lines: &[String]) -> Vec<String> {
        let mut infos = Vec::new();
        let mut open: Option<(char, usize)> = None;
        for line in lines {
            let trimmed = line.trim_start();
            match open {
                Some(opener) if closes(trimmed, opener) => open = None,
                Some(_) => {}
                None => {
                    if let Some(opener) = fence(trimmed) {
                        infos.push(trimmed[opener.1..].trim().to_string());
                        open = Some(opener);
                    }
                }
            }
        }
        assert!(open.is_none(), "a block is left open: {lines:#?}");
        infos
    }

    const HOSTILE: &str = "Grants access.\n```\nstd::fs::write(\"/tmp/pwned\", \"x\").unwrap();\n```\n  ~~~rust\n  ```rust\n  fn main() { std::process::exit(1) }\n  ```\n  ~~~~\n    ```no_run\n    */ #[doc = \"x\"] fn evil() {} /*\n    ```\nend </code> <script> \\ \"quoted\" */";

    #[test]
    fn spec_code_blocks_become_text_blocks() {
        let lines = doc_markdown(HOSTILE);
        assert!(
            code_block_infos(&lines).iter().all(|info| info == "text"),
            "{lines:#?}"
        );
        assert_eq!(code_block_infos(&lines).len(), 3, "{lines:#?}");
        // The code stays readable.
        assert!(lines.contains(&"std::fs::write(\"/tmp/pwned\", \"x\").unwrap();".to_string()));
        // Backtick fences inside a `~~~` block cannot close it: the block's fence is longer.
        assert!(lines.iter().any(|l| l == "````text"), "{lines:#?}");
        assert!(lines.iter().all(|l| !l.contains(['\n', '\r'])));
        let last = lines.last().expect("lines");
        assert_eq!(last, "end \\</code\\> \\<script\\> \\\\ \"quoted\" */");
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        let lines = doc_markdown("a\n```rust\nfn main() {}");
        assert_eq!(code_block_infos(&lines), vec!["text"]);
        assert_eq!(lines, vec!["a", "", "```text", "fn main() {}", "```"]);
    }

    #[test]
    fn inline_triple_backticks_are_not_blocks() {
        let lines = doc_markdown("use ```x``` inline\n``` `` ```");
        assert!(code_block_infos(&lines).is_empty(), "{lines:#?}");
    }

    #[test]
    fn cleans_prose_for_rustdoc() {
        let d = doc_markdown("  First [line].\n\n\n    indented <b>\nsee https://aka.ms/x.\n\n");
        assert_eq!(
            d,
            vec![
                "First \\[line\\].".to_string(),
                String::new(),
                "indented \\<b\\>".into(),
                "see <https://aka.ms/x>.".into()
            ]
        );
        assert!(doc_markdown("  \n ").is_empty());
        assert_eq!(doc_markdown("a\rb\u{7}c"), vec!["a b c".to_string()]);
    }

    #[test]
    fn doc_text_is_one_inert_line() {
        assert_eq!(doc_text("```rust\nfn main() {}"), "\\```rust fn main() {}");
        assert_eq!(doc_text("~~~"), "\\~~~");
        assert_eq!(doc_text("# Heading"), "\\# Heading");
        assert_eq!(doc_text("a */ b \\ [c] <d>"), "a */ b \\\\ \\[c\\] \\<d\\>");
        assert_eq!(
            doc_text("#[doc = \"x\"]\r\n#![x]"),
            "\\#\\[doc = \"x\"\\]  #!\\[x\\]"
        );
        for text in ["```", "a\nb", "\u{85}", "x\u{2028}y"] {
            assert!(!doc_text(text).contains(['\n', '\r', '\u{85}']));
        }
    }

    #[test]
    fn doc_code_is_one_span() {
        assert_eq!(doc_code("Fast"), "`Fast`");
        assert_eq!(doc_code("a`b"), "``a`b``");
        assert_eq!(doc_code("```"), "```` ``` ````");
        assert_eq!(doc_code("`x"), "`` `x ``");
        assert_eq!(doc_code("a\nb"), "`a b`");
        assert_eq!(doc_code(""), "`  `");
    }

    #[test]
    fn string_literals_end_where_they_should() {
        for text in [
            "plain",
            "a\"); std::fs::write(\"x\", \"y\"); (\"",
            "back\\slash",
            "line\nbreak",
            "*/ #[doc]",
            "\u{0}\u{7f}",
        ] {
            let literal = string_literal(text);
            let parsed: syn::LitStr = syn::parse_str(&literal).expect("one string literal");
            assert_eq!(parsed.value(), text);
            assert!(!literal.contains('\n'));
        }
    }

    #[test]
    fn comment_text_is_one_line() {
        assert_eq!(comment_text("a.json\nfn main() {}"), "a.json fn main() {}");
    }
}
