//! An operation's responses: the success (2xx) bodies by status, the error type from
//! `default`, and the operation's result.

use openapiv3::{ReferenceOr, Response as OaResponse, StatusCode};

use super::{OperationContext, is_json};
use crate::diagnostics::{Diagnostic, Location};
use crate::load::SpecSet;
use crate::lower::types::Types;
use crate::model::{Response, TypeRef};

/// The success (2xx) responses, by status, and the error type from `default`.
pub(super) fn lower_responses(
    context: &OperationContext<'_>,
    types: &mut Types<'_>,
) -> (Vec<Response>, Option<TypeRef>) {
    let specs = context.specs;
    let declared = &context.found.operation.responses;
    let mut responses = Vec::new();
    let mut error = None;
    let responses_at = context.found.location.join("responses");
    if let Some(default) = &declared.default {
        let default_at = responses_at.join("default");
        let inline_name = context.inline_name("Error");
        match lower_response(specs, types, &default_at, default, &inline_name) {
            Ok(body) => error = body,
            Err(diagnostic) => context.report(diagnostic),
        }
    }
    for (code, response) in &declared.responses {
        let StatusCode::Code(status) = code else {
            context.report(
                Diagnostic::warning(
                    responses_at.join(&code.to_string()),
                    format!("status range `{code}` is ignored"),
                )
                .help("list the exact status codes"),
            );
            continue;
        };
        let response_at = responses_at.join(&status.to_string());
        if !(200..300).contains(status) {
            continue; // error statuses are read through the error type
        }
        let inline_name = context.inline_name("Response");
        match lower_response(specs, types, &response_at, response, &inline_name) {
            Ok(body) => responses.push(Response {
                status: *status,
                body,
            }),
            Err(diagnostic) => context.report(diagnostic),
        }
    }
    responses.sort_by_key(|r| r.status);
    if responses.is_empty() {
        context.report(
            Diagnostic::error(responses_at, "no success (2xx) response is declared")
                .help("declare the responses the service sends on success, e.g. `200`"),
        );
    }
    (responses, error)
}

/// What the operation returns: the body of its 200 or 201 response, else of any other
/// success response that has one.
pub(super) fn result(responses: &[Response]) -> Option<TypeRef> {
    responses
        .iter()
        .filter(|r| matches!(r.status, 200 | 201))
        .chain(responses)
        .find_map(|r| r.body.clone())
}

/// One response's JSON body type, `None` when it has no body.
fn lower_response(
    specs: &SpecSet,
    types: &mut Types<'_>,
    at: &Location,
    response: &ReferenceOr<OaResponse>,
    inline_name: &str,
) -> Result<Option<TypeRef>, Diagnostic> {
    let resolved = specs.item(at, response)?;
    let response = resolved.value;
    let body = match response.content.iter().find(|(media, _)| is_json(media)) {
        Some((media, content)) => content.schema.as_ref().map(|schema| {
            let schema_at = resolved.location.join("content").join(media).join("schema");
            types.type_ref(&schema_at, schema, inline_name)
        }),
        None if response.content.is_empty() => None,
        None => {
            return Err(Diagnostic::error(
                resolved.location.join("content"),
                "response has no JSON content",
            )
            .help("only `application/json` response bodies are supported"));
        }
    };
    // Response headers are not lowered: the caller reads them from azure_core's `Response`
    // (the poller reads its own), so typing them would only make unused public types.
    Ok(body)
}
