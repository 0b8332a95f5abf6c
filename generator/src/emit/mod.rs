//! Stage 4, emit: the model → Rust tokens, one emitter per kind of output file. Each is a
//! pure function of the model; ordering comes from the model, so output is deterministic.
//! Formatting and file headers are the next stage's job (`format`).

mod client;
mod crate_files;
mod enums;
mod example_docs;
mod example_tests;
mod group;
mod method;
mod models;

use std::path::PathBuf;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

use crate::config::Config;
use crate::format;
use crate::model::{Api, Docs, TypeRef};
use crate::naming::bound::files as paths;

pub use client::client_file;
pub use crate_files::{cargo_toml, lib_file, version_mod_file};
pub use example_tests::example_tests_file;
pub use group::group_file;
pub use models::models_file;

/// One file of the generated crate, emitted but not yet formatted.
pub struct EmittedFile {
    /// Relative to the output folder.
    pub path: PathBuf,
    pub content: Content,
}

pub enum Content {
    /// Rust tokens and the header comment to put above them once formatted.
    Rust { tokens: TokenStream, header: String },
    /// A file that is not Rust (TOML), already final.
    Text(String),
}

/// One file of the generated crate, planned but not yet emitted. `generate` and `render` emit
/// and format the files of a plan on several threads; tokens cannot move between threads (they
/// are not `Send`), so each file is emitted on the thread that formats it.
///
/// A large file is planned in parts, each a run of whole top-level items, emitted and
/// formatted on its own (possibly on another thread) and joined in order: the example tests
/// and the models are most of a run's formatting, and one thread formatting each alone left
/// the other idle. The file's tokens are its parts' tokens one after the other.
pub struct PlannedFile<'a> {
    /// Relative to the output folder.
    pub path: PathBuf,
    /// How many parts the file is emitted in; at least one.
    pub parts: usize,
    emit: Box<dyn Fn(usize) -> Content + Send + Sync + 'a>,
}

impl<'a> PlannedFile<'a> {
    fn rust(
        path: PathBuf,
        header: String,
        tokens: impl Fn() -> TokenStream + Send + Sync + 'a,
    ) -> Self {
        Self::rust_parts(path, header, 1, move |_| tokens())
    }

    /// A Rust file of `parts` parts: `tokens(part)` emits the part's items.
    fn rust_parts(
        path: PathBuf,
        header: String,
        parts: usize,
        tokens: impl Fn(usize) -> TokenStream + Send + Sync + 'a,
    ) -> Self {
        PlannedFile {
            path,
            parts: parts.max(1),
            emit: Box::new(move |part| Content::Rust {
                tokens: tokens(part),
                header: header.clone(),
            }),
        }
    }

    fn text(path: PathBuf, text: String) -> Self {
        PlannedFile {
            path,
            parts: 1,
            emit: Box::new(move |_| Content::Text(text.clone())),
        }
    }

    /// Emits one part of the file (`0..parts`), on the calling thread.
    pub fn emit_part(&self, part: usize) -> Content {
        (self.emit)(part)
    }

    /// Emits the whole file: its tokens (or text), every part's in order, on the calling
    /// thread.
    pub fn emit(&self) -> EmittedFile {
        let mut content = self.emit_part(0);
        if let Content::Rust { tokens, .. } = &mut content {
            for part in 1..self.parts {
                if let Content::Rust { tokens: more, .. } = self.emit_part(part) {
                    tokens.extend(more);
                }
            }
        }
        EmittedFile {
            path: self.path.clone(),
            content,
        }
    }
}

/// How many parts of at most `per_part` items `count` items make: one at least.
fn part_count(count: usize, per_part: usize) -> usize {
    count.div_ceil(per_part).max(1)
}

/// The items of `part` when `items` are cut into parts of `per_part` each
/// ([`part_count`]).
fn part_of<T>(items: &[T], per_part: usize, part: usize) -> &[T] {
    let start = (part * per_part).min(items.len());
    let end = (start + per_part).min(items.len());
    &items[start..end]
}

/// Every file of the generated crate, emitted, in the order of [`crate_file_plan`].
pub fn crate_files(config: &Config, apis: &[Api]) -> Vec<EmittedFile> {
    crate_file_plan(config, apis)
        .iter()
        .map(PlannedFile::emit)
        .collect()
}

/// Every file of the generated crate, in a fixed order: the files of each api-version
/// ([`version_file_plan`]), then those of the crate as a whole ([`crate_wide_plan`]).
pub fn crate_file_plan<'a>(config: &'a Config, apis: &'a [Api]) -> Vec<PlannedFile<'a>> {
    let mut files: Vec<_> = apis
        .iter()
        .flat_map(|api| version_file_plan(config, api))
        .collect();
    files.extend(crate_wide_plan(config, apis));
    files
}

/// The files of one api-version, which depend on it alone (so they can be emitted while
/// another api-version is still lowered): its `mod.rs`, `client.rs`, one file per operation
/// group, `models.rs`, then its example tests if it has examples; the largest last.
pub fn version_file_plan<'a>(config: &'a Config, api: &'a Api) -> Vec<PlannedFile<'a>> {
    let sources = config
        .api_versions
        .iter()
        .find(|v| v.version == api.version)
        .map(|v| v.display_inputs.clone())
        .unwrap_or_default();
    let header = format::header("//", &sources);
    let file = |name| paths::version_file(&api.module, name);
    let mut files = vec![
        PlannedFile::rust(file("mod"), header.clone(), move || {
            version_mod_file(config, api)
        }),
        PlannedFile::rust(file("client"), header.clone(), move || client_file(api)),
    ];
    for group in &api.groups {
        let path = paths::group_file(&api.module, &group.module);
        files.push(PlannedFile::rust(path, header.clone(), move || {
            group_file(&config.crate_name, api, group)
        }));
    }
    files.push(PlannedFile::rust_parts(
        file("models"),
        header,
        models::part_count(api),
        move |part| models::models_part(api, part),
    ));
    // `example_tests_file` writes a file exactly for an api-version with examples.
    if !api.examples.is_empty() {
        files.push(PlannedFile::rust_parts(
            paths::example_tests_file(&api.module),
            config_header(config),
            example_tests::part_count(api),
            move |part| example_tests::tests_part(config, api, part),
        ));
    }
    files
}

/// The files that depend on every api-version: `lib.rs`, the example tests' support module
/// (if any api-version has examples), `Cargo.toml` and `rustfmt.toml`.
pub fn crate_wide_plan<'a>(config: &'a Config, apis: &'a [Api]) -> Vec<PlannedFile<'a>> {
    let config_header = config_header(config);
    let mut files = vec![PlannedFile::rust(
        paths::LIB.into(),
        config_header.clone(),
        move || lib_file(config, apis),
    )];
    if apis.iter().any(|api| !api.examples.is_empty()) {
        files.push(PlannedFile::text(
            paths::EXAMPLE_SUPPORT.into(),
            format!("{config_header}{}", example_tests::SUPPORT),
        ));
    }
    let toml_header = format::header("#", std::slice::from_ref(&config.display_path));
    files.push(PlannedFile::text(
        paths::CARGO_TOML.into(),
        cargo_toml(config, apis, &toml_header),
    ));
    // The generator is this crate's formatter; `cargo fmt` must not fight it.
    files.push(PlannedFile::text(
        paths::RUSTFMT_TOML.into(),
        format!("{toml_header}disable_all_formatting = true\n"),
    ));
    files
}

/// The header of the files generated from the config rather than from one api-version's
/// documents.
fn config_header(config: &Config) -> String {
    format::header("//", std::slice::from_ref(&config.display_path))
}

/// An identifier from a model name, which may be raw (`r#type`).
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// One `#[doc]` per line: prettyplease prints a multi-line `#[doc]` as a `/** */` block.
/// Lines are already safe: the model's [`Docs`] and the generator's sentences around spec
/// values, which go through [`crate::escape`].
fn doc_attrs(docs: &Docs) -> TokenStream {
    doc_lines(docs.lines.iter().map(String::as_str))
}

fn doc_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> TokenStream {
    doc_attributes(lines, false)
}

/// [`doc_lines`] as inner attributes (`//!`): a module's or crate's own docs.
fn inner_doc_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> TokenStream {
    doc_attributes(lines, true)
}

/// `#[doc = "…"]` (or `#![doc = "…"]`) per line, the tokens `quote!` would make, pushed
/// into one stream: every item's docs pass here, and a `quote!` per line made a stream per
/// line only to copy it into the next.
fn doc_attributes<'a>(lines: impl IntoIterator<Item = &'a str>, inner: bool) -> TokenStream {
    let mut out = Vec::new();
    for line in lines {
        out.push(TokenTree::Punct(Punct::new('#', Spacing::Alone)));
        if inner {
            out.push(TokenTree::Punct(Punct::new('!', Spacing::Alone)));
        }
        let attribute = [
            TokenTree::Ident(Ident::new("doc", Span::call_site())),
            TokenTree::Punct(Punct::new('=', Spacing::Alone)),
            TokenTree::Literal(doc_text(line)),
        ];
        let attribute = Group::new(Delimiter::Bracket, attribute.into_iter().collect());
        out.push(TokenTree::Group(attribute));
    }
    out.into_iter().collect()
}

/// A doc line as rustdoc expects it: a space after `///`, nothing on an empty line. The
/// literal is a raw string (`r"..."`): the formatter prints a doc attribute as `///` and the
/// literal's value, so the output is the same as with an escaped literal, but an escaped one
/// is escaped character by character here and unescaped twice by syn and prettyplease (doc
/// lines were ≈ 10% of a `codegen` run). Lines with control characters stay escaped.
fn doc_text(line: &str) -> Literal {
    if line.is_empty() {
        Literal::string("")
    } else {
        crate::escape::raw_string_literal(&format!(" {line}"))
    }
}

/// The first line of spec docs, for a one-line summary (a list item): empty when the docs
/// start with a code block, whose fence alone would mean nothing there.
fn first_line(docs: &Docs) -> String {
    match docs.lines.first() {
        Some(line) if !line.starts_with("```") => line.clone(),
        _ => String::new(),
    }
}

/// `#[allow(clippy::too_many_arguments)]` for a function with more arguments than clippy
/// accepts (7, the receiver included): a spec decides how many parameters an operation has.
fn allow_many_arguments(count: usize) -> Option<TokenStream> {
    (count > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] })
}

/// The Rust type of a [`TypeRef`], without `Option`.
fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote! { #name }
        }
        TypeRef::String => quote! { String },
        TypeRef::SecretString => quote! { azure_arm_runtime::SecretString },
        TypeRef::Bool => quote! { bool },
        TypeRef::Int32 => quote! { i32 },
        TypeRef::Int64 => quote! { i64 },
        TypeRef::Float32 => quote! { f32 },
        TypeRef::Float64 => quote! { f64 },
        TypeRef::DateTime | TypeRef::DateTimeRfc1123 => quote! { azure_core::time::OffsetDateTime },
        TypeRef::Date => quote! { azure_arm_runtime::format::Date },
        TypeRef::Uuid => quote! { azure_core::Uuid },
        TypeRef::Bytes | TypeRef::BytesUrlSafe => quote! { Vec<u8> },
        TypeRef::Array(inner) => {
            let inner = type_tokens(inner);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote! { std::collections::HashMap<String, #inner> }
        }
        TypeRef::Any => quote! { serde_json::Value },
    }
}

/// Every generated type a [`TypeRef`] names, for `use` lists.
fn named_types<'a>(ty: &'a TypeRef, out: &mut std::collections::BTreeSet<&'a str>) {
    match ty {
        TypeRef::Named(name) => {
            out.insert(name);
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => named_types(inner, out),
        _ => {}
    }
}

/// Whether the type needs `serde_json` (for the generated crate's dependencies).
pub fn uses_json_value(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Any => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) => uses_json_value(inner),
        _ => false,
    }
}
