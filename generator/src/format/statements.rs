//! A function's statements formatted one by one, each once per run however many functions
//! hold it.
//!
//! The example tests are a hundred functions that differ in their literals but repeat many
//! statements token for token (building the client, reading the result), and they are the
//! largest file a run formats. prettyplease prints a function's body in a broken block: each
//! statement starts on a line of its own at the body's indentation and ends with a hard line
//! break, and its layout depends on nothing around it but whether it is the body's last
//! statement (a tail expression, or a macro without `;`). So a top-level function's body is
//! cut after each top-level `;`; each piece is formatted alone, as the body of an empty
//! function, and the function is formatted with one placeholder statement in their place
//! (and its tail, whatever follows the last `;`).

use std::sync::Arc;

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

use super::{format_items, items::Items};

/// The statement that stands for the pieces in the function formatted without them.
const PLACEHOLDER: &str = "__azure_arm_codegen_statements__";

/// The function every piece is formatted in (as its body), and what its text starts and ends
/// with around the piece's lines.
const WRAPPER: (&str, &str) = ("fn f() {\n", "}\n");

/// A top-level function cut into its statements.
pub(super) struct Split {
    /// The function with one placeholder statement in place of the pieces.
    pub shell: TokenStream,
    /// Runs of statements, each ending in a top-level `;`, in order.
    pub pieces: Vec<TokenStream>,
}

/// The text of a function cut into statements: the function without them and each piece
/// looked up in `items`, formatted if not there.
pub(super) fn format(split: Split, items: &Items) -> Option<Arc<str>> {
    let shell_key = split.shell.to_string().into();
    let shell = items.get_or_format(shell_key, || format_items(split.shell))?;
    let pieces: Vec<Arc<str>> = split
        .pieces
        .into_iter()
        .map(|piece| {
            // A piece's key starts with a character no item's key starts with: the same
            // tokens as an item have other text.
            let key = format!("\u{1}{piece}").into();
            items.get_or_format(key, || {
                let text = format_items(wrapped(piece))?;
                piece_text(&text).map(str::to_owned)
            })
        })
        .collect::<Option<_>>()?;
    join(&shell, pieces.iter().map(|piece| &**piece)).map(Arc::from)
}

/// `item` cut, when it is one function (`fn` before its body, no `=` or `;` at its top
/// level) whose body has at least two pieces and no inner attributes; else `item` back.
pub(super) fn split(mut item: Vec<TokenTree>) -> Result<Split, Vec<TokenTree>> {
    if !is_function(&item) {
        return Err(item);
    }
    // The body is taken apart: its tokens are moved into the pieces, not copied.
    let body = match item.pop() {
        Some(TokenTree::Group(body)) => body,
        // `is_function` saw a group last; should that ever change, the item goes back whole.
        other => {
            item.extend(other);
            return Err(item);
        }
    };
    let tokens = super::docs::owned_tokens(body);
    let inner_attribute = matches!(
        (tokens.first(), tokens.get(1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == '#' && b.as_char() == '!'
    );
    // Where each piece ends: after each top-level `;`.
    let ends: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter_map(|(at, token)| {
            matches!(token, TokenTree::Punct(p) if p.as_char() == ';').then_some(at + 1)
        })
        .collect();
    if inner_attribute || ends.len() < 2 {
        let body = tokens.into_iter().collect();
        item.push(TokenTree::Group(Group::new(Delimiter::Brace, body)));
        return Err(item);
    }
    let mut tokens = tokens.into_iter();
    let mut pieces = Vec::new();
    let mut start = 0;
    for end in ends {
        pieces.push(tokens.by_ref().take(end - start).collect());
        start = end;
    }
    let placeholder = [
        TokenTree::Ident(Ident::new(PLACEHOLDER, Span::call_site())),
        TokenTree::Punct(Punct::new(';', Spacing::Alone)),
    ];
    let body: TokenStream = placeholder.into_iter().chain(tokens).collect();
    item.push(TokenTree::Group(Group::new(Delimiter::Brace, body)));
    Ok(Split {
        shell: item.into_iter().collect(),
        pieces,
    })
}

/// Whether `item` is a function with a body: `fn` before a final brace group, no `=` or `;`
/// at its top level.
fn is_function(item: &[TokenTree]) -> bool {
    let Some((TokenTree::Group(body), head)) = item.split_last() else {
        return false;
    };
    if body.delimiter() != Delimiter::Brace {
        return false;
    }
    let mut is_fn = false;
    for token in head {
        match token {
            TokenTree::Ident(ident) if ident == "fn" => is_fn = true,
            TokenTree::Punct(p) if matches!(p.as_char(), '=' | ';') => return false,
            _ => {}
        }
    }
    is_fn
}

/// The tokens a piece is formatted in.
fn wrapped(piece: TokenStream) -> TokenStream {
    let name = Ident::new("f", Span::call_site());
    let parameters = Group::new(Delimiter::Parenthesis, TokenStream::new());
    [
        TokenTree::Ident(Ident::new("fn", Span::call_site())),
        TokenTree::Ident(name),
        TokenTree::Group(parameters),
        TokenTree::Group(Group::new(Delimiter::Brace, piece)),
    ]
    .into_iter()
    .collect()
}

/// A piece's lines, from the text of [`wrapped`] formatted.
fn piece_text(wrapped: &str) -> Option<&str> {
    wrapped.strip_prefix(WRAPPER.0)?.strip_suffix(WRAPPER.1)
}

/// The function's text: the shell's, the pieces' lines in place of the placeholder line
/// (`None` unless that line is there exactly once).
fn join<'a>(shell: &str, pieces: impl IntoIterator<Item = &'a str>) -> Option<String> {
    if shell.matches(PLACEHOLDER).count() != 1 {
        return None;
    }
    let line = format!("\n    {PLACEHOLDER};\n");
    let at = shell.find(&line)?;
    let mut text = String::with_capacity(shell.len() * 2);
    text.push_str(&shell[..=at]);
    pieces.into_iter().for_each(|piece| text.push_str(piece));
    text.push_str(&shell[at + line.len()..]);
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_code(code: &str) -> Option<Split> {
        let tokens: Vec<TokenTree> = code
            .parse::<TokenStream>()
            .expect("lexes")
            .into_iter()
            .collect();
        split(tokens).ok()
    }

    #[test]
    fn functions_are_cut_after_each_statement_and_nothing_else_is() {
        let split = split_code("pub fn f() -> u8 { let a = 1; g(); if a { h() } let b = 2; b }")
            .expect("a function");
        let pieces: Vec<String> = split.pieces.iter().map(ToString::to_string).collect();
        assert_eq!(
            pieces,
            ["let a = 1 ;", "g () ;", "if a { h () } let b = 2 ;"]
        );
        assert_eq!(
            split.shell.to_string(),
            format!("pub fn f () -> u8 {{ {PLACEHOLDER} ; b }}")
        );
        // Not a function, one piece, inner attributes, a constant's value.
        assert!(split_code("impl S { fn f() { a(); b(); } }").is_none());
        assert!(split_code("fn f() { a(); b() }").is_none());
        assert!(split_code("fn f() { #![allow(x)] a(); b(); }").is_none());
        assert!(split_code("const F: fn() = || { a(); b(); };").is_none());
    }

    #[test]
    fn the_placeholder_line_must_be_there_once() {
        let line = format!("    {PLACEHOLDER};\n");
        let shell = format!("fn f() {{\n{line}    b\n}}\n");
        let text = join(&shell, ["    a();\n", "    c();\n"]).expect("joins");
        assert_eq!(text, "fn f() {\n    a();\n    c();\n    b\n}\n");
        assert_eq!(join("fn f() {}\n", ["    a();\n"]), None);
        assert_eq!(
            join(&format!("fn f() {{\n{line}{line}}}\n"), ["    a();\n"]),
            None
        );
        assert_eq!(piece_text("fn f() {\n    a();\n}\n"), Some("    a();\n"));
        assert_eq!(piece_text("fn f() {}\n"), None);
    }
}
