//! Spec descriptions → the model's [`Docs`], through [`crate::escape::doc_markdown`]: lines
//! that render as the spec meant, raise no rustdoc warnings, and never run (a spec's code
//! block becomes a `text` block, not a doctest).

use crate::model::Docs;

pub fn docs(text: Option<&str>) -> Docs {
    Docs {
        lines: text.map(crate::escape::doc_markdown).unwrap_or_default(),
    }
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
