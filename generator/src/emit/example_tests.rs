//! The example tests: for each api-version with examples, `tests/examples_<module>.rs` (behind
//! the version's feature), one test per [`Example`] that calls the generated method through
//! the in-memory transport of `tests/support/mod.rs` and checks request and result.
//!
//! Every value from the spec (paths, parameter values, JSON bodies, titles) enters the code
//! as a string or integer literal token (`proc_macro2::Literal`, which escapes), or as doc
//! text through the shared doc helpers; never as formatted code.

use proc_macro2::{Delimiter, Group, Literal, TokenStream, TokenTree};
use quote::quote;

use super::{doc_lines, ident, inner_doc_lines};
use crate::config::Config;
use crate::escape::raw_string_literal;
use crate::model::{
    AccessStep, Api, Example, ExampleReplay, ExampleResponse, ExampleValue, HttpMethod, Operation,
    ReadOnlyValue,
};

/// The fixed support module every example test file includes.
pub const SUPPORT: &str = include_str!("templates/example_support.rs");

/// The test file of one api-version, or `None` when none of its examples replays.
pub fn example_tests_file(config: &Config, api: &Api) -> Option<TokenStream> {
    if api.examples.is_empty() {
        return None;
    }
    let mut tokens = TokenStream::new();
    for part in 0..part_count(api) {
        tokens.extend(tests_part(config, api, part));
    }
    Some(tokens)
}

/// Tests per part of the file (`PlannedFile`'s parts): the largest api-version's file (88
/// tests, 318 k characters) was the run's longest task.
const TESTS_PER_PART: usize = 8;

/// How many parts [`tests_part`] cuts the tests into.
pub(super) fn part_count(api: &Api) -> usize {
    super::part_count(api.examples.len(), TESTS_PER_PART)
}

/// One part of the test file: its docs, `use`s and `options` in the first, then each part's
/// run of tests in the examples' order.
pub(super) fn tests_part(config: &Config, api: &Api, part: usize) -> TokenStream {
    let tests = super::part_of(&api.examples, TESTS_PER_PART, part)
        .iter()
        .map(|example| test(api, example));
    // The tests' tokens are moved in: `#(#tests)*` would copy every one.
    let mut tokens = if part > 0 {
        TokenStream::new()
    } else {
        preamble(config, api)
    };
    tokens.extend(tests);
    tokens
}

/// The file's docs, feature gate, `use`s and the `options` helper every test calls.
fn preamble(config: &Config, api: &Api) -> TokenStream {
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
    let streams = api.examples.iter().any(|e| {
        operation(api, e).pageable.is_some()
            || matches!(e.replay, ExampleReplay::FirstStatus { .. })
    });
    let try_stream = streams.then(|| quote! { use futures::TryStreamExt; });
    let polls = api
        .examples
        .iter()
        .any(|e| matches!(e.replay, ExampleReplay::FirstStatus { .. }));
    let poller_status = polls.then(|| quote! { use azure_core::http::poller::StatusMonitor; });
    quote! {
        #docs
        #![cfg(feature = #feature)]

        mod support;

        use std::sync::Arc;

        use azure_core::http::Method;
        #poller_status
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
    }
}

fn operation<'a>(api: &'a Api, example: &Example) -> &'a Operation {
    &api.groups[example.group].operations[example.operation]
}

fn test(api: &Api, example: &Example) -> TokenStream {
    let group = &api.groups[example.group];
    let op = operation(api, example);
    let name = ident(&example.test_name);
    let docs = test_docs(example, op);
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
            let json = raw_string_literal(json);
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
    let (call, read) = match &example.replay {
        ExampleReplay::Complete => (outcome(op, call), None),
        ExampleReplay::FirstStatus { state } => first_status(call, state),
        ExampleReplay::FirstPageThenRefusedLink => first_page(call),
    };
    let check = example.result.as_ref().map(|json| {
        let json = raw_string_literal(json);
        let read_only = example.result_read_only.iter().map(read_only_check);
        let read = read.unwrap_or_else(|| {
            quote! { let result = response.into_model().expect("the result reads as the model"); }
        });
        quote! {
            #read
            support::assert_serializes_to(&result, #json);
            #(#read_only)*
        }
    });
    let then = after(&example.replay);
    let bind = match (&example.replay, &check) {
        (ExampleReplay::FirstStatus { .. }, _) => quote! { let mut poller = },
        (ExampleReplay::FirstPageThenRefusedLink, _) => quote! { let mut pages = },
        (_, Some(_)) => quote! { let response = },
        (_, None) => quote! { let _response = },
    };
    let body = quote! {
        static RESPONSES: [Exchange; #count] = [#(#responses),*];
        let replay = Replay::new(#expected, &RESPONSES);
        let client = #client::new(#(#client_args,)* support::credential(), Some(options(&replay)))
            .expect("the client builds");
        #body_let
        #bind #call;
        #check
        #then
        replay.finish();
    };
    let mut tokens = quote! {
        #docs
        #[tokio::test(start_paused = true)]
        async fn #name()
    };
    // The body is moved in as the function's block: interpolated, it would be copied.
    tokens.extend([TokenTree::Group(Group::new(Delimiter::Brace, body))]);
    tokens
}

/// The test's doc comment: the example's file, operation and title, and how far it replays.
fn test_docs(example: &Example, op: &Operation) -> TokenStream {
    let mut lines = vec![format!("`{}` ({}):", example.file, op.id)];
    lines.extend(example.title_docs.lines.iter().cloned());
    match &example.replay {
        ExampleReplay::Complete => {}
        ExampleReplay::FirstStatus { .. } => lines.push(format!(
            "Replayed up to the service's first answer (HTTP {}): the example never shows the operation end.",
            example.responses.first().map_or(0, |r| r.status)
        )),
        ExampleReplay::FirstPageThenRefusedLink => lines.push(
            "Replayed up to its next link, which is off the endpoint and so refused.".into(),
        ),
    }
    doc_lines(lines.iter().map(String::as_str))
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

/// A long-running call streamed to its first status only (its example never shows the end):
/// the status is the example's non-terminal state, and the body the service answered with
/// reads as the operation's result type. The poller is dropped unawaited: azure_core's
/// `Poller` must not be awaited after streaming, and awaiting would poll beyond the example.
fn first_status(call: TokenStream, state: &str) -> (TokenStream, Option<TokenStream>) {
    let state = Literal::string(state);
    let call = quote! { #call.expect("the operation begins") };
    let read = quote! {
        let status = poller
            .try_next()
            .await
            .expect("the first status is read")
            .expect("there is a first status")
            .into_model()
            .expect("the status reads");
        support::assert_running(status.status());
        assert_eq!(status.status_text(), #state, "the example's provisioningState");
        let result = support::first_answer(&poller, &RESPONSES[0]);
    };
    (call, Some(read))
}

/// A list whose next link the client refuses: its pages. The runtime judges a page's next
/// link as it reads the page, so reading the first page is what fails (below); the page the
/// service answered with is read here as the pager's page type.
fn first_page(call: TokenStream) -> (TokenStream, Option<TokenStream>) {
    let call = quote! { #call.expect("the pager is built").into_pages() };
    let read = quote! { let result = support::page_answer(&pages, &RESPONSES[0]); };
    (call, Some(read))
}

/// What follows the result's checks: for a refused next link, reading the pages fails with
/// the host rule's error after the one request for the first page.
fn after(replay: &ExampleReplay) -> Option<TokenStream> {
    match replay {
        ExampleReplay::FirstPageThenRefusedLink => Some(quote! {
            let refused = pages
                .try_next()
                .await
                .expect_err("the page's next link is refused");
            support::assert_refused_link(&refused);
            assert_eq!(replay.requests(), 1, "the refused link was never requested");
        }),
        ExampleReplay::Complete | ExampleReplay::FirstStatus { .. } => None,
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
    let body = optional_json(request.body.as_deref());
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
    let body = optional_json(response.body.as_deref());
    quote! {
        Exchange {
            status: #status,
            headers: &[#(#headers),*],
            body: #body,
        }
    }
}

/// A JSON body, or `None`.
fn optional_json(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => {
            let text = raw_string_literal(text);
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
