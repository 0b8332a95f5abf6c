//! One operation → its method(s): validate and build the request, then hand it to the
//! runtime as azure_core's `Response`, `Pager` or `Poller`. The names these methods bind are
//! [`bound::METHOD`](crate::naming::bound::METHOD); lowering keeps parameters off them.

use std::collections::BTreeSet;
use std::fmt::Write;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{doc_lines, first_line, ident, type_tokens};
use crate::escape::doc_code;
use crate::model::{
    FinalStateVia, HttpMethod, LongRunning, Operation, Pageable, ParamLocation, ParamScope,
    Parameter, PathPart, TypeRef,
};

/// The `use` names a group file needs, collected while its methods are emitted.
#[derive(Default)]
pub struct Uses {
    /// From `azure_arm_runtime`.
    pub runtime: BTreeSet<&'static str>,
    /// From `azure_core::http`.
    pub http: BTreeSet<&'static str>,
}

/// The method(s) of one operation: one, or two for a long-running operation (`begin_…` and
/// `resume_…`). `example` is appended to the (first) method's docs.
pub fn methods(
    op: &Operation,
    has_api_version: bool,
    example: TokenStream,
    uses: &mut Uses,
) -> TokenStream {
    let mut shared = Shared::new(op, uses);
    shared.docs.extend(example);
    if let Some(long_running) = &op.long_running {
        long_running_methods(op, long_running, &shared, uses)
    } else if let Some(pageable) = &op.pageable {
        pageable_method(pageable, &shared, has_api_version, uses)
    } else {
        plain_method(&shared, uses)
    }
}

/// A plain operation: a function (not an `async fn`, whose state machine made `cargo check`
/// of the method about three times dearer) returning the runtime's `ResponseFuture`, awaited
/// like one. Building the request may fail (a parameter breaks its rules); that error is the
/// future's, met where the caller awaits, as with an `async fn`. The future borrows the
/// client and the options' context only, hence the one lifetime.
fn plain_method(shared: &Shared, uses: &mut Uses) -> TokenStream {
    uses.runtime.insert("ResponseFuture");
    let Shared {
        docs,
        name,
        args,
        options,
        request,
        result,
    } = shared;
    quote! {
        #docs
        #[inline]
        pub fn #name<'a>(&'a self, #args options: Option<#options<'a>>) -> ResponseFuture<'a, #result> {
            let options = options.unwrap_or_default();
            let pipeline = &self.client.pipeline;
            #request
            pipeline.send(request, options.method_options.context)
        }
    }
}

/// What every kind of method has: docs, name, arguments (every kind takes the same; only
/// what it returns differs), the options type, the statements that end with `request`, and
/// the result type (`T`, or `(), NoFormat` for an operation without a body).
struct Shared {
    docs: TokenStream,
    name: Ident,
    /// The required arguments and the body, each with its trailing comma; `self` and
    /// `options` around them differ by kind.
    args: TokenStream,
    options: Ident,
    request: TokenStream,
    result: TokenStream,
}

impl Shared {
    fn new(op: &Operation, uses: &mut Uses) -> Self {
        let args: Vec<&Parameter> = op
            .params
            .iter()
            .filter(|p| p.scope == ParamScope::Method && p.required)
            .collect();
        let arg_tokens = args.iter().map(|p| {
            let arg = ident(&p.rust_name);
            let ty = arg_type(&p.ty);
            quote! { #arg: #ty, }
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
        let plain = op.long_running.is_none() && op.pageable.is_none();
        let request = request(op, plain, uses);
        let result = result_type(op.result.as_ref(), uses);
        let mut docs = method_docs(op, &args);
        // self, the arguments, the body and options: clippy's limit is seven, and ARM
        // operations routinely take more.
        if 2 + args.len() + usize::from(op.body.is_some()) > 7 {
            docs.extend(quote! { #[allow(clippy::too_many_arguments)] });
        }
        Self {
            docs,
            name: ident(&op.rust_name),
            args: quote! { #(#arg_tokens)* #body_arg },
            options: ident(&op.options_name),
            request,
            result,
        }
    }

    /// A method that starts a pager or poller: `pub fn name(params) ->
    /// azure_core::Result<returns>`, failing at once when the request cannot be built, then
    /// `tail`, which turns `request` into what it returns.
    ///
    /// It is `#[inline]`, so that it is compiled where it is used: without it, `cargo build`
    /// of the generated crate compiled every operation's pager or poller (azure_core's,
    /// monomorphised per model) whether a program used it or not (BENCHMARKS.md).
    fn method(&self, returns: TokenStream, tail: TokenStream) -> TokenStream {
        let Self {
            docs,
            name,
            args,
            options,
            request,
            ..
        } = self;
        quote! {
            #docs
            #[inline]
            pub fn #name(&self, #args options: Option<#options<'_>>) -> azure_core::Result<#returns> {
                let options = options.unwrap_or_default();
                let pipeline = &self.client.pipeline;
                #request
                #tail
            }
        }
    }
}

/// `begin_…` returning azure_core's `Poller`, and `resume_…` from a token.
fn long_running_methods(
    op: &Operation,
    long_running: &LongRunning,
    shared: &Shared,
    uses: &mut Uses,
) -> TokenStream {
    uses.runtime.extend([
        "ArmPoller",
        "LongRunningRequest",
        "PollSettings",
        "ResumeToken",
    ]);
    let result = &shared.result;
    let (id, api_name) = (&op.id, &op.api_name);
    let via = final_state_via(long_running.final_state_via, uses);
    let resume = ident(&long_running.resume_name);
    let resume_doc = doc_lines([
        format!("Continues [`{}`](Self::{}) from a resume token, in this process or another: the token comes from a status the poller yielded ([`OperationStatus::resume_token`](azure_arm_runtime::OperationStatus::resume_token)).", op.rust_name, op.rust_name).as_str(),
        "",
        "# Errors",
        "",
        "Fails at once when the token belongs to another operation or names a URL off the client's endpoint.",
    ]);
    let begin = shared.method(
        quote! { ArmPoller<#result> },
        quote! {
            let request = LongRunningRequest {
                operation: #id,
                request,
                final_state_via: #via,
            };
            Ok(pipeline.begin_long_running(
                request,
                PollSettings { options: options.method_options, timeout: options.timeout },
            ))
        },
    );
    quote! {
        #begin

        #resume_doc
        #[inline]
        pub fn #resume(
            &self,
            token: ResumeToken,
            options: Option<PollSettings<'_>>,
        ) -> azure_core::Result<ArmPoller<#result>> {
            self.client.pipeline.resume_long_running(#id, Some(#api_name), token, options.unwrap_or_default())
        }
    }
}

/// A pageable operation: azure_core's `Pager` over the page model.
fn pageable_method(
    pageable: &Pageable,
    shared: &Shared,
    has_api_version: bool,
    uses: &mut Uses,
) -> TokenStream {
    uses.runtime.insert("PageRules");
    uses.http.insert("Pager");
    let next_link = match &pageable.next_link_name {
        Some(name) => quote! { Some(#name) },
        None => quote! { None },
    };
    let api_version = if has_api_version {
        quote! { Some(self.client.api_version.clone()) }
    } else {
        quote! { None }
    };
    let page = ident(&pageable.page);
    shared.method(
        quote! { Pager<#page> },
        quote! {
            Ok(pipeline.pager(
                request,
                PageRules { next_link_name: #next_link, api_version: #api_version },
                options.method_options,
            ))
        },
    )
}

/// The type of a required argument.
fn arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote! { &str },
        TypeRef::Array(inner) => {
            let inner = type_tokens(inner);
            quote! { &[#inner] }
        }
        other => type_tokens(other),
    }
}

/// The type of an optional parameter in the options struct.
pub fn option_type(ty: &TypeRef) -> TokenStream {
    let ty = type_tokens(ty);
    quote! { Option<#ty> }
}

/// `T`, or for operations without a body `(), NoFormat`: `NoFormat` makes `Response<()>` right.
fn result_type(result: Option<&TypeRef>, uses: &mut Uses) -> TokenStream {
    match result {
        Some(ty) => type_tokens(ty),
        None => {
            uses.http.insert("NoFormat");
            quote! { (), NoFormat }
        }
    }
}

fn final_state_via(via: Option<FinalStateVia>, uses: &mut Uses) -> TokenStream {
    let Some(via) = via else {
        return quote! { None };
    };
    uses.runtime.insert("FinalStateVia");
    match via {
        FinalStateVia::Location => quote! { Some(FinalStateVia::Location) },
        FinalStateVia::AzureAsyncOperation => quote! { Some(FinalStateVia::AzureAsyncOperation) },
        FinalStateVia::OriginalUri => quote! { Some(FinalStateVia::OriginalUri) },
        FinalStateVia::OperationLocation => quote! { Some(FinalStateVia::OperationLocation) },
    }
}

/// `let request = pipeline.request(…)`: the operation's constants (API name, method, path
/// template, the parameters' names and rules) and the call's values, given to one
/// non-generic runtime function, then the body. Plain methods keep the outcome for the
/// future (`deferred`); pagers and pollers fail at once (`?`).
fn request(op: &Operation, deferred: bool, uses: &mut Uses) -> TokenStream {
    uses.http.insert("Method");
    let method = match op.method {
        HttpMethod::Get => quote! { Method::Get },
        HttpMethod::Put => quote! { Method::Put },
        HttpMethod::Post => quote! { Method::Post },
        HttpMethod::Patch => quote! { Method::Patch },
        HttpMethod::Delete => quote! { Method::Delete },
        HttpMethod::Head => quote! { Method::Head },
    };
    let api_name = &op.api_name;
    let (template, path) = path_values(op, uses);
    let query = named_values(op, ParamLocation::Query, uses);
    let headers = named_values(op, ParamLocation::Header, uses);
    let build = quote! {
        pipeline.request(
            #api_name,
            #method,
            #template,
            &[#(#path),*],
            &[#(#query),*],
            &[#(#headers),*],
        )
    };
    let body = op.body.as_ref().map(|b| (ident(&b.rust_name), b.required));
    match (body, deferred) {
        (None, true) => quote! { let request = #build; },
        (None, false) => quote! { let request = #build?; },
        (Some((arg, true)), true) => {
            quote! { let request = #build.and_then(|request| request.json(#arg)); }
        }
        (Some((arg, true)), false) => quote! { let request = #build?.json(#arg)?; },
        (Some((arg, false)), true) => quote! {
            let request = #build.and_then(|request| match #arg {
                Some(value) => request.json(value),
                None => Ok(request),
            });
        },
        (Some((arg, false)), false) => quote! {
            let request = #build?;
            let request = match #arg {
                Some(value) => request.json(value)?,
                None => request,
            };
        },
    }
}

/// The query or header parameters as `(name, value, rules)`, the value `None` when an
/// optional one is not set: the required and client-held first, then the optional, each in
/// spec order (the order they are sent in).
fn named_values(op: &Operation, location: ParamLocation, uses: &mut Uses) -> Vec<TokenStream> {
    let (required, optional): (Vec<&Parameter>, Vec<&Parameter>) = op
        .params
        .iter()
        .filter(|p| p.location == location)
        .partition(|p| p.required || p.scope == ParamScope::Client);
    let required = required.into_iter().map(|p| {
        let value = required_value(p);
        (p, quote! { Some(#value) })
    });
    let optional = optional.into_iter().map(|p| {
        let field = ident(&p.rust_name);
        let value = match &p.ty {
            TypeRef::String => quote! { options.#field.as_deref() },
            TypeRef::Array(_) => {
                quote! { options.#field.as_deref().map(azure_arm_runtime::csv).as_deref() }
            }
            _ => quote! { options.#field.as_ref().map(|value| value.to_string()).as_deref() },
        };
        (p, value)
    });
    required
        .chain(optional)
        .map(|(p, value)| {
            let wire = &p.wire_name;
            let rules = rules_tokens(p, uses);
            quote! { (#wire, #value, #rules) }
        })
        .collect()
}

/// The `&str` of a required or client-held parameter: lists joined by commas, numbers,
/// booleans and enums formatted (a temporary that lives until the request is built).
fn required_value(p: &Parameter) -> TokenStream {
    let rust = ident(&p.rust_name);
    if p.scope == ParamScope::Client {
        return quote! { &*self.client.#rust };
    }
    match &p.ty {
        TypeRef::String => quote! { #rust },
        TypeRef::Array(_) => quote! { &azure_arm_runtime::csv(#rust) },
        _ => quote! { &#rust.to_string() },
    }
}

/// The path template as in the spec (`/subscriptions/{subscriptionId}/…`, which lowering
/// checked: each `{name}` a whole segment, no braces elsewhere) and each parameter's
/// `(value, rules)`, in order.
fn path_values(op: &Operation, uses: &mut Uses) -> (String, Vec<TokenStream>) {
    let mut template = String::new();
    let mut values = Vec::new();
    for part in &op.path {
        template.push('/');
        match part {
            PathPart::Literal(text) => template.push_str(text),
            PathPart::Param(wire) => {
                // Writing to a `String` cannot fail.
                let _ = write!(template, "{{{wire}}}");
                let param = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && &p.wire_name == wire);
                if let Some(param) = param {
                    let value = required_value(param);
                    let rules = rules_tokens(param, uses);
                    values.push(quote! { (#value, #rules) });
                }
            }
        }
    }
    (template, values)
}

fn rules_tokens(p: &Parameter, uses: &mut Uses) -> TokenStream {
    match &p.rules {
        Some(rules) => {
            let name = ident(rules);
            quote! { &#name }
        }
        None => {
            uses.runtime.insert("ParamRules");
            quote! { &ParamRules::NON_EMPTY }
        }
    }
}

fn method_docs(op: &Operation, args: &[&Parameter]) -> TokenStream {
    let mut lines: Vec<String> = op.docs.lines.clone();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let result = match &op.result {
        Some(TypeRef::Named(name)) => format!("[`{name}`](super::models::{name})"),
        Some(_) => "the result".to_string(),
        None => "no body".to_string(),
    };
    // The operationId is spec text: one code span through the escaping function.
    let id = doc_code(&op.id);
    // What the method gives, and when a parameter that breaks its rules is refused: a pager
    // or poller at once, a plain method's future where it is awaited.
    let at_once =
        "Fails at once, before anything is sent, when a parameter breaks the spec's constraints.";
    let (summary, invalid) = if op.long_running.is_some() {
        (
            format!(
                "A long-running operation ({id}): nothing is sent until the returned poller is awaited or streamed. Awaiting it sends the request, polls until the service is done and gives the final `Response` ({result}); streaming it (`try_next`) gives each status, with a resume token. Stop streaming at the terminal status before awaiting: azure_core's poller must not be awaited after its stream ended."
            ),
            at_once,
        )
    } else if let Some(pageable) = &op.pageable {
        let item = match &pageable.item {
            TypeRef::Named(name) => format!("[`{name}`](super::models::{name})"),
            _ => "item".to_string(),
        };
        (
            format!(
                "A pageable operation ({id}): the returned pager is a stream of each {item} across pages (`into_pages` gives the pages with their responses); nothing is sent until it is polled."
            ),
            at_once,
        )
    } else {
        (
            format!(
                "Sends {id} when the returned future is awaited, and gives the response: status, headers and {result} (`into_model`)."
            ),
            "Fails before anything is sent when a parameter breaks the spec's constraints.",
        )
    };
    lines.push(summary);
    lines.push(String::new());
    lines.push("# Arguments".to_string());
    lines.push(String::new());
    for param in args {
        let first = first_line(&param.docs);
        lines.push(format!(
            "* `{}`: {first}",
            crate::naming::unraw(&param.rust_name)
        ));
    }
    if let Some(body) = &op.body {
        let first = first_line(&body.docs);
        lines.push(format!(
            "* `{}`: {first}",
            crate::naming::unraw(&body.rust_name)
        ));
    }
    lines.push(
        "* `options`: optional parameters and per-call options; `None` for the defaults."
            .to_string(),
    );
    lines.push(String::new());
    lines.push("# Errors".to_string());
    lines.push(String::new());
    lines.push(invalid.to_string());
    let failure = match &op.error {
        Some(TypeRef::Named(name)) => format!(
            "A service error or failed operation is an error from which [`{name}::from_error`](super::models::{name}::from_error) reads the service's error."
        ),
        _ => {
            "A service error or failed operation is an `HttpResponse` error carrying the response."
                .to_string()
        }
    };
    lines.push(failure);
    doc_lines(lines.iter().map(String::as_str))
}
