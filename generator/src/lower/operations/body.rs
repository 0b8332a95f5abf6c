//! An operation's request body: its JSON schema's type and the argument that carries it.

use openapiv3::{ReferenceOr, RequestBody as OaRequestBody};
use serde_json::Value;

use super::names::MethodNames;
use super::{OperationContext, is_json};
use crate::diagnostics::Diagnostic;
use crate::lower::docs::docs;
use crate::lower::types::Types;
use crate::model::RequestBody;
use crate::naming::snake;

/// The body, named `x-ms-requestBody-name` (else `body`) among the method's arguments.
pub(super) fn lower_body(
    context: &OperationContext<'_>,
    types: &mut Types<'_>,
    body: &ReferenceOr<OaRequestBody>,
    names: &mut MethodNames,
) -> Result<RequestBody, Diagnostic> {
    let at = context.found.location.join("requestBody");
    let resolved = context.specs.item(&at, body)?;
    let body = resolved.value;
    let Some((media_type, content)) = body.content.iter().find(|(media, _)| is_json(media)) else {
        return Err(Diagnostic::error(
            resolved.location.join("content"),
            "request body has no JSON content",
        )
        .help("declare the body under `application/json`"));
    };
    let Some(schema) = &content.schema else {
        return Err(Diagnostic::error(
            resolved.location.join("content").join(media_type),
            "request body has no schema",
        ));
    };
    let schema_at = resolved
        .location
        .join("content")
        .join(media_type)
        .join("schema");
    let ty = types.type_ref(&schema_at, schema, &context.inline_name("Request"));
    let wanted = context
        .found
        .operation
        .extensions
        .get("x-ms-requestBody-name")
        .and_then(Value::as_str)
        .map(snake)
        .unwrap_or_else(|| "body".to_string());
    Ok(RequestBody {
        rust_name: names.claim_body(wanted),
        ty,
        required: body.required,
        docs: docs(body.description.as_deref()),
    })
}
