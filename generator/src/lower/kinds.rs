//! What kind an operation is, from its extensions and parameters: long-running
//! (`x-ms-long-running-operation` and its `final-state-via`), pageable (`x-ms-pageable`), and
//! which parameter types each location can carry.

use openapiv3::QueryStyle;
use serde_json::Value;

use super::operations::SpecOperation;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{FinalStateVia, LongRunning, Pageable, ParamLocation, TypeRef};

/// Path parameters are strings (each becomes one path segment); query and header parameters
/// may also be booleans, numbers, enums (checked once types are known) and lists of those.
pub(super) fn check_param_type(
    ty: &TypeRef,
    location: ParamLocation,
    name: &str,
    at: &Location,
) -> Result<(), Diagnostic> {
    let scalar = |ty: &TypeRef| {
        matches!(
            ty,
            TypeRef::String
                | TypeRef::Bool
                | TypeRef::Int32
                | TypeRef::Int64
                | TypeRef::Float32
                | TypeRef::Float64
                | TypeRef::Named(_)
        )
    };
    let supported = match (location, ty) {
        (ParamLocation::Path, ty) => matches!(ty, TypeRef::String),
        (_, TypeRef::Array(inner)) => scalar(inner),
        (_, ty) => scalar(ty),
    };
    if supported {
        return Ok(());
    }
    let what = if location == ParamLocation::Path {
        "a path parameter must be a string"
    } else {
        "a query or header parameter must be a string, boolean, number, enum or an array of those"
    };
    Err(
        Diagnostic::error(at.clone(), format!("parameter `{name}`: {what}"))
            .help("change the parameter's schema"),
    )
}

/// The extension in which the Swagger 2.0 loader keeps a `collectionFormat` that OpenAPI 3
/// cannot say (`tsv`, or anything but `csv` on a header).
pub(crate) const LIST_FORMAT: &str = "x-collection-format";

/// The Swagger 2.0 name of the list format of a query parameter's OpenAPI 3 style, when it is
/// not csv (`form` without `explode`: the Swagger 2.0 default).
pub(super) fn query_list_format(style: &QueryStyle, explode: Option<bool>) -> Option<&'static str> {
    match style {
        QueryStyle::Form if explode == Some(true) => Some("multi"),
        QueryStyle::Form => None,
        QueryStyle::SpaceDelimited => Some("ssv"),
        QueryStyle::PipeDelimited => Some("pipes"),
        QueryStyle::DeepObject => Some("deepObject"),
    }
}

/// Lists are sent as csv (`a,b,c`), the format of every ARM list parameter seen; another
/// format would send the service something it does not expect, so it is an error.
pub(super) fn unsupported_list_format(format: &str, name: &str, at: &Location) -> Diagnostic {
    Diagnostic::error(
        at.clone(),
        format!("parameter `{name}`: list format `{format}` is not supported, only csv"),
    )
    .help("declare `collectionFormat: csv` (style `form`, `explode: false`) if the service accepts it")
}

/// `x-ms-long-running-operation` and its `final-state-via`.
pub(super) fn long_running(
    found: &SpecOperation<'_>,
    mut report: impl FnMut(Diagnostic),
) -> Option<LongRunning> {
    let extensions = &found.operation.extensions;
    if extensions
        .get("x-ms-long-running-operation")
        .and_then(Value::as_bool)
        != Some(true)
    {
        return None;
    }
    let via = extensions
        .get("x-ms-long-running-operation-options")
        .and_then(|o| o.get("final-state-via"))
        .and_then(Value::as_str);
    let final_state_via = match via {
        None => None,
        Some("location") => Some(FinalStateVia::Location),
        Some("azure-async-operation") => Some(FinalStateVia::AzureAsyncOperation),
        Some("original-uri") => Some(FinalStateVia::OriginalUri),
        Some("operation-location") => Some(FinalStateVia::OperationLocation),
        Some(other) => {
            report(
                Diagnostic::error(
                    found
                        .location
                        .join("x-ms-long-running-operation-options")
                        .join("final-state-via"),
                    format!("final-state-via `{other}` is not known"),
                )
                .help("use location, azure-async-operation, original-uri or operation-location"),
            );
            None
        }
    };
    Some(LongRunning {
        final_state_via,
        // Named with the method, once the group's method names are known.
        resume_name: String::new(),
    })
}

/// `x-ms-pageable`: the page model and item field are filled in once types are lowered
/// (see `passes::paging`).
pub(super) fn pageable(
    found: &SpecOperation<'_>,
    result: Option<&TypeRef>,
    mut report: impl FnMut(Diagnostic),
) -> Option<Pageable> {
    let at = found.location.join("x-ms-pageable");
    let pageable = found.operation.extensions.get("x-ms-pageable")?;
    let Some(options) = pageable.as_object() else {
        report(
            Diagnostic::error(at, "`x-ms-pageable` must be an object")
                .help("write `{\"nextLinkName\": \"nextLink\"}`"),
        );
        return None;
    };
    let text = |key: &str| options.get(key).and_then(Value::as_str).map(str::to_string);
    if options.contains_key("operationName") {
        report(
            Diagnostic::warning(at.join("operationName"), "`operationName` is not supported: next pages are fetched with GET of the next link")
                .help("remove `operationName` if the next link is a plain GET"),
        );
    }
    let next_link_name = match options.get("nextLinkName") {
        Some(Value::String(name)) => Some(name.clone()),
        Some(Value::Null) => None,
        None => {
            report(
                Diagnostic::warning(
                    at.join("nextLinkName"),
                    "`nextLinkName` is missing: the list is read as one page",
                )
                .help(
                    "set `nextLinkName` (usually `nextLink`), or `null` for a list with one page",
                ),
            );
            None
        }
        Some(_) => {
            report(Diagnostic::error(
                at.join("nextLinkName"),
                "`nextLinkName` must be a string or null",
            ));
            return None;
        }
    };
    let Some(TypeRef::Named(page)) = result else {
        report(
            Diagnostic::error(
                at,
                "a pageable operation's success response must be an object schema (the page)",
            )
            .help("give the 200 response a schema such as `DiskList`"),
        );
        return None;
    };
    Some(Pageable {
        next_link_name,
        item_name: text("itemName").unwrap_or_else(|| "value".to_string()),
        page: page.clone(),
        item_field: String::new(),
        item: TypeRef::Any,
        item_required: false,
    })
}
