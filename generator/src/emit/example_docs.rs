//! The `# Example` section of an operation method's docs: the operation's first replayable
//! spec example as a `no_run` snippet that calls the method with the example's values. The
//! doc test compiles it, so the snippet cannot drift from the method's signature.
//!
//! Spec text enters the snippet only as Rust string literals (`proc_macro2::Literal`, which
//! escapes quotes, backslashes and control characters) and the title only as cleaned doc
//! text (`lower/docs.rs`); names come from the model, where they are already identifiers.

use proc_macro2::{Literal, TokenStream};

use super::doc_lines;
use crate::model::{Api, Example, ExampleValue, Operation, OperationGroup, TypeRef};

/// The docs to append to `op`'s method, or nothing when none of its examples replays.
pub fn example_docs(
    crate_name: &str,
    api: &Api,
    group: &OperationGroup,
    op: &Operation,
) -> TokenStream {
    let example = api.examples.iter().find(|e| {
        let g = &api.groups[e.group];
        g.module == group.module && g.operations[e.operation].id == op.id
    });
    let Some(example) = example else {
        return TokenStream::new();
    };
    let mut lines = vec![
        "# Example".to_string(),
        String::new(),
        format!("The spec's example `{}`:", example.file),
    ];
    lines.push(String::new());
    lines.extend(example.title_docs.lines.iter().map(|l| format!("> {l}")));
    lines.push(String::new());
    lines.push("```no_run".to_string());
    lines.extend(snippet(crate_name, api, group, op, example));
    lines.push("```".to_string());
    doc_lines(lines.iter().map(String::as_str))
}

fn snippet(
    crate_name: &str,
    api: &Api,
    group: &OperationGroup,
    op: &Operation,
    example: &Example,
) -> Vec<String> {
    let krate = crate_name.replace('-', "_");
    let module = &api.module;
    let client = &api.client.name;
    let mut lines = vec![
        "# async fn example(credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>) -> Result<(), Box<dyn std::error::Error>> {".to_string(),
    ];
    if op.pageable.is_some() {
        lines.push("use futures::TryStreamExt;".into());
    }
    lines.push(format!("use {krate}::{module}::{client};"));
    lines.push(String::new());
    let mut client_args: Vec<String> = example.client_args.iter().map(literal).collect();
    client_args.extend(["credential".to_string(), "None".to_string()]);
    lines.push(format!(
        "let client = {client}::new({})?;",
        client_args.join(", ")
    ));
    let mut args: Vec<String> = example.args.iter().map(literal).collect();
    if let (Some(body), Some(json)) = (&op.body, &example.body) {
        let binding = crate::naming::unraw(&body.rust_name);
        let annotation = match &body.ty {
            TypeRef::Named(name) => format!(": {krate}::{module}::models::{name}"),
            _ => String::new(),
        };
        lines.push(format!(
            "let {binding}{annotation} = serde_json::from_str({})?;",
            Literal::string(json)
        ));
        args.push(match body.required {
            true => format!("&{binding}"),
            false => format!("Some(&{binding})"),
        });
    } else if op.body.is_some() {
        args.push("None".into());
    }
    args.push("None".into());
    let call = format!(
        "client.{}().{}({})",
        group.accessor,
        op.rust_name,
        args.join(", ")
    );
    if op.long_running.is_some() {
        lines.push(format!("let response = {call}?.await?;"));
        lines.extend(result_lines(op));
    } else if op.pageable.is_some() {
        lines.push(format!("let mut items = {call}?;"));
        lines.push("while let Some(item) = items.try_next().await? {".into());
        lines.push("    let _ = item;".into());
        lines.push("}".into());
    } else {
        lines.push(format!("let response = {call}.await?;"));
        lines.extend(result_lines(op));
    }
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines
}

fn result_lines(op: &Operation) -> Vec<String> {
    match op.result {
        Some(_) => vec![
            "let result = response.into_model()?;".into(),
            "# let _ = result;".into(),
        ],
        None => vec!["# let _ = response;".into()],
    }
}

fn literal(value: &ExampleValue) -> String {
    match value {
        ExampleValue::String(text) => Literal::string(text).to_string(),
        ExampleValue::Int(number) => Literal::i64_unsuffixed(*number).to_string(),
        ExampleValue::Bool(flag) => flag.to_string(),
    }
}
