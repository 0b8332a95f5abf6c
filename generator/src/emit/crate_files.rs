//! The files that hold the generated crate together: `Cargo.toml` (a feature per
//! api-version), `lib.rs` (the modules behind their features) and each version's `mod.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, inner_doc_lines, uses_json_value};
use crate::config::Config;
use crate::escape::{doc_text, string_literal};
use crate::model::{Api, ClientParamRole, TypeDef};

/// `Cargo.toml`. Written as text: it is TOML, not Rust. Dependencies come from the workspace
/// so that the generated crate and the runtime always agree on versions.
pub fn cargo_toml(config: &Config, apis: &[Api], header: &str) -> String {
    let defaults: Vec<String> = config
        .api_versions
        .iter()
        .filter(|v| v.default)
        .map(|v| format!("\"{}\"", v.module))
        .collect();
    let mut features = String::new();
    for version in &config.api_versions {
        features.push_str(&format!(
            "# api-version {}\n{} = []\n",
            version.version, version.module
        ));
    }
    let needs_json = apis.iter().any(api_uses_json_value);
    let json = if needs_json {
        "serde_json.workspace = true\n"
    } else {
        ""
    };
    // The example tests (`tests/`): JSON, an async runtime on a paused clock, and streams.
    let dev = if apis.iter().any(|api| !api.examples.is_empty()) {
        "\n[dev-dependencies]\nfutures.workspace = true\nserde_json.workspace = true\ntokio.workspace = true\n"
    } else {
        ""
    };
    format!(
        "{header}\
[package]
name = \"{name}\"
description = \"{description}\"
version = \"{version}\"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[features]
default = [{defaults}]
{features}
[dependencies]
azure_arm_runtime.workspace = true
azure_core.workspace = true
serde.workspace = true
{json}{dev}
[package.metadata.docs.rs]
all-features = true
",
        name = config.crate_name,
        description = toml_string(&config.description),
        version = config.crate_version,
        defaults = defaults.join(", "),
    )
}

/// The inside of a TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// Whether any field, body or result is a free-form JSON value (`serde_json::Value`).
fn api_uses_json_value(api: &Api) -> bool {
    let in_types = api.types.iter().any(|t| match t {
        TypeDef::Struct(s) => {
            s.fields.iter().any(|f| uses_json_value(&f.ty))
                || s.additional
                    .as_ref()
                    .is_some_and(|a| uses_json_value(&a.ty))
        }
        TypeDef::Enum(_) => false,
        // The unknown kind is kept as a JSON value.
        TypeDef::Union(_) => true,
    });
    let in_operations = api.groups.iter().flat_map(|g| &g.operations).any(|op| {
        op.body.as_ref().is_some_and(|b| uses_json_value(&b.ty))
            || op.result.as_ref().is_some_and(uses_json_value)
    });
    in_types || in_operations
}

pub fn lib_file(config: &Config, apis: &[Api]) -> TokenStream {
    let mut lines = vec![doc_text(&config.description), String::new()];
    lines
        .push("One module per api-version, each behind the cargo feature of the same name:".into());
    lines.push(String::new());
    lines.push("| module | api-version | default |".into());
    lines.push("|---|---|---|".into());
    for version in &config.api_versions {
        let default = if version.default { "yes" } else { "" };
        lines.push(format!(
            "| `{}` | {} | {default} |",
            version.module, version.version
        ));
    }
    lines.push(String::new());
    lines.push(
        "Each module has the same shape: a top-level client, a sub-client per group of".into(),
    );
    lines.push(
        "operations, and `models`. Every operation answers with azure_core's own types: plain"
            .into(),
    );
    lines.push(
        "operations with a `Response<T>` when their future ([`ResponseFuture`]) is awaited,".into(),
    );
    lines.push("pageable ones with a `Pager<T>` (a stream of items),".into());
    lines.push(
        "long-running ones (`begin_…`) with a `Poller` ([`ArmPoller`]): await it for the final"
            .into(),
    );
    lines.push(
        "`Response<T>`, or stream its statuses; `resume_…` continues one from a resume token."
            .into(),
    );
    let docs = inner_doc_lines(lines.iter().map(String::as_str));
    let modules = apis.iter().map(|api| {
        let module = ident(&api.module);
        let feature = &api.module;
        let doc = format!(" api-version {}.", api.version);
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    quote! {
        #docs
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![warn(missing_docs)]

        #(#modules)*

        pub use azure_arm_runtime::{http_error_details, ArmHttpClient, ArmPoller, HttpErrorDetails, OperationStatus, PollSettings, PollingOptions, RedirectRefused, ResourceManager, ResponseBodyLimit, ResponseFuture, ResponseTooLarge, ResumeToken, SecretString};
    }
}

pub fn version_mod_file(config: &Config, api: &Api) -> TokenStream {
    let mut lines = vec![format!(
        "{}, api-version {}.",
        doc_text(&api.title),
        api.version
    )];
    if !api.docs.is_empty() {
        lines.push(String::new());
        lines.extend(api.docs.lines.iter().cloned());
    }
    lines.extend(example(&config.crate_name, api));
    let docs = inner_doc_lines(lines.iter().map(String::as_str));
    let group_modules = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        quote! { mod #module; }
    });
    let client = ident(&api.client.name);
    let client_options = ident(&api.client.options_name);
    let group_exports = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let names = std::iter::once(ident(&g.client_name))
            .chain(g.operations.iter().map(|op| ident(&op.options_name)));
        quote! { pub use #module::{#(#names),*}; }
    });
    let version = &api.version;
    quote! {
        #docs

        mod client;
        #(#group_modules)*
        pub mod models;

        pub use client::{#client, #client_options};
        #(#group_exports)*

        /// The api-version this module was generated from, sent with every request.
        pub const API_VERSION: &str = #version;
    }
}

/// A compiled (not run) example using the first long-running operation of the module.
fn example(crate_name: &str, api: &Api) -> Vec<String> {
    let Some((group, op)) = api
        .groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
        .find(|(_, op)| op.long_running.is_some())
    else {
        return Vec::new();
    };
    let value_params: Vec<String> = api
        .client
        .params
        .iter()
        .filter(|p| p.role == ClientParamRole::Value)
        .map(|p| format!("{}, ", string_literal(&format!("<{}>", p.wire_name))))
        .collect();
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.scope == crate::model::ParamScope::Method && p.required)
        .map(|p| string_literal(&format!("<{}>", p.wire_name)))
        .collect();
    let body = op.body.as_ref().map(|b| format!("&{}, ", b.rust_name));
    let mut lines = vec![
        String::new(),
        "# Example".to_string(),
        String::new(),
        "```no_run".to_string(),
        "# use std::sync::Arc;".to_string(),
        "# use azure_core::credentials::TokenCredential;".to_string(),
    ];
    let body_setup = op.body.as_ref().and_then(|b| match &b.ty {
        crate::model::TypeRef::Named(name) => Some((b, name)),
        _ => None,
    });
    // The example declares the body as an argument of its own type; other bodies go without
    // an example rather than with one that does not compile.
    if op.body.is_some() && body_setup.is_none() {
        return Vec::new();
    }
    let mut imports = vec![api.client.name.clone()];
    if let Some((_, name)) = body_setup {
        imports.push(format!("models::{name}"));
    }
    lines.push(format!(
        "use {crate_name}::{}::{{{}}};",
        api.module,
        imports.join(", ")
    ));
    lines.push(String::new());
    lines.push(format!(
        "# async fn example(credential: Arc<dyn TokenCredential>{}) -> azure_core::Result<()> {{",
        body_setup
            .map(|(b, name)| format!(", {}: {name}", b.rust_name))
            .unwrap_or_default()
    ));
    lines.push(format!(
        "let client = {}::new({}credential, None)?;",
        api.client.name,
        value_params.concat()
    ));
    lines.push(format!(
        "let result = client.{}().{}({}{}None)?.await?;",
        group.accessor,
        op.rust_name,
        args.iter().map(|a| format!("{a}, ")).collect::<String>(),
        body.unwrap_or_default(),
    ));
    lines.push("# let _ = result;".to_string());
    lines.push("# Ok(())".to_string());
    lines.push("# }".to_string());
    lines.push("```".to_string());
    lines
}
