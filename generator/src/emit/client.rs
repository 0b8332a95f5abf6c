//! `client.rs`: the top-level client of one api-version, its options, its sub-client
//! accessors, and the parameter rules the sub-clients share.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{allow_many_arguments, doc_lines, first_line, ident, type_tokens};
use crate::escape::{doc_code, doc_text};
use crate::model::{Api, Bound, CharSet, ClientParam, ClientParamRole, Constraints};

pub fn client_file(api: &Api) -> TokenStream {
    let (rules_imports, rules) = shared_rules(api);
    let (page_models, pages) = page_impls(api);
    let imports = imports(api, rules_imports, &page_models);
    let client = client_struct(api);
    let options = options_struct(api);
    let constructor = client_impl(api);
    quote! {
        #![doc = " The top-level client and its options."]

        #imports
        #client
        #options
        #constructor
        #rules
        #pages
    }
}

/// The client's parameters held as values (the subscription id, say), in the model's order.
fn value_params(api: &Api) -> Vec<&ClientParam> {
    api.client
        .params
        .iter()
        .filter(|p| p.role == ClientParamRole::Value)
        .collect()
}

fn has_api_version(api: &Api) -> bool {
    api.client
        .params
        .iter()
        .any(|p| p.role == ClientParamRole::ApiVersion)
}

/// The file's `use` lines: the runtime's names it needs, azure_core's, the page models and
/// the group clients the accessors return.
fn imports(
    api: &Api,
    rules_imports: Vec<&'static str>,
    page_models: &BTreeSet<&str>,
) -> TokenStream {
    let mut runtime_imports: Vec<&str> = vec!["ArmPipeline", "PollingOptions"];
    runtime_imports.extend(rules_imports);
    runtime_imports.sort_unstable();
    let runtime_imports = runtime_imports.into_iter().map(ident);
    let page_import = (!page_models.is_empty()).then(|| {
        let models = page_models.iter().map(|m| ident(m));
        quote! {
            use azure_core::http::pager::Page;
            use super::models::{#(#models),*};
        }
    });
    let group_imports = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let group_client = ident(&g.client_name);
        quote! { use super::#module::#group_client; }
    });
    quote! {
        use std::sync::Arc;

        use azure_arm_runtime::{#(#runtime_imports),*};
        use azure_core::credentials::TokenCredential;
        use azure_core::http::{ClientOptions, Url};
        #page_import

        #(#group_imports)*
    }
}

/// The client struct: the pipeline, the client parameters and the api-version.
fn client_struct(api: &Api) -> TokenStream {
    let client = ident(&api.client.name);
    let field_defs = value_params(api).into_iter().map(|p| {
        let name = ident(&p.rust_name);
        quote! { pub(super) #name: Arc<str>, }
    });
    let api_version_field =
        has_api_version(api).then(|| quote! { pub(super) api_version: Arc<str>, });
    let client_doc = doc_lines([
        format!(
            "The client of {} at api-version {}.",
            doc_text(&api.title),
            api.version
        )
        .as_str(),
        "",
        "Cheap to clone: clones share one HTTP pipeline. Sub-clients for each group of",
        "operations come from the accessor methods.",
    ]);
    quote! {
        #client_doc
        #[derive(Clone, Debug)]
        pub struct #client {
            pub(super) pipeline: ArmPipeline,
            #(#field_defs)*
            #api_version_field
        }
    }
}

/// The client's options struct and its `Default`.
fn options_struct(api: &Api) -> TokenStream {
    let options = ident(&api.client.options_name);
    let has_api_version = has_api_version(api);
    let api_version_option = has_api_version.then(|| {
        quote! {
            /// The api-version sent with every request. Defaults to this module's
            /// [`API_VERSION`](super::API_VERSION); change it only to reach a service that
            /// accepts the same shapes under another version.
            pub api_version: String,
        }
    });
    let api_version_default =
        has_api_version.then(|| quote! { api_version: super::API_VERSION.to_string(), });
    let options_doc = format!(" Options for [`{}::new`].", api.client.name);
    quote! {
        #[doc = #options_doc]
        #[derive(Clone, Debug)]
        pub struct #options {
            #api_version_option
            /// Retry, transport, per-call and per-try policies, telemetry, and `cloud`: the
            /// Azure cloud decides the Resource Manager endpoint and the token scope (a custom
            /// cloud registers its endpoint as the audience of
            /// [`ResourceManager`](azure_arm_runtime::ResourceManager)).
            pub client_options: ClientOptions,
            /// The bound on every long-running operation (24 hours unless set).
            pub polling: PollingOptions,
        }

        impl Default for #options {
            fn default() -> Self {
                Self {
                    #api_version_default
                    client_options: ClientOptions::default(),
                    polling: PollingOptions::default(),
                }
            }
        }
    }
}

/// `new`, `endpoint` and one accessor per operation group.
fn client_impl(api: &Api) -> TokenStream {
    let client = ident(&api.client.name);
    let options = ident(&api.client.options_name);
    let value_params = value_params(api);
    let args = value_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote! { #name: impl Into<String>, }
    });
    let inits = value_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote! { #name: Arc::from(#name.into()), }
    });
    let api_version_init =
        has_api_version(api).then(|| quote! { api_version: Arc::from(options.api_version), });
    let new_docs = new_docs(api, &value_params);
    let allow_many = allow_many_arguments(value_params.len() + 2);
    let accessors = api.groups.iter().map(|g| {
        let accessor = ident(&g.accessor);
        let group_client = ident(&g.client_name);
        let doc = format!(" The operations of the {} group.", doc_code(&g.wire_name));
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> #group_client {
                #group_client { client: self.clone() }
            }
        }
    });
    quote! {
        impl #client {
            #new_docs
            #allow_many
            pub fn new(
                #(#args)*
                credential: Arc<dyn TokenCredential>,
                options: Option<#options>,
            ) -> azure_core::Result<Self> {
                let options = options.unwrap_or_default();
                let pipeline = ArmPipeline::new(
                    env!("CARGO_PKG_NAME"),
                    env!("CARGO_PKG_VERSION"),
                    credential,
                    options.client_options,
                    options.polling,
                )?;
                Ok(Self { pipeline, #(#inits)* #api_version_init })
            }

            /// The ARM endpoint requests go to.
            pub fn endpoint(&self) -> &Url {
                self.pipeline.endpoint()
            }

            #(#accessors)*
        }
    }
}

/// The docs of `new`: one bullet per argument, then its errors.
fn new_docs(api: &Api, value_params: &[&ClientParam]) -> TokenStream {
    let mut new_docs = vec![
        format!("Creates a client for api-version {}.", api.version),
        String::new(),
    ];
    for p in value_params {
        let first = first_line(&p.docs);
        new_docs.push(format!(
            "* `{}`: {}",
            crate::naming::unraw(&p.rust_name),
            first
        ));
    }
    new_docs.extend([
        "* `credential`: where bearer tokens for the cloud's ARM scope come from, e.g. `azure_identity::DeveloperToolsCredential`.".to_string(),
        "* `options`: cloud, api-version, retry, transport and polling; `None` for the defaults.".to_string(),
        String::new(),
        "# Errors".to_string(),
        String::new(),
        "Fails when the pipeline cannot be built from the options.".to_string(),
    ]);
    doc_lines(new_docs.iter().map(String::as_str))
}

/// azure_core's `Page` for every page model of a pageable operation, once each: the items
/// are the model's `itemName` property.
fn page_impls(api: &Api) -> (BTreeSet<&str>, TokenStream) {
    let mut seen = BTreeSet::new();
    let mut models = BTreeSet::new();
    let impls: Vec<TokenStream> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|op| op.pageable.as_ref())
        .filter(|p| seen.insert(p.page.clone()))
        .map(|p| {
            models.insert(p.page.as_str());
            super::named_types(&p.item, &mut models);
            let page = ident(&p.page);
            let item = type_tokens(&p.item);
            let field = ident(&p.item_field);
            let items = if p.item_required {
                quote! { self.#field }
            } else {
                quote! { self.#field.unwrap_or_default() }
            };
            let doc = format!(" The items of a page are its `{}`.", p.item_name);
            // Written out rather than with `#[async_trait]`: no async block per page model.
            quote! {
                #[doc = #doc]
                impl Page for #page {
                    type Item = #item;
                    type IntoIter = std::vec::IntoIter<#item>;

                    fn into_items<'a>(self) -> azure_arm_runtime::PageItems<'a, #item>
                    where
                        Self: 'a,
                    {
                        azure_arm_runtime::page_items(#items)
                    }
                }
            }
        })
        .collect();
    (models, quote! { #(#impls)* })
}

/// Statics with the compiled constraints of every constrained parameter.
fn shared_rules(api: &Api) -> (Vec<&'static str>, TokenStream) {
    let statics = api.param_rules.iter().map(|def| {
        let name = ident(&def.name);
        let constraints: &Constraints = &def.constraints;
        let min = option_tokens(constraints.min_length);
        let max = option_tokens(constraints.max_length);
        let pattern = match &constraints.pattern {
            Some(pattern) => {
                let source = &pattern.source;
                let sets = pattern.allowed.iter().map(char_set);
                quote! { Some(Pattern { source: #source, allowed: &[#(#sets),*] }) }
            }
            None => quote! { None },
        };
        let minimum = bound_tokens(constraints.minimum.as_ref());
        let maximum = bound_tokens(constraints.maximum.as_ref());
        let doc = format!(" What the spec allows for {}.", doc_code(&def.wire_name));
        quote! {
            #[doc = #doc]
            pub(super) static #name: ParamRules = ParamRules {
                min_length: #min, max_length: #max, pattern: #pattern, minimum: #minimum, maximum: #maximum
            };
        }
    });
    let statics = quote! { #(#statics)* };
    let mut imports = Vec::new();
    let any = |has: fn(&Constraints) -> bool| api.param_rules.iter().any(|d| has(&d.constraints));
    if any(|c| c.minimum.is_some() || c.maximum.is_some()) {
        imports.push("Bound");
    }
    if any(|c| c.pattern.is_some()) {
        imports.push("CharSet");
    }
    if !api.param_rules.is_empty() {
        imports.push("ParamRules");
    }
    if any(|c| c.pattern.is_some()) {
        imports.push("Pattern");
    }
    (imports, statics)
}

/// `Some(Bound { .. })` of a `minimum` or `maximum`, as an `f64` literal.
fn bound_tokens(bound: Option<&Bound>) -> TokenStream {
    match bound.and_then(|b| Some((b.value.as_f64()?, b.exclusive))) {
        Some((value, exclusive)) => {
            let value = proc_macro2::Literal::f64_unsuffixed(value);
            quote! { Some(Bound { value: #value, exclusive: #exclusive }) }
        }
        None => quote! { None },
    }
}

fn option_tokens(value: Option<usize>) -> TokenStream {
    match value {
        Some(n) => {
            let n = proc_macro2::Literal::usize_unsuffixed(n);
            quote! { Some(#n) }
        }
        None => quote! { None },
    }
}

fn char_set(set: &CharSet) -> TokenStream {
    match set {
        CharSet::Word => quote! { CharSet::Word },
        CharSet::Digit => quote! { CharSet::Digit },
        CharSet::Space => quote! { CharSet::Space },
        CharSet::Chars(chars) => quote! { CharSet::Chars(#chars) },
        CharSet::Range(start, end) => quote! { CharSet::Range(#start, #end) },
    }
}
