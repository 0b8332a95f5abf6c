//! One file per operation group: the sub-client, its per-operation options, and one method
//! per operation (two for a long-running one), written by [`method`](super::method). Methods
//! only validate, build the request and hand it to the shared runtime; everything that is
//! the same for every operation lives in `azure_arm_runtime`.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;

use super::example_docs::example_docs;
use super::method::{Uses, methods, option_type};
use super::{doc_attrs, ident, named_types};
use crate::escape::doc_code;
use crate::model::{Api, ClientParamRole, Operation, OperationGroup, ParamScope};

pub fn group_file(crate_name: &str, api: &Api, group: &OperationGroup) -> TokenStream {
    let group_client = ident(&group.client_name);
    let top_client = ident(&api.client.name);
    let has_api_version = api
        .client
        .params
        .iter()
        .any(|p| p.role == ClientParamRole::ApiVersion);
    let mut uses = Uses::default();
    let options: Vec<TokenStream> = group
        .operations
        .iter()
        .map(|op| options_struct(group, op, &mut uses))
        .collect();
    let methods: Vec<TokenStream> = group
        .operations
        .iter()
        .map(|op| {
            let example = example_docs(crate_name, api, group, op);
            methods(op, has_api_version, example, &mut uses)
        })
        .collect();
    let imports = imports(api, group, &uses);
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
    let mut tokens = quote! {
        #![doc = #module_doc]

        #imports

        #[doc = #client_doc]
        ///
        #[doc = #client_doc_2]
        #[derive(Clone, Debug)]
        pub struct #group_client {
            pub(super) client: #top_client,
        }

    };
    // The options structs and the methods are moved in: interpolated, each would be copied.
    tokens.extend(options);
    tokens.extend(quote! { impl #group_client });
    let methods = methods.into_iter().collect();
    tokens.extend([TokenTree::Group(Group::new(Delimiter::Brace, methods))]);
    tokens
}

/// The file's `use` lines: what the methods used (collected in `uses` while they were
/// emitted), the top client and the parameter rules it holds, and the models.
fn imports(api: &Api, group: &OperationGroup, uses: &Uses) -> TokenStream {
    let mut models = BTreeSet::new();
    let mut rules = BTreeSet::new();
    for op in &group.operations {
        if let Some(body) = &op.body {
            named_types(&body.ty, &mut models);
        }
        if let Some(result) = &op.result {
            named_types(result, &mut models);
        }
        for param in &op.params {
            named_types(&param.ty, &mut models);
        }
        rules.extend(op.params.iter().filter_map(|p| p.rules.clone()));
    }
    let model_imports = (!models.is_empty()).then(|| {
        let models = models.iter().map(|m| ident(m));
        quote! { use super::models::{#(#models),*}; }
    });
    let top_client = ident(&api.client.name);
    let client_imports = std::iter::once(top_client).chain(rules.iter().map(|r| ident(r)));
    let runtime_imports = uses.runtime.iter().map(|name| ident(name));
    // Constant paths of this emitter, never spec text.
    let http_imports = uses
        .http
        .iter()
        .map(|name| name.parse::<TokenStream>().unwrap_or_default());
    // Only an options struct of a long-running operation's own names `Duration`.
    let duration_import = group
        .operations
        .iter()
        .any(|op| op.long_running.is_some() && has_own_options(op))
        .then(|| quote! { use std::time::Duration; });
    quote! {
        #duration_import

        use azure_arm_runtime::{#(#runtime_imports),*};
        use azure_core::http::{#(#http_imports),*};

        use super::client::{#(#client_imports),*};
        #model_imports
    }
}

/// Whether the operation has optional parameters, so options of its own.
fn has_own_options(op: &Operation) -> bool {
    op.params
        .iter()
        .any(|p| p.scope == ParamScope::Method && !p.required)
}

/// The operation's options struct; an alias of the runtime's shared `CallOptions` or
/// `LongRunningOptions` when it has no optional parameters (most operations): the same code
/// compiled once instead of once per operation.
fn options_struct(group: &OperationGroup, op: &Operation, uses: &mut Uses) -> TokenStream {
    let name = ident(&op.options_name);
    let doc = format!(" Options for [`{}::{}`].", group.client_name, op.rust_name);
    if !has_own_options(op) {
        let shared = if op.long_running.is_some() {
            "LongRunningOptions"
        } else {
            "CallOptions"
        };
        uses.runtime.insert(shared);
        let shared = ident(shared);
        return quote! {
            #[doc = #doc]
            pub type #name<'a> = #shared<'a>;
        };
    }
    let optional = op
        .params
        .iter()
        .filter(|p| p.scope == ParamScope::Method && !p.required)
        .map(|p| {
            let field = ident(&p.rust_name);
            let docs = doc_attrs(&p.docs);
            let ty = option_type(&p.ty);
            quote! {
                #docs
                pub #field: #ty,
            }
        });
    let call_options = if op.long_running.is_some() {
        uses.http.insert("poller::PollerOptions");
        quote! {
            /// The call's context (cancellation, tracing, per-call policies) and the delay
            /// between polls when the service gives none (`frequency`, 30 s by default).
            pub method_options: PollerOptions<'a>,
            /// The longest the whole operation may take; `None` for the client's
            /// `PollingOptions::timeout`.
            pub timeout: Option<Duration>,
        }
    } else {
        uses.http.insert("ClientMethodOptions");
        quote! {
            /// The call's context: cancellation, tracing and per-call policies.
            pub method_options: ClientMethodOptions<'a>,
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default)]
        pub struct #name<'a> {
            #call_options
            #(#optional)*
        }
    }
}
