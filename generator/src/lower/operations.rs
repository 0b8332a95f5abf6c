//! OpenAPI operations → [`Operation`]s: parameters (merged from path item and operation,
//! client- or method-held), constraints, the path template, body, response bodies,
//! the error type and the long-running settings.

use std::collections::{BTreeSet, HashMap};

use openapiv3::{
    Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr, RequestBody as OaRequestBody,
    Response as OaResponse, StatusCode,
};
use serde_json::Value;

use super::docs::docs;
use super::kinds::{
    Declared, LIST_FORMAT, check_param_type, long_running, pageable, query_list_format,
    unsupported_list_format,
};
use super::types::Types;
use crate::diagnostics::{Diagnostic, Location};
use crate::load::SpecSet;
use crate::model::{
    Bound, Constraints, HttpMethod, Operation, ParamLocation, ParamScope, Parameter, PathPart,
    RequestBody, Response, TypeRef,
};
use crate::naming::{Namespace, bound, snake, unraw, upper_camel};
use crate::pattern;

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

pub fn lower_operation(
    specs: &SpecSet,
    types: &mut Types<'_>,
    found: &SpecOperation<'_>,
    id: &str,
    group: &str,
    name: &str,
    options_name: String,
) -> Option<Operation> {
    let at = &found.location;
    let subject = format!("operation {id}");
    let error_count = types.diagnostics.error_count();
    let report = |types: &mut Types<'_>, diagnostic: Diagnostic| {
        types.diagnostics.push(diagnostic.subject(subject.clone()));
    };

    // Parameters: the operation's override the path item's of the same name and location.
    // Each kept declaration, whether it came through a `$ref` (a shared component), and the
    // list format it asks for when that is not csv.
    let mut declared: Vec<Declared> = Vec::new();
    // (name, location) → the source (0: operation, 1: path item) and place of its first
    // declaration: a lookup, not a search per parameter (quadratic on a huge operation).
    let mut seen: HashMap<(String, ParamLocation), (usize, Location)> = HashMap::new();
    let sources = [
        (found.operation.parameters.as_slice(), at.join("parameters")),
        (
            found.shared_params,
            Location::new(&at.file, parent_pointer(&at.pointer)).join("parameters"),
        ),
    ];
    for (source, (params, params_at)) in sources.into_iter().enumerate() {
        for (index, param) in params.iter().enumerate() {
            let param_at = params_at.join(&index.to_string());
            let resolved = match specs.item(&param_at, param) {
                Ok(resolved) => resolved,
                Err(diagnostic) => {
                    report(types, diagnostic);
                    continue;
                }
            };
            // The list format a query parameter's style asks for, when it is not csv.
            let mut query_format = None;
            let (data, location) = match resolved.value {
                OaParameter::Path { parameter_data, .. } => {
                    (parameter_data, Ok(ParamLocation::Path))
                }
                OaParameter::Query {
                    parameter_data,
                    style,
                    ..
                } => {
                    query_format = query_list_format(&style, parameter_data.explode);
                    (parameter_data, Ok(ParamLocation::Query))
                }
                OaParameter::Header { parameter_data, .. } => {
                    // The client sets these itself (JSON bodies, bearer tokens).
                    if ["content-type", "accept", "authorization"]
                        .contains(&parameter_data.name.to_ascii_lowercase().as_str())
                    {
                        continue;
                    }
                    (parameter_data, Ok(ParamLocation::Header))
                }
                OaParameter::Cookie { parameter_data, .. } => (parameter_data, Err("a cookie")),
            };
            let location = match location {
                Ok(location) => location,
                Err(place) => {
                    report(
                        types,
                        Diagnostic::error(
                            param_at,
                            format!("parameter `{}` is in {place}, which is not supported yet", data.name),
                        )
                        .help("only path, query and header parameters are supported; move it or drop it from the spec"),
                    );
                    continue;
                }
            };
            let key = (data.name.clone(), location);
            if let Some((_, first)) = seen.get(&key).filter(|(s, _)| *s == source) {
                report(
                    types,
                    Diagnostic::error(
                        param_at,
                        format!(
                            "parameter `{}` is declared twice (first at {first})",
                            data.name
                        ),
                    )
                    .help("remove one of the declarations"),
                );
                continue;
            }
            // The operation's own declaration overrides the path item's.
            if let std::collections::hash_map::Entry::Vacant(entry) = seen.entry(key) {
                entry.insert((source, param_at.clone()));
                let from_component = matches!(param, ReferenceOr::Reference { .. });
                let format = query_format
                    .or_else(|| data.extensions.get(LIST_FORMAT).and_then(Value::as_str))
                    .map(str::to_string);
                declared.push((param_at, data, location, from_component, format));
            }
        }
    }

    // Required parameters become arguments, beside the names the method binds itself;
    // optional ones become fields of the options struct, beside its own fields.
    let mut arg_names = Namespace::new();
    for reserved in bound::METHOD {
        arg_names.reserve(reserved);
    }
    let mut field_names = Namespace::new();
    for reserved in bound::OPTIONS_FIELDS {
        field_names.reserve(reserved);
    }
    let mut params = Vec::new();
    // Where each lowered parameter was declared, for diagnostics about it.
    let mut param_locations: Vec<Location> = Vec::new();
    // Path parameters declared but rejected (already reported): their placeholders are not
    // "undeclared" too.
    let mut rejected_path_params: BTreeSet<String> = BTreeSet::new();
    for (param_at, data, location, from_component, list_format) in declared {
        if location == ParamLocation::Path {
            rejected_path_params.insert(data.name.clone());
        }
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema.clone(),
            ParameterSchemaOrContent::Content(_) => {
                report(
                    types,
                    Diagnostic::error(
                        param_at,
                        format!(
                            "parameter `{}` uses `content`, which is not supported",
                            data.name
                        ),
                    )
                    .help("describe the parameter with `schema`"),
                );
                continue;
            }
        };
        let schema_at = param_at.join("schema");
        let inline_name = format!("{}{}", upper_camel(group), upper_camel(&data.name));
        let ty = types.type_ref(&schema_at, &schema, &inline_name);
        if let Err(diagnostic) = check_param_type(&ty, location, &data.name, &schema_at) {
            report(types, diagnostic);
            continue;
        }
        if let (TypeRef::Array(_), Some(format)) = (&ty, &list_format) {
            report(
                types,
                unsupported_list_format(format, &data.name, &param_at),
            );
            continue;
        }
        let constraints = constraints(types, specs, &schema_at, &schema, &data.name);
        let extension = |key: &str| {
            data.extensions
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        // As in AutoRest: parameters shared through components belong to the client unless
        // marked `method`; inline ones belong to the method.
        let scope = match extension("x-ms-parameter-location").as_deref() {
            Some("client") => ParamScope::Client,
            Some("method") => ParamScope::Method,
            _ if from_component => ParamScope::Client,
            _ => ParamScope::Method,
        };
        let wanted = snake(
            extension("x-ms-client-name")
                .as_deref()
                .unwrap_or(&data.name),
        );
        let rust_name = if scope == ParamScope::Method {
            let explicit = extension("x-ms-client-name").is_some();
            let names = if data.required || location == ParamLocation::Path {
                &mut arg_names
            } else {
                &mut field_names
            };
            let claimed = names.claim(wanted);
            // A clash with a name the method binds itself is the generator's business: the
            // argument is renamed without troubling the spec's author.
            let own_binding = claimed.collided_with.as_deref().is_some_and(|c| {
                let c = unraw(c);
                bound::METHOD.contains(&c) || bound::OPTIONS_FIELDS.contains(&c)
            });
            if let Some(collided) = claimed.collided_with.filter(|_| !own_binding) {
                let diagnostic = if explicit {
                    Diagnostic::error(
                        param_at.join("x-ms-client-name"),
                        format!("`x-ms-client-name` asks for argument name `{collided}`, which another parameter already has"),
                    )
                    .help("give the parameter a different `x-ms-client-name`")
                } else {
                    Diagnostic::warning(
                        param_at.clone(),
                        format!("argument name `{collided}` is already taken; parameter `{}` becomes `{}`", data.name, claimed.name),
                    )
                    .help("set `x-ms-client-name` on one of the parameters")
                };
                report(types, diagnostic);
            }
            claimed.name
        } else {
            wanted
        };
        if location == ParamLocation::Path && !data.required {
            report(
                types,
                Diagnostic::error(
                    param_at.clone(),
                    format!("path parameter `{}` must be required", data.name),
                )
                .help("set `required: true`; OpenAPI requires it for path parameters"),
            );
        }
        rejected_path_params.remove(&data.name);
        param_locations.push(param_at.clone());
        params.push(Parameter {
            wire_name: data.name.clone(),
            rust_name,
            location,
            scope,
            ty,
            required: data.required || location == ParamLocation::Path,
            constraints,
            rules: None,
            docs: docs(data.description.as_deref()),
        });
    }

    let path = parse_path(found.path).map_err(|(message, help)| {
        let path_item = Location::new(&at.file, parent_pointer(&at.pointer));
        report(types, Diagnostic::error(path_item, message).help(help));
    });
    // Which parameters a template that did not parse uses is not known: no more to say.
    let placeholders: BTreeSet<&str> = path
        .iter()
        .flatten()
        .filter_map(|part| match part {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
        .collect();
    let path_params: BTreeSet<&str> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.wire_name.as_str())
        .collect();
    for placeholder in &placeholders {
        if !path_params.contains(placeholder) && !rejected_path_params.contains(*placeholder) {
            report(
                types,
                Diagnostic::error(at.clone(), format!("path template has `{{{placeholder}}}` but no path parameter `{placeholder}` is declared"))
                    .help(format!("add a parameter with `name: {placeholder}` and `in: path`")),
            );
        }
    }
    for (param, param_at) in params.iter().zip(&param_locations) {
        if param.location == ParamLocation::Path
            && path.is_ok()
            && !placeholders.contains(param.wire_name.as_str())
        {
            report(
                types,
                Diagnostic::error(
                    param_at.clone(),
                    format!(
                        "path parameter `{}` does not appear in the path template",
                        param.wire_name
                    ),
                )
                .help(format!(
                    "add `{{{}}}` to the path or change the parameter's `in`",
                    param.wire_name
                )),
            );
        }
    }

    let body = found.operation.request_body.as_ref().and_then(|body| {
        lower_body(
            specs,
            types,
            &at.join("requestBody"),
            body,
            found,
            group,
            name,
            &mut arg_names,
        )
        .map_err(|diagnostic| report(types, diagnostic))
        .ok()
        .flatten()
    });

    let (responses, error) = lower_responses(specs, types, found, group, name, &subject);

    let result = responses
        .iter()
        .filter(|r| matches!(r.status, 200 | 201))
        .chain(&responses)
        .find_map(|r| r.body.clone());
    let long_running = long_running(types, found, &subject);
    let pageable = pageable(types, found, &subject, result.as_ref());

    let operation_docs = docs(
        found
            .operation
            .description
            .as_deref()
            .or(found.operation.summary.as_deref()),
    );
    if operation_docs.is_empty() {
        report(
            types,
            Diagnostic::warning(
                at.clone(),
                "operation has no description; its method gets only the generator's text",
            )
            .help("add a `description` (it becomes the method's documentation)"),
        );
    }
    if types.diagnostics.error_count() > error_count {
        return None;
    }
    let rust_name = if long_running.is_some() {
        format!("begin_{}", unraw(&snake(name)))
    } else {
        snake(name)
    };
    let path = path.unwrap_or_default();
    let api_name = api_name(&path, group, name);
    Some(Operation {
        id: id.to_string(),
        api_name,
        rust_name,
        options_name,
        method: found.method,
        path,
        params,
        body,
        responses,
        error,
        result,
        pageable,
        long_running,
        docs: operation_docs,
    })
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

fn parent_pointer(pointer: &str) -> String {
    pointer
        .rsplit_once('/')
        .map(|(parent, _)| parent.to_string())
        .unwrap_or_default()
}

/// `/a/{b}/c` → [Literal(a), Param(b), Literal(c)]. Errors are (message, help).
///
/// A template is the path and nothing else: a `.` or `..` segment would address another
/// resource (or be refused by the client at every call), and `?` or `#` would be sent
/// percent-encoded as part of a segment, never as the query or fragment the author meant.
fn parse_path(template: &str) -> Result<Vec<PathPart>, (String, String)> {
    let Some(rest) = template.strip_prefix('/') else {
        return Err((
            format!("path `{template}` does not start with `/`"),
            "write the path from its first `/`".into(),
        ));
    };
    if let Some(c) = template.chars().find(|c| matches!(c, '?' | '#')) {
        return Err((
            format!(
                "path `{template}` contains `{c}`, which would be sent as part of a path segment"
            ),
            "declare query parameters as `in: query` parameters, and remove fragments".into(),
        ));
    }
    rest.split('/')
        .filter(|segment| !segment.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) if !name.contains(['{', '}']) => Ok(PathPart::Param(name.to_string())),
                _ if segment.contains(['{', '}']) => Err((
                    format!(
                        "path segment `{segment}` mixes a parameter with text, which is not supported"
                    ),
                    "write each `{parameter}` as a whole path segment".into(),
                )),
                _ if segment == "." || segment == ".." => Err((
                    format!("path `{template}` has a `{segment}` segment, which would address another resource"),
                    "write the path without `.` and `..` segments".into(),
                )),
                _ => Ok(PathPart::Literal(segment.to_string())),
            },
        )
        .collect()
}

fn constraints(
    types: &mut Types<'_>,
    specs: &SpecSet,
    at: &Location,
    schema: &ReferenceOr<openapiv3::Schema>,
    name: &str,
) -> Constraints {
    let Ok(resolved) = specs.item(at, schema) else {
        return Constraints::default();
    };
    let string = match &resolved.value.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) => string,
        openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)) => {
            let bound = |value: Option<i64>, exclusive| {
                value.map(|value| Bound {
                    value: value.into(),
                    exclusive,
                })
            };
            return Constraints {
                minimum: bound(integer.minimum, integer.exclusive_minimum),
                maximum: bound(integer.maximum, integer.exclusive_maximum),
                ..Constraints::default()
            };
        }
        openapiv3::SchemaKind::Type(openapiv3::Type::Number(number)) => {
            let bound = |value: Option<f64>, exclusive| {
                Some(Bound {
                    value: serde_json::Number::from_f64(value?)?,
                    exclusive,
                })
            };
            return Constraints {
                minimum: bound(number.minimum, number.exclusive_minimum),
                maximum: bound(number.maximum, number.exclusive_maximum),
                ..Constraints::default()
            };
        }
        _ => return Constraints::default(),
    };
    let mut constraints = Constraints {
        min_length: string.min_length.filter(|&n| n > 0),
        max_length: string.max_length,
        ..Constraints::default()
    };
    if let Some(source) = &string.pattern {
        match pattern::compile(source) {
            Ok(compiled) => {
                constraints.min_length = constraints.min_length.max(compiled.min_length);
                constraints.max_length = match (constraints.max_length, compiled.max_length) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                constraints.pattern = Some(compiled.pattern);
            }
            Err(unsupported) => types.diagnostics.push(
                Diagnostic::warning(
                    resolved.location.join("pattern"),
                    format!("pattern `{source}` of parameter `{name}` is not checked by the client: {unsupported}"),
                )
                .help("only one anchored character class such as `^[-\\w._()]+$` is compiled; the service still checks the rest"),
            ),
        }
    }
    constraints
}

#[allow(clippy::too_many_arguments)]
fn lower_body(
    specs: &SpecSet,
    types: &mut Types<'_>,
    at: &Location,
    body: &ReferenceOr<OaRequestBody>,
    found: &SpecOperation<'_>,
    group: &str,
    name: &str,
    arg_names: &mut Namespace,
) -> Result<Option<RequestBody>, Diagnostic> {
    let resolved = specs.item(at, body)?;
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
    let ty = types.type_ref(
        &schema_at,
        schema,
        &format!("{}{}Request", upper_camel(group), upper_camel(name)),
    );
    let wanted = found
        .operation
        .extensions
        .get("x-ms-requestBody-name")
        .and_then(Value::as_str)
        .map(snake)
        .unwrap_or_else(|| "body".to_string());
    let rust_name = arg_names.claim(wanted).name;
    Ok(Some(RequestBody {
        rust_name,
        ty,
        required: body.required,
        docs: docs(body.description.as_deref()),
    }))
}

/// The success (2xx) responses, by status, and the error type from `default`.
fn lower_responses(
    specs: &SpecSet,
    types: &mut Types<'_>,
    found: &SpecOperation<'_>,
    group: &str,
    name: &str,
    subject: &str,
) -> (Vec<Response>, Option<TypeRef>) {
    let report = |types: &mut Types<'_>, diagnostic: Diagnostic| {
        types.diagnostics.push(diagnostic.subject(subject));
    };
    let mut responses = Vec::new();
    let mut error = None;
    let responses_at = found.location.join("responses");
    if let Some(default) = &found.operation.responses.default {
        let default_at = responses_at.join("default");
        match lower_response(
            specs,
            types,
            &default_at,
            default,
            &format!("{}{}Error", upper_camel(group), upper_camel(name)),
        ) {
            Ok(body) => error = body,
            Err(diagnostic) => report(types, diagnostic),
        }
    }
    for (code, response) in &found.operation.responses.responses {
        let StatusCode::Code(status) = code else {
            report(
                types,
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
        let inline_name = format!("{}{}Response", upper_camel(group), upper_camel(name));
        match lower_response(specs, types, &response_at, response, &inline_name) {
            Ok(body) => responses.push(Response {
                status: *status,
                body,
            }),
            Err(diagnostic) => report(types, diagnostic),
        }
    }
    responses.sort_by_key(|r| r.status);
    if responses.is_empty() {
        report(
            types,
            Diagnostic::error(responses_at, "no success (2xx) response is declared")
                .help("declare the responses the service sends on success, e.g. `200`"),
        );
    }
    (responses, error)
}

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

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}
