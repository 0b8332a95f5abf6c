//! The example tests: for each api-version with examples, `tests/examples_<module>.rs` (behind
//! the version's feature), one test per [`Example`] that calls the generated method through
//! the in-memory transport of `tests/support/mod.rs` and checks request and result.
//!
//! Every value from the spec (paths, parameter values, JSON bodies, titles) enters the code
//! as a string or integer literal token (`proc_macro2::Literal`, which escapes), or as doc
//! text through the shared doc helpers; never as formatted code.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc_lines, ident, inner_doc_lines};
use crate::config::Config;
use crate::model::{
    AccessStep, Api, Example, ExampleResponse, ExampleValue, HttpMethod, Operation, ReadOnlyValue,
};

/// The fixed support module every example test file includes.
pub const SUPPORT: &str = include_str!("templates/example_support.rs");

/// The test file of one api-version, or `None` when none of its examples replays.
pub fn example_tests_file(config: &Config, api: &Api) -> Option<TokenStream> {
    if api.examples.is_empty() {
        return None;
    }
    let krate = ident(&config.crate_name.replace('-', "_"));
    let module = ident(&api.module);
    let feature = Literal::string(&api.module);
    let client = ident(&api.client.name);
    let options = ident(&api.client.options_name);
    let summary = format!(
        "The spec's `x-ms-examples` of api-version {}, replayed through the generated client over an in-memory transport.",
        api.version
    );
    let docs = inner_doc_lines([summary.as_str()]);
    let tests = api.examples.iter().map(|example| test(api, example));
    let uses_pages = api
        .examples
        .iter()
        .any(|e| operation(api, e).pageable.is_some());
    let try_stream = uses_pages.then(|| quote! { use futures::TryStreamExt; });
    Some(quote! {
        #docs
        #![cfg(feature = #feature)]

        mod support;

        use std::sync::Arc;

        use azure_core::http::Method;
        #try_stream
        use #krate::#module::{#client, #options};
        use support::{Exchange, Expected, Replay};

        /// Client options whose transport is `replay`.
        fn options(replay: &Arc<Replay>) -> #options {
            #options {
                client_options: replay.client_options(),
                ..Default::default()
            }
        }

        #(#tests)*
    })
}

fn operation<'a>(api: &'a Api, example: &Example) -> &'a Operation {
    &api.groups[example.group].operations[example.operation]
}

fn test(api: &Api, example: &Example) -> TokenStream {
    let group = &api.groups[example.group];
    let op = operation(api, example);
    let name = ident(&example.test_name);
    let mut lines = vec![format!("`{}` ({}):", example.file, op.id)];
    lines.extend(example.title_docs.lines.iter().cloned());
    let docs = doc_lines(lines.iter().map(String::as_str));
    let client = ident(&api.client.name);
    let accessor = ident(&group.accessor);
    let method = ident(&op.rust_name);
    let count = Literal::usize_unsuffixed(example.responses.len());
    let responses = example.responses.iter().map(exchange);
    let expected = expected(example);
    let client_args = example.client_args.iter().map(value);
    let args = example.args.iter().map(value);
    let (body_let, body_arg) = match (&op.body, &example.body) {
        (None, _) => (None, None),
        (Some(body), Some(json)) => {
            let json = Literal::string(json);
            let arg = if body.required {
                quote! { &body, }
            } else {
                quote! { Some(&body), }
            };
            (
                Some(quote! { let body = support::model(#json); }),
                Some(arg),
            )
        }
        (Some(_), None) => (None, Some(quote! { None, })),
    };
    let call = quote! { client.#accessor().#method(#(#args,)* #body_arg None) };
    let outcome = outcome(op, call);
    let check = example.result.as_ref().map(|json| {
        let json = Literal::string(json);
        let read_only = example.result_read_only.iter().map(read_only_check);
        quote! {
            let result = response.into_model().expect("the result reads as the model");
            support::assert_serializes_to(&result, #json);
            #(#read_only)*
        }
    });
    let bind = match check {
        Some(_) => quote! { let response = },
        None => quote! { let _response = },
    };
    quote! {
        #docs
        #[tokio::test(start_paused = true)]
        async fn #name() {
            static RESPONSES: [Exchange; #count] = [#(#responses),*];
            let replay = Replay::new(#expected, &RESPONSES);
            let client = #client::new(#(#client_args,)* support::credential(), Some(options(&replay)))
                .expect("the client builds");
            #body_let
            #bind #outcome;
            #check
            replay.finish();
        }
    }
}

/// The call up to its response: awaited (plain), polled to the end (long-running), or its
/// first page (pageable).
fn outcome(op: &Operation, call: TokenStream) -> TokenStream {
    if op.long_running.is_some() {
        quote! {
            #call
                .expect("the operation begins")
                .await
                .expect("the operation succeeds")
        }
    } else if op.pageable.is_some() {
        quote! {
            #call
                .expect("the pager is built")
                .into_pages()
                .try_next()
                .await
                .expect("the page is read")
                .expect("there is a page")
        }
    } else {
        quote! { #call.await.expect("the call succeeds") }
    }
}

/// A read-only value (never serialized) was read into the model: reached field by field
/// from the result, as `Option<&String>`.
fn read_only_check(read_only: &ReadOnlyValue) -> TokenStream {
    // `Ok`: a place that is always there; `Err`: an `Option` of a reference.
    let mut reach: Result<TokenStream, TokenStream> = Ok(quote! { result });
    for step in &read_only.path {
        reach = match (step, reach) {
            (
                AccessStep::Field {
                    rust_name,
                    required,
                },
                reach,
            ) => {
                let field = ident(rust_name);
                match (required, reach) {
                    (true, Ok(place)) => Ok(quote! { #place.#field }),
                    (true, Err(option)) => Err(quote! { #option.map(|v| &v.#field) }),
                    (false, Ok(place)) => Err(quote! { #place.#field.as_ref() }),
                    (false, Err(option)) => Err(quote! { #option.and_then(|v| v.#field.as_ref()) }),
                }
            }
            (AccessStep::Index(index), reach) => {
                let item = match index {
                    0 => quote! { first() },
                    _ => {
                        let index = Literal::usize_unsuffixed(*index);
                        quote! { get(#index) }
                    }
                };
                match reach {
                    Ok(place) => Err(quote! { #place.#item }),
                    Err(option) => Err(quote! { #option.and_then(|v| v.#item) }),
                }
            }
        };
    }
    let reach = match reach {
        Ok(place) => quote! { Some(&#place) },
        Err(option) => option,
    };
    let value = Literal::string(&read_only.value);
    quote! { support::assert_read(#reach, #value); }
}

fn expected(example: &Example) -> TokenStream {
    let request = &example.request;
    let method = ident(match request.method {
        HttpMethod::Get => "Get",
        HttpMethod::Put => "Put",
        HttpMethod::Post => "Post",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
        HttpMethod::Head => "Head",
    });
    let path = Literal::string(&request.path);
    let api_version = Literal::string(&request.api_version);
    let body = optional_string(request.body.as_deref());
    quote! {
        Expected {
            method: Method::#method,
            path: #path,
            api_version: #api_version,
            body: #body,
        }
    }
}

fn exchange(response: &ExampleResponse) -> TokenStream {
    let status = Literal::u16_unsuffixed(response.status);
    let headers = response.headers.iter().map(|(name, value)| {
        let name = Literal::string(name);
        let value = Literal::string(value);
        quote! { (#name, #value) }
    });
    let body = optional_string(response.body.as_deref());
    quote! {
        Exchange {
            status: #status,
            headers: &[#(#headers),*],
            body: #body,
        }
    }
}

fn optional_string(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => {
            let text = Literal::string(text);
            quote! { Some(#text) }
        }
        None => quote! { None },
    }
}

fn value(value: &ExampleValue) -> TokenStream {
    match value {
        ExampleValue::String(text) => {
            let text = Literal::string(text);
            quote! { #text }
        }
        ExampleValue::Int(number) => {
            let number = Literal::i64_unsuffixed(*number);
            quote! { #number }
        }
        ExampleValue::Bool(true) => quote! { true },
        ExampleValue::Bool(false) => quote! { false },
    }
}
