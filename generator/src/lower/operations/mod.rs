//! OpenAPI operations → [`Operation`]s, one module per concern: the parameters (merged from
//! path item and operation, client- or method-held, with their constraints), the names the
//! method's arguments take, the path template, the request body, and the response bodies with
//! the error type. What kind an operation is (long-running, pageable) is `kinds`' job.

mod body;
mod constraints;
mod names;
mod params;
mod path;
mod responses;

use std::cell::RefCell;

use openapiv3::{Parameter as OaParameter, ReferenceOr};

use super::docs::docs;
use super::kinds::{long_running, pageable};
use super::types::Types;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::SpecSet;
use crate::model::{Docs, HttpMethod, Operation, PathPart};
use crate::naming::{snake, unraw, upper_camel};
use names::MethodNames;

/// An operation as the spec states it (its place, path, method and the path item's shared
/// parameters), before lowering.
pub struct SpecOperation<'a> {
    pub location: Location,
    pub path: &'a str,
    pub method: HttpMethod,
    /// Parameters declared on the path item, shared by its operations.
    pub shared_params: &'a [ReferenceOr<OaParameter>],
    pub operation: &'a openapiv3::Operation,
}

/// What every step of lowering one operation reads: the specs, the operation as declared, the
/// group and operation names its inline types are named after, and the subject its
/// diagnostics carry; and where they go.
struct OperationContext<'a> {
    specs: &'a SpecSet,
    found: &'a SpecOperation<'a>,
    group: &'a str,
    name: &'a str,
    /// `operation <id>`, so that every diagnostic says which operation it is about.
    subject: String,
    /// The operation's own diagnostics, apart from those of the types it lowers: any error
    /// among them fails the operation, even one identical to an error reported before.
    diagnostics: RefCell<Diagnostics>,
}

impl OperationContext<'_> {
    /// A problem of this operation: it carries the operation as its subject.
    fn report(&self, diagnostic: Diagnostic) {
        self.diagnostics
            .borrow_mut()
            .push(diagnostic.subject(self.subject.clone()));
    }

    /// A problem of something the operation uses and shares with others (a shared
    /// parameter's pattern): reported once, without the operation as its subject.
    fn report_shared(&self, diagnostic: Diagnostic) {
        self.diagnostics.borrow_mut().push(diagnostic);
    }

    /// `<Group><Name><suffix>`, the name of an inline type the operation declares
    /// (`DisksGrantAccessRequest`).
    fn inline_name(&self, suffix: &str) -> String {
        format!(
            "{}{}{suffix}",
            upper_camel(self.group),
            upper_camel(self.name)
        )
    }

    /// The path item the operation is declared in (its parent in the document).
    fn path_item_location(&self) -> Location {
        let at = &self.found.location;
        let parent = at
            .pointer
            .rsplit_once('/')
            .map(|(parent, _)| parent.to_string())
            .unwrap_or_default();
        Location::new(&at.file, parent)
    }
}

/// `Group_Name` → (`Group`, `Name`); without a `_`, the first tag is the group.
pub fn split_operation_id(id: &str, tags: &[String]) -> (String, String) {
    match id.split_once('_') {
        Some((group, name)) if !group.is_empty() && !name.is_empty() => {
            (group.to_string(), name.to_string())
        }
        _ => (
            tags.first()
                .cloned()
                .unwrap_or_else(|| "Operations".to_string()),
            id.to_string(),
        ),
    }
}

/// One operation → its model, or `None` when any of its parts has an error (each reported).
///
/// The steps run in the spec's order (parameters, path, body, responses, kinds) so that
/// inline types are named in the same order on every run.
pub fn lower_operation(
    specs: &SpecSet,
    types: &mut Types<'_>,
    found: &SpecOperation<'_>,
    id: &str,
    group: &str,
    name: &str,
    options_name: String,
) -> (Option<Operation>, Diagnostics) {
    let context = OperationContext {
        specs,
        found,
        group,
        name,
        subject: format!("operation {id}"),
        diagnostics: RefCell::default(),
    };
    // An error in a type the operation lowers (its body, an inline schema) fails it too.
    let type_errors = types.diagnostics.error_count();

    let mut names = MethodNames::new();
    let lowered = params::lower_params(&context, types, &mut names);
    let path = path::lower_path(&context, &lowered);
    let body = found.operation.request_body.as_ref().and_then(|body| {
        body::lower_body(&context, types, body, &mut names)
            .map_err(|diagnostic| context.report(diagnostic))
            .ok()
    });
    let (responses, error) = responses::lower_responses(&context, types);
    let result = responses::result(&responses);
    let long_running = long_running(found, |d| context.report(d));
    let pageable = pageable(found, result.as_ref(), |d| context.report(d));
    let operation_docs = operation_docs(&context);

    let reported = context.diagnostics.into_inner();
    if reported.has_errors() || types.diagnostics.error_count() > type_errors {
        return (None, reported);
    }
    let rust_name = if long_running.is_some() {
        format!("begin_{}", unraw(&snake(name)))
    } else {
        snake(name)
    };
    let path = path.unwrap_or_default();
    let api_name = api_name(&path, group, name);
    let operation = Operation {
        id: id.to_string(),
        api_name,
        rust_name,
        options_name,
        method: found.method,
        path,
        params: lowered.params,
        body,
        responses,
        error,
        result,
        pageable,
        long_running,
        docs: operation_docs,
    };
    (Some(operation), reported)
}

/// The method's documentation: the operation's description, else its summary; a warning
/// when it has neither.
fn operation_docs(context: &OperationContext<'_>) -> Docs {
    let operation = context.found.operation;
    let operation_docs = docs(
        operation
            .description
            .as_deref()
            .or(operation.summary.as_deref()),
    );
    if operation_docs.is_empty() {
        context.report(
            Diagnostic::warning(
                context.found.location.clone(),
                "operation has no description; its method gets only the generator's text",
            )
            .help("add a `description` (it becomes the method's documentation)"),
        );
    }
    operation_docs
}

/// `<provider namespace>.<group>.<operation>` (`Microsoft.Compute.Disks.grantAccess`): the
/// namespace is the path's segment after `providers`, the operation name lowerCamelCase.
fn api_name(path: &[PathPart], group: &str, name: &str) -> String {
    let namespace = path
        .windows(2)
        .find_map(|pair| match pair {
            [PathPart::Literal(providers), PathPart::Literal(namespace)]
                if providers.eq_ignore_ascii_case("providers") =>
            {
                Some(namespace.as_str())
            }
            _ => None,
        })
        .unwrap_or("Azure");
    let camel = upper_camel(name);
    let camel = unraw(&camel);
    let mut operation = camel.chars();
    let first = operation.next().map(|c| c.to_ascii_lowercase());
    let operation: String = first.into_iter().chain(operation).collect();
    format!("{namespace}.{}.{operation}", upper_camel(group))
}

/// Whether a media type is JSON (`application/json`, with parameters or a `+json` suffix):
/// the only bodies the client reads and writes.
fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}
