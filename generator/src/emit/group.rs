//! One file per operation group: the sub-client, its per-operation options, and one method
//! per operation. Methods only validate, build the request and hand it to the shared
//! runtime; everything that is the same for every operation lives in `azure_arm_runtime`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    allow_many_arguments, doc_attrs, doc_lines, first_line, ident, named_types, type_tokens,
};
use crate::escape::doc_code;
use crate::model::{
    Api, FinalStateVia, HttpMethod, Operation, OperationGroup, ParamLocation, ParamScope,
    Parameter, PathPart,
};

pub fn group_file(api: &Api, group: &OperationGroup) -> TokenStream {
    let group_client = ident(&group.client_name);
    let top_client = ident(&api.client.name);
    let options = group.operations.iter().map(|op| options_struct(group, op));
    let methods = group.operations.iter().map(method);

    let mut models = BTreeSet::new();
    let mut rules = BTreeSet::new();
    for op in &group.operations {
        if let Some(body) = &op.body {
            named_types(&body.ty, &mut models);
        }
        if let Some(result) = op.long_running.as_ref().and_then(|l| l.result.as_ref()) {
            named_types(result, &mut models);
        }
        rules.extend(op.params.iter().filter_map(|p| p.rules.clone()));
    }
    let model_imports = (!models.is_empty()).then(|| {
        let models = models.iter().map(|m| ident(m));
        quote! { use super::models::{#(#models),*}; }
    });
    let client_imports = std::iter::once(top_client.clone()).chain(rules.iter().map(|r| ident(r)));
    let has_rules_none = group
        .operations
        .iter()
        .flat_map(|op| &op.params)
        .any(|p| p.rules.is_none());
    let mut runtime_imports = vec![
        "ArmPoller",
        "FinalStateVia",
        "LongRunningRequest",
        "PathSegment",
    ];
    if has_rules_none {
        runtime_imports.push("ParamRules");
    }
    let uses = |wanted: fn(&Operation) -> bool| group.operations.iter().any(wanted);
    if uses(|op| op.params.iter().any(|p| p.location == ParamLocation::Query)) {
        runtime_imports.push("Param");
    }
    if uses(|op| op.body.is_some()) {
        runtime_imports.push("json_body");
    }
    if uses(|op| op.long_running.as_ref().is_some_and(|l| l.result.is_some())) {
        runtime_imports.push("decode_json");
    }
    if uses(|op| op.long_running.as_ref().is_some_and(|l| l.result.is_none())) {
        runtime_imports.push("decode_empty");
    }
    runtime_imports.sort_unstable();
    let runtime_imports = runtime_imports.into_iter().map(ident);

    let module_doc = format!(" The {} operations.", doc_code(&group.wire_name));
    let client_doc = format!(
        " The {} operations of api-version {}.",
        doc_code(&group.wire_name),
        api.version
    );
    let client_doc_2 = format!(
        " Get one from [`{0}::{1}`](super::{0}::{1}).",
        api.client.name, group.accessor
    );
    quote! {
        #![doc = #module_doc]

        use azure_arm_runtime::{#(#runtime_imports),*};
        use azure_core::http::{ClientMethodOptions, Method};

        use super::client::{#(#client_imports),*};
        #model_imports

        #[doc = #client_doc]
        ///
        #[doc = #client_doc_2]
        #[derive(Clone, Debug)]
        pub struct #group_client {
            pub(super) client: #top_client,
        }

        #(#options)*

        impl #group_client {
            #(#methods)*
        }
    }
}

fn options_struct(group: &OperationGroup, op: &Operation) -> TokenStream {
    let name = ident(&op.options_name);
    let doc = format!(" Options for [`{}::{}`].", group.client_name, op.rust_name);
    let optional = op
        .params
        .iter()
        .filter(|p| p.scope == ParamScope::Method && !p.required)
        .map(|p| {
            let field = ident(&p.rust_name);
            let docs = doc_attrs(&p.docs);
            quote! {
                #docs
                pub #field: Option<String>,
            }
        });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default)]
        pub struct #name<'a> {
            /// The call's context: cancellation, tracing and per-call policies.
            pub method_options: ClientMethodOptions<'a>,
            #(#optional)*
        }
    }
}

fn method(op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let options = ident(&op.options_name);
    let args: Vec<&Parameter> = op
        .params
        .iter()
        .filter(|p| p.scope == ParamScope::Method && p.required)
        .collect();
    let arg_tokens = args.iter().map(|p| {
        let arg = ident(&p.rust_name);
        quote! { #arg: &str, }
    });
    let body_arg = op.body.as_ref().map(|b| {
        let arg = ident(&b.rust_name);
        let ty = type_tokens(&b.ty);
        if b.required {
            quote! { #arg: &#ty, }
        } else {
            quote! { #arg: Option<&#ty>, }
        }
    });
    let body_value = match &op.body {
        Some(b) => {
            let arg = ident(&b.rust_name);
            if b.required {
                quote! { Some(json_body(#arg)?) }
            } else {
                quote! { #arg.map(json_body).transpose()? }
            }
        }
        None => quote! { None },
    };

    let segments = path_segments(op);
    let (required_query, optional_query): (Vec<&Parameter>, Vec<&Parameter>) = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .partition(|p| p.required || p.scope == ParamScope::Client);
    let required_query: Vec<TokenStream> = required_query.iter().map(|p| param_value(p)).collect();
    // Optional query parameters are pushed when set; without them the query is a plain array.
    let (query_setup, query) = if optional_query.is_empty() {
        (
            quote! { let query = [#(#required_query),*]; },
            quote! { &query },
        )
    } else {
        let pushes = optional_query.iter().map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let rules = rules_tokens(p);
            quote! {
                if let Some(value) = options.#field.as_deref() {
                    query.push(Param::new(#wire, value, #rules));
                }
            }
        });
        let setup = quote! {
            let mut query = Vec::from([#(#required_query),*]);
            #(#pushes)*
        };
        (setup, quote! { &query })
    };

    let long_running = op.long_running.as_ref();
    let result = long_running.and_then(|l| l.result.as_ref());
    let (result_ty, decode) = match result {
        Some(ty) => {
            let ty = type_tokens(ty);
            (ty.clone(), quote! { decode_json::<#ty> })
        }
        None => (quote! { () }, quote! { decode_empty }),
    };
    let final_state_via = match long_running.map(|l| l.final_state_via) {
        Some(FinalStateVia::AzureAsyncOperation) => quote! { FinalStateVia::AzureAsyncOperation },
        Some(FinalStateVia::OriginalUri) => quote! { FinalStateVia::OriginalUri },
        _ => quote! { FinalStateVia::Location },
    };
    let method = match op.method {
        HttpMethod::Get => quote! { Method::Get },
        HttpMethod::Put => quote! { Method::Put },
        HttpMethod::Post => quote! { Method::Post },
        HttpMethod::Patch => quote! { Method::Patch },
        HttpMethod::Delete => quote! { Method::Delete },
        HttpMethod::Head => quote! { Method::Head },
    };
    let docs = method_docs(op, &args);
    let allow_many = allow_many_arguments(args.len() + usize::from(op.body.is_some()) + 2);

    quote! {
        #docs
        #allow_many
        pub fn #name(
            &self,
            #(#arg_tokens)*
            #body_arg
            options: Option<#options<'_>>,
        ) -> azure_core::Result<ArmPoller<#result_ty>> {
            let options = options.unwrap_or_default();
            let pipeline = &self.client.pipeline;
            #query_setup
            let path = [#(#segments),*];
            let url = pipeline.url(&path, #query)?;
            let request = LongRunningRequest {
                method: #method,
                url,
                body: #body_value,
                final_state_via: #final_state_via,
            };
            let context = options.method_options.context.into_owned();
            Ok(pipeline.begin_long_running(request, context, #decode))
        }
    }
}

/// `Param::new(name, value, rules)` for a parameter, its value from the client or the argument.
fn param_value(p: &Parameter) -> TokenStream {
    let (wire, value, rules) = param_parts(p);
    quote! { Param::new(#wire, #value, #rules) }
}

fn param_parts(p: &Parameter) -> (&str, TokenStream, TokenStream) {
    let rust = ident(&p.rust_name);
    let value = if p.scope == ParamScope::Client {
        quote! { &self.client.#rust }
    } else {
        quote! { #rust }
    };
    (&p.wire_name, value, rules_tokens(p))
}

/// The path as segments, consecutive literals joined (`providers/Microsoft.Compute/disks`):
/// the runtime splits literals on `/` itself.
fn path_segments(op: &Operation) -> Vec<TokenStream> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    for part in &op.path {
        match part {
            PathPart::Literal(text) => {
                if !literal.is_empty() {
                    literal.push('/');
                }
                literal.push_str(text);
            }
            PathPart::Param(wire) => {
                if !literal.is_empty() {
                    segments.push(quote! { PathSegment::Literal(#literal) });
                    literal.clear();
                }
                if let Some(param) = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && &p.wire_name == wire)
                {
                    let (wire, value, rules) = param_parts(param);
                    segments.push(quote! { PathSegment::param(#wire, #value, #rules) });
                }
            }
        }
    }
    if !literal.is_empty() {
        segments.push(quote! { PathSegment::Literal(#literal) });
    }
    segments
}

fn rules_tokens(p: &Parameter) -> TokenStream {
    match &p.rules {
        Some(rules) => {
            let name = ident(rules);
            quote! { &#name }
        }
        None => quote! { &ParamRules::NONE },
    }
}

fn method_docs(op: &Operation, args: &[&Parameter]) -> TokenStream {
    let mut lines: Vec<String> = op.docs.lines.clone();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let result = op.long_running.as_ref().and_then(|l| l.result.as_ref());
    let yields = match result {
        Some(crate::model::TypeRef::Named(name)) => {
            format!("the [`{name}`](super::models::{name})")
        }
        Some(_) => "the result".to_string(),
        None => "`()`".to_string(),
    };
    lines.push(format!(
        "A long-running operation ({}): this sends nothing yet. Awaiting the returned poller sends the request, polls until the service is done and yields {yields}.",
        doc_code(&op.id)
    ));
    lines.push(String::new());
    lines.push("# Arguments".to_string());
    lines.push(String::new());
    for param in args {
        let first = first_line(&param.docs);
        lines.push(format!(
            "* `{}`: {}",
            param.rust_name.trim_start_matches("r#"),
            first
        ));
    }
    if let Some(body) = &op.body {
        let first = first_line(&body.docs);
        lines.push(format!(
            "* `{}`: {}",
            body.rust_name.trim_start_matches("r#"),
            first
        ));
    }
    lines.push("* `options`: per-call options; `None` for the defaults.".to_string());
    lines.push(String::new());
    lines.push("# Errors".to_string());
    lines.push(String::new());
    lines.push(
        "Fails at once, before anything is sent, when a parameter breaks the spec's constraints."
            .to_string(),
    );
    let error_doc = match &op.error {
        Some(crate::model::TypeRef::Named(name)) => format!(
            "The poller fails when the service rejects the request or the operation fails; [`{name}::from_error`](super::models::{name}::from_error) reads the service's error from the error."
        ),
        _ => "The poller fails when the service rejects the request or the operation fails."
            .to_string(),
    };
    lines.push(error_doc);
    doc_lines(lines.iter().map(String::as_str))
}
