//! An operation's parameters: the operation's declarations and its path item's merged (the
//! operation's override the path item's), then each one's type, constraints, scope (client or
//! method) and Rust name.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use openapiv3::{Parameter as OaParameter, ParameterData, ParameterSchemaOrContent, ReferenceOr};
use serde_json::Value;

use super::OperationContext;
use super::constraints::constraints;
use super::names::{MethodNames, name_clash};
use crate::diagnostics::{Diagnostic, Location};
use crate::load::SpecSet;
use crate::lower::docs::docs;
use crate::lower::kinds::{
    LIST_FORMAT, check_param_type, query_list_format, unsupported_list_format,
};
use crate::lower::types::Types;
use crate::model::{ParamLocation, ParamScope, Parameter, TypeRef};
use crate::naming::{snake, upper_camel};

/// A parameter as declared, before lowering.
struct Declaration {
    /// Where it is declared.
    at: Location,
    data: ParameterData,
    location: ParamLocation,
    /// Whether it came through a `$ref` (a shared component).
    from_component: bool,
    /// The list format it asks for, when that is not csv.
    list_format: Option<String>,
}

/// The lowered parameters, with what the checks of the path template need to know of them.
pub(super) struct LoweredParams {
    pub(super) params: Vec<Parameter>,
    /// Where each of `params` was declared, for diagnostics about it.
    pub(super) locations: Vec<Location>,
    /// Path parameters declared but rejected (already reported): their placeholders are not
    /// "undeclared" too.
    pub(super) rejected_path_params: BTreeSet<String>,
}

/// Every parameter of the operation, lowered; those that cannot be are reported and left out.
pub(super) fn lower_params(
    context: &OperationContext<'_>,
    types: &mut Types<'_>,
    names: &mut MethodNames,
) -> LoweredParams {
    let mut lowered = LoweredParams {
        params: Vec::new(),
        locations: Vec::new(),
        rejected_path_params: BTreeSet::new(),
    };
    for declaration in declarations(context) {
        if declaration.location == ParamLocation::Path {
            lowered
                .rejected_path_params
                .insert(declaration.data.name.clone());
        }
        let at = declaration.at.clone();
        let Some(param) = lower_param(context, types, declaration, names) else {
            continue;
        };
        lowered.rejected_path_params.remove(&param.wire_name);
        lowered.locations.push(at);
        lowered.params.push(param);
    }
    lowered
}

/// The operation's declarations, then those of its path item that the operation does not
/// override (same name and location); a name declared twice in one place is an error.
fn declarations(context: &OperationContext<'_>) -> Vec<Declaration> {
    let found = context.found;
    let mut declared: Vec<Declaration> = Vec::new();
    // (name, location) → the source (0: operation, 1: path item) and place of its first
    // declaration: a lookup, not a search per parameter (quadratic on a huge operation).
    let mut seen: HashMap<(String, ParamLocation), (usize, Location)> = HashMap::new();
    let sources = [
        (
            found.operation.parameters.as_slice(),
            found.location.join("parameters"),
        ),
        (
            found.shared_params,
            context.path_item_location().join("parameters"),
        ),
    ];
    for (source, (params, params_at)) in sources.into_iter().enumerate() {
        for (index, param) in params.iter().enumerate() {
            let param_at = params_at.join(&index.to_string());
            let declaration = match declare(context.specs, param, param_at) {
                Ok(Some(declaration)) => declaration,
                Ok(None) => continue,
                Err(diagnostic) => {
                    context.report(diagnostic);
                    continue;
                }
            };
            let key = (declaration.data.name.clone(), declaration.location);
            if let Some((_, first)) = seen.get(&key).filter(|(s, _)| *s == source) {
                let message = format!(
                    "parameter `{}` is declared twice (first at {first})",
                    declaration.data.name
                );
                context.report(
                    Diagnostic::error(declaration.at, message)
                        .help("remove one of the declarations"),
                );
                continue;
            }
            // The operation's own declaration overrides the path item's.
            if let Entry::Vacant(entry) = seen.entry(key) {
                entry.insert((source, declaration.at.clone()));
                declared.push(declaration);
            }
        }
    }
    declared
}

/// One parameter declaration resolved: where it goes and the list format it asks for.
/// `None` for a header the client sets itself.
fn declare(
    specs: &SpecSet,
    param: &ReferenceOr<OaParameter>,
    at: Location,
) -> Result<Option<Declaration>, Diagnostic> {
    let resolved = specs.item(&at, param)?;
    // The list format a query parameter's style asks for, when it is not csv.
    let mut query_format = None;
    let (data, location) = match resolved.value {
        OaParameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
        OaParameter::Query {
            parameter_data,
            style,
            ..
        } => {
            query_format = query_list_format(&style, parameter_data.explode);
            (parameter_data, ParamLocation::Query)
        }
        OaParameter::Header { parameter_data, .. } => {
            // The client sets these itself (JSON bodies, bearer tokens).
            if ["content-type", "accept", "authorization"]
                .contains(&parameter_data.name.to_ascii_lowercase().as_str())
            {
                return Ok(None);
            }
            (parameter_data, ParamLocation::Header)
        }
        OaParameter::Cookie { parameter_data, .. } => {
            return Err(Diagnostic::error(
                at,
                format!(
                    "parameter `{}` is in a cookie, which is not supported yet",
                    parameter_data.name
                ),
            )
            .help("only path, query and header parameters are supported; move it or drop it from the spec"));
        }
    };
    let list_format = query_format
        .or_else(|| data.extensions.get(LIST_FORMAT).and_then(Value::as_str))
        .map(str::to_string);
    Ok(Some(Declaration {
        at,
        data,
        location,
        from_component: matches!(param, ReferenceOr::Reference { .. }),
        list_format,
    }))
}

/// One declared parameter → the model's, or `None` when it cannot be lowered (reported).
fn lower_param(
    context: &OperationContext<'_>,
    types: &mut Types<'_>,
    declaration: Declaration,
    names: &mut MethodNames,
) -> Option<Parameter> {
    let Declaration {
        at: param_at,
        data,
        location,
        from_component,
        list_format,
    } = declaration;
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => schema.clone(),
        ParameterSchemaOrContent::Content(_) => {
            let message = format!(
                "parameter `{}` uses `content`, which is not supported",
                data.name
            );
            context.report(
                Diagnostic::error(param_at, message).help("describe the parameter with `schema`"),
            );
            return None;
        }
    };
    let schema_at = param_at.join("schema");
    let inline_name = format!("{}{}", upper_camel(context.group), upper_camel(&data.name));
    let ty = types.type_ref(&schema_at, &schema, &inline_name);
    if let Err(diagnostic) = check_param_type(&ty, location, &data.name, &schema_at) {
        context.report(diagnostic);
        return None;
    }
    if let (TypeRef::Array(_), Some(format)) = (&ty, &list_format) {
        context.report(unsupported_list_format(format, &data.name, &param_at));
        return None;
    }
    let constraints = constraints(context, &schema_at, &schema, &data.name);
    let extension = |key: &str| data.extensions.get(key).and_then(Value::as_str);
    let scope = param_scope(extension("x-ms-parameter-location"), from_component);
    let client_name = extension("x-ms-client-name");
    let wanted = snake(client_name.unwrap_or(&data.name));
    // Required parameters are arguments of the method; optional ones, fields of its options.
    let required = data.required || location == ParamLocation::Path;
    let rust_name = if scope == ParamScope::Method {
        let claimed = names.claim_param(wanted, required);
        let explicit = client_name.is_some();
        if let Some(diagnostic) = name_clash(&claimed, &data.name, explicit, &param_at) {
            context.report(diagnostic);
        }
        claimed.name
    } else {
        wanted
    };
    if location == ParamLocation::Path && !data.required {
        context.report(
            Diagnostic::error(
                param_at,
                format!("path parameter `{}` must be required", data.name),
            )
            .help("set `required: true`; OpenAPI requires it for path parameters"),
        );
    }
    Some(Parameter {
        wire_name: data.name.clone(),
        rust_name,
        location,
        scope,
        ty,
        required,
        constraints,
        rules: None,
        docs: docs(data.description.as_deref()),
    })
}

/// As in AutoRest: parameters shared through components belong to the client unless marked
/// `method` (`x-ms-parameter-location`); inline ones belong to the method.
fn param_scope(declared: Option<&str>, from_component: bool) -> ParamScope {
    match declared {
        Some("client") => ParamScope::Client,
        Some("method") => ParamScope::Method,
        _ if from_component => ParamScope::Client,
        _ => ParamScope::Method,
    }
}
