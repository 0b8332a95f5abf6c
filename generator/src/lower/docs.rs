//! Spec descriptions → rustdoc lines that render as the spec meant and raise no rustdoc
//! warnings: no accidental intra-doc links (`[x]`), HTML tags (`<x>`), bare URLs or indented
//! lines that rustdoc would compile as doctests.

use crate::model::Docs;

pub fn docs(text: Option<&str>) -> Docs {
    let Some(text) = text else {
        return Docs::default();
    };
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(clean_line(line));
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    Docs { lines }
}

/// Two doc blocks as paragraphs of one.
pub fn join(first: Docs, second: Docs) -> Docs {
    match (first.is_empty(), second.is_empty()) {
        (true, _) => second,
        (_, true) => first,
        _ => {
            let mut lines = first.lines;
            lines.push(String::new());
            lines.extend(second.lines);
            Docs { lines }
        }
    }
}

fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
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
        // A bare carriage return (or any control character) in a doc comment is a compile
        // error; the text survives as a space.
        if c.is_control() {
            out.push(' ');
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if matches!(c, '[' | ']' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of an http(s) URL at the start of `text`, without trailing punctuation.
fn url_at(text: &str) -> Option<usize> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', ')', '\'', ']']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_text_for_rustdoc() {
        let d = docs(Some(
            "  First [line].\n\n\n    indented <b>\nsee https://aka.ms/x.\n\n",
        ));
        assert_eq!(
            d.lines,
            vec![
                "First \\[line\\].".to_string(),
                String::new(),
                "indented \\<b\\>".into(),
                "see <https://aka.ms/x>.".into()
            ]
        );
        assert!(docs(Some("  \n ")).is_empty());
        assert_eq!(docs(Some("a\rb\u{7}c")).lines, vec!["a b c".to_string()]);
        assert!(docs(None).is_empty());
    }
}
