//! Items formatted apart from the text of their doc comments, so that items that differ only
//! in their docs are formatted once.
//!
//! Two api-versions of a service have the same operation groups, whose methods differ only
//! in their doc lines (the api-version in example paths and module paths, and more or fewer
//! examples): the code of a group's `impl` block is the same token for token. prettyplease
//! prints a one-line doc attribute (`#[doc = "text"]`, no line break in the text, an outer
//! one not starting with `/`) as `///` and the text with its trailing spaces trimmed, then
//! a hard line break: the text is a word alone on its line, and no other line depends on
//! it; a run of such attributes is a run of such lines at one indentation. So an item is
//! formatted with each run of doc lines replaced by one placeholder line, shared as that,
//! and each file puts its own lines back in place of the placeholders, in order.
//!
//! Only docs where a line break is certain before them are replaced: on the item itself
//! (outer, or the file's inner attributes), and on the members of an `impl`, `trait` or
//! `mod` body (functions, constants, types, items), after the start of the body or a
//! member's end. prettyplease lays out those positions with hard breaks. Anywhere else the
//! text stays in the tokens: in a parameter or an expression, where the layout may depend on
//! it, and on fields and variants, whose docs the api-versions' models hardly ever differ in
//! alone (visiting every field cost more than it saved).

use proc_macro2::{Delimiter, Group, Literal, TokenStream, TokenTree};

/// What replaces a run of doc lines: a character no formatted item otherwise contains (the
/// emitters escape control characters in literals and docs); [`fill`] checks it.
const PLACEHOLDER: char = '\0';

/// The runs of doc lines taken out of an item, in token order (the order prettyplease
/// prints them in); each line as prettyplease prints it after `///`.
pub(super) type Docs = Vec<Vec<String>>;

/// An item's tokens (its top level) with each run of doc lines replaced by one placeholder
/// line.
pub(super) struct Blinded {
    pub tokens: Vec<TokenTree>,
    pub docs: Docs,
}

pub(super) fn blind(tokens: Vec<TokenTree>) -> Blinded {
    let mut docs = Vec::new();
    let tokens = blind_level(tokens, &mut docs);
    Blinded { tokens, docs }
}

/// The text formatted from [`Blinded::tokens`] with the docs put back; `None` when the
/// placeholders are not exactly one per run, each alone on a doc line (the caller then
/// formats the item with its docs).
pub(super) fn fill(text: &str, docs: &Docs) -> Option<String> {
    let lines: usize = docs.iter().flatten().map(|line| line.len() + 8).sum();
    let mut out = String::with_capacity(text.len() + lines);
    let mut rest = text;
    let mut runs = docs.iter();
    while let Some(at) = rest.find(PLACEHOLDER) {
        let (before, after) = (&rest[..at], &rest[at + PLACEHOLDER.len_utf8()..]);
        // `    ///`: the indentation and the comment's start, repeated on every line of the run.
        let prefix = &before[before.rfind('\n').map_or(0, |newline| newline + 1)..];
        let comment = prefix.trim_start_matches(' ');
        if !(comment == "///" || comment == "//!") || !after.starts_with('\n') {
            return None;
        }
        let (first, others) = runs.next()?.split_first()?;
        out.push_str(before);
        out.push_str(first);
        for line in others {
            out.push('\n');
            out.push_str(prefix);
            out.push_str(line);
        }
        rest = after;
    }
    out.push_str(rest);
    runs.next().is_none().then_some(out)
}

/// The tokens of one level (an item's top level, or a body's), docs replaced where a line
/// break is certain before them, bodies of `impl`, `trait` and `mod` visited in turn. Tokens
/// are moved, not copied: each is an allocation.
fn blind_level(tokens: Vec<TokenTree>, docs: &mut Docs) -> Vec<TokenTree> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut header = Header::default();
    let mut rest = tokens.into_iter();
    loop {
        if starts_member(out.last())
            && let Some(length) = doc_run(rest.as_slice(), &mut out, docs)
        {
            rest.nth(length - 1);
            continue;
        }
        let Some(token) = rest.next() else {
            return out;
        };
        match token {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                if header.has_body() {
                    let inner = blind_level(owned_tokens(group), docs);
                    let inner: TokenStream = inner.into_iter().collect();
                    out.push(TokenTree::Group(Group::new(Delimiter::Brace, inner)));
                } else {
                    out.push(TokenTree::Group(group));
                }
                header = Header::default();
            }
            token => {
                header.see(&token);
                out.push(token);
            }
        }
    }
}

/// The tokens of a group that is dropped: once it is gone its stream is the only owner of
/// them, and they are moved out rather than cloned one by one (`Group::stream` shares them).
pub(super) fn owned_tokens(group: Group) -> Vec<TokenTree> {
    let stream = group.stream();
    drop(group);
    stream.into_iter().collect()
}

/// Whether a member (or the level) starts after `previous`: a line break is then certain.
fn starts_member(previous: Option<&TokenTree>) -> bool {
    match previous {
        None => true,
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), ';' | ','),
        Some(TokenTree::Group(g)) => matches!(g.delimiter(), Delimiter::Brace | Delimiter::Bracket),
        Some(_) => false,
    }
}

/// What the tokens of a member so far say about the brace group that ends them.
#[derive(Default)]
struct Header {
    /// `impl`, `trait` or `mod`: the braces are a body of members.
    body_keyword: bool,
    /// `fn` or `=`: the braces are a function's statements or part of a value.
    code: bool,
}

impl Header {
    fn see(&mut self, token: &TokenTree) {
        match token {
            // Compared in place: `to_string` would allocate for every identifier.
            TokenTree::Ident(ident) => {
                if ident == "fn" {
                    self.code = true;
                } else if ["impl", "trait", "mod"]
                    .iter()
                    .any(|keyword| ident == keyword)
                {
                    self.body_keyword = true;
                }
            }
            TokenTree::Punct(p) => match p.as_char() {
                '=' => self.code = true,
                ';' => *self = Header::default(),
                _ => {}
            },
            _ => {}
        }
    }

    fn has_body(&self) -> bool {
        self.body_keyword && !self.code
    }
}

/// A run of doc attributes of one style at the start of `tokens`, each printed as one
/// `///` (or `//!`) line: one attribute with the placeholder for their text goes to `out`,
/// their lines to `docs`, and the number of tokens they took is returned.
fn doc_run(tokens: &[TokenTree], out: &mut Vec<TokenTree>, docs: &mut Docs) -> Option<usize> {
    let (inner, first, mut length) = doc_attr(tokens)?;
    let mut lines = vec![first];
    while let Some((next_inner, line, taken)) = doc_attr(&tokens[length..]) {
        if next_inner != inner {
            break;
        }
        lines.push(line);
        length += taken;
    }
    docs.push(lines);
    let attribute = &tokens[..length.min(1 + usize::from(inner))];
    let placeholder = Literal::string(&PLACEHOLDER.to_string());
    let meta: TokenStream = quote::quote! { doc = #placeholder };
    out.extend(attribute.iter().cloned());
    out.push(TokenTree::Group(Group::new(Delimiter::Bracket, meta)));
    Some(length)
}

/// A doc attribute at the start of `tokens` (`#[doc = "..."]` or `#![doc = "..."]`) that
/// prettyplease prints as one line: whether it is inner, its text trimmed as prettyplease
/// trims it, and how many tokens it takes.
fn doc_attr(tokens: &[TokenTree]) -> Option<(bool, String, usize)> {
    let TokenTree::Punct(hash) = tokens.first()? else {
        return None;
    };
    if hash.as_char() != '#' {
        return None;
    }
    let inner = matches!(tokens.get(1)?, TokenTree::Punct(p) if p.as_char() == '!');
    let bracket_at = 1 + usize::from(inner);
    let TokenTree::Group(group) = tokens.get(bracket_at)? else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let mut parts = group.stream().into_iter();
    let (
        Some(TokenTree::Ident(name)),
        Some(TokenTree::Punct(eq)),
        Some(TokenTree::Literal(literal)),
        None,
    ) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if name != "doc" || eq.as_char() != '=' {
        return None;
    }
    let text = string_value(literal)?;
    // prettyplease's own test for a one-line doc comment.
    if text.contains('\n') || (!inner && text.starts_with('/')) {
        return None;
    }
    let trimmed = text.trim_end_matches(' ').len();
    let mut text = text;
    text.truncate(trimmed);
    Some((inner, text, bracket_at + 1))
}

/// The value of a string literal, as syn reads it (and prettyplease prints it). The doc
/// lines the emitters write are raw strings, whose value is their text: that is read here;
/// anything else is left to syn.
fn string_value(literal: Literal) -> Option<String> {
    let repr = literal.to_string();
    if let Some(fenced) = repr.strip_prefix('r') {
        let fence = &fenced[..fenced.len() - fenced.trim_start_matches('#').len()];
        let text = fenced[fence.len()..]
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix(fence))
            .and_then(|rest| rest.strip_suffix('"'));
        if let Some(text) = text {
            return Some(text.to_owned());
        }
    }
    match syn::Lit::new(literal) {
        syn::Lit::Str(text) => Some(text.value()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).expect("parses"))
    }

    /// Docs of every length on items, methods and a module's items, put back after
    /// formatting, give the text formatted with them; docs elsewhere stay in the tokens.
    #[test]
    fn docs_put_back_give_the_text_formatted_with_them() {
        let long = "x".repeat(120);
        for doc in ["", " short", " trailing spaces   ", long.as_str()] {
            let code = format!(
                "#![doc = {doc:?}] #[doc = {doc:?}] #[doc = \" second\"] #[derive(Debug)] pub struct S {{ #[doc = {doc:?}] pub field: Option<Vec<u8>>, #[doc = r\"{doc}\"] b: u8 }} \
                 #[doc = {doc:?}] pub enum E {{ #[doc = {doc:?}] A, B {{ #[doc = {doc:?}] x: u8 }} }} \
                 impl<T> S where T: Into<u8> {{ #[doc = {doc:?}] #[doc = \"\"] #[doc = {doc:?}] pub fn new(alpha: u32, beta: u32, gamma: u32, delta: u32, epsilon: u32, zeta: u32) -> Self {{ #![doc = {doc:?}] let x = 1; x }} }} \
                 mod m {{ #![doc = {doc:?}] #[doc = {doc:?}] struct T; }}"
            );
            let tokens: Vec<TokenTree> = code
                .parse::<TokenStream>()
                .expect("lexes")
                .into_iter()
                .collect();
            let blinded = blind(tokens.clone());
            // The fields', the variants' and the function body's docs stay in the tokens.
            let lines: usize = blinded.docs.iter().map(Vec::len).sum();
            assert_eq!((blinded.docs.len(), lines), (6, 9), "{doc:?}");
            let text = format(blinded.tokens.into_iter().collect());
            let filled = fill(&text, &blinded.docs).expect("fills");
            assert_eq!(filled, format(tokens.into_iter().collect()), "{doc:?}");
        }
    }

    #[test]
    fn string_values_are_read_as_syn_reads_them() {
        for code in [
            r#"r"a \n \ b""#,
            r###"r#"a "b" c"#"###,
            r#""a \n \u{41}""#,
            r#""plain""#,
            r#"r"suffixed"x"#,
            r#"b"bytes""#,
            "'c'",
            "r\"\"",
        ] {
            let literal: Literal = code.parse().expect("lexes");
            let by_syn = match syn::Lit::new(literal.clone()) {
                syn::Lit::Str(text) => Some(text.value()),
                _ => None,
            };
            assert_eq!(string_value(literal), by_syn, "{code}");
        }
    }

    #[test]
    fn docs_that_are_not_one_line_stay_and_stray_placeholders_give_up() {
        let code = "#[doc = \"a\\nb\"] #[doc = \"/x\"] #[doc(hidden)] struct S;";
        let tokens: Vec<TokenTree> = code
            .parse::<TokenStream>()
            .expect("lexes")
            .into_iter()
            .collect();
        assert!(blind(tokens).docs.is_empty());
        let run = || vec![vec![" a".to_owned(), String::new(), " b".to_owned()]];
        assert_eq!(
            fill("  ///\0\n  x\n", &run()).as_deref(),
            Some("  /// a\n  ///\n  /// b\n  x\n")
        );
        assert_eq!(fill("///\0\n///\0\n", &run()), None);
        assert_eq!(fill("///\0\n\"\0\"", &run()), None);
        assert_eq!(fill("x ///\0\n", &run()), None);
        assert_eq!(fill("///\n", &run()), None);
    }
}
