//! Whole-API passes that run once every operation and type is lowered: which parameters
//! the client holds, which parameter rules are shared, how operations use each type,
//! whether each operation's error type can carry `from_error`, where pageable operations
//! find their items, and that enum-typed parameters are enums.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::operations::SpecOperation;
use super::types::Types;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::SpecSet;
use crate::model::{
    ClientParam, ClientParamRole, Constraints, Operation, OperationGroup, ParamRulesDef,
    ParamScope, TypeDef, TypeRef, Usage,
};
use crate::naming::{Namespace, bound, snake, unraw};

/// The location of an operation, for diagnostics raised after lowering.
fn operation_location(found: &[SpecOperation<'_>], id: &str) -> Location {
    found
        .iter()
        .find(|f| f.operation.operation_id.as_deref() == Some(id))
        .map(|f| f.location.clone())
        .unwrap_or_default()
}

/// Fills each pageable operation's item field from its page model: the `itemName` property
/// must be an array.
pub(super) fn paging(
    groups: &mut [OperationGroup],
    types: &[TypeDef],
    found: &[SpecOperation<'_>],
    diagnostics: &mut Diagnostics,
) {
    for operation in groups.iter_mut().flat_map(|g| &mut g.operations) {
        let id = operation.id.clone();
        let Some(pageable) = &mut operation.pageable else {
            continue;
        };
        let field = types.iter().find_map(|t| match t {
            TypeDef::Struct(s) if s.name == pageable.page => {
                s.fields.iter().find(|f| f.wire_name == pageable.item_name)
            }
            _ => None,
        });
        match field.map(|f| (f, &f.ty)) {
            Some((field, TypeRef::Array(item))) => {
                pageable.item_field = field.rust_name.clone();
                pageable.item = (**item).clone();
                pageable.item_required = field.required;
            }
            _ => {
                diagnostics.push(
                    Diagnostic::error(
                        operation_location(found, &id).join("x-ms-pageable"),
                        format!(
                            "the page model `{}` has no array property `{}` (the `itemName`)",
                            pageable.page, pageable.item_name
                        ),
                    )
                    .subject(format!("operation {id}"))
                    .help("set `itemName` to the page's array property"),
                );
                operation.pageable = None;
            }
        }
    }
}

/// A query or header parameter typed by a generated type must be an enum: it is sent as the
/// enum's wire value.
pub(super) fn check_param_types(
    groups: &[OperationGroup],
    types: &[TypeDef],
    found: &[SpecOperation<'_>],
    diagnostics: &mut Diagnostics,
) {
    for operation in groups.iter().flat_map(|g| &g.operations) {
        for param in &operation.params {
            let named = match &param.ty {
                TypeRef::Named(name) => name,
                TypeRef::Array(inner) => match &**inner {
                    TypeRef::Named(name) => name,
                    _ => continue,
                },
                _ => continue,
            };
            if !types
                .iter()
                .any(|t| matches!(t, TypeDef::Enum(e) if &e.name == named))
            {
                diagnostics.push(
                    Diagnostic::error(
                        operation_location(found, &operation.id).join("parameters"),
                        format!("parameter `{}` has an object type; only strings, booleans, numbers and enums can be sent in a query or header", param.wire_name),
                    )
                    .subject(format!("operation {}", operation.id))
                    .help("change the parameter's schema"),
                );
            }
        }
    }
}

/// The parameters the client holds, each once, in order of first use; the api-version last.
///
/// Each becomes a field of the client and an argument of its `new`, so its name is claimed
/// beside what the client itself binds ([`bound::CLIENT`]) and the other client parameters
/// (`thing-count` and `thingCount`): a clash is renamed with a warning, and the operations
/// that read the field are given the new name.
pub(super) fn client_params(
    groups: &mut [OperationGroup],
    found: &[SpecOperation<'_>],
    diagnostics: &mut Diagnostics,
    specs: &SpecSet,
) -> Vec<ClientParam> {
    let mut params: Vec<ClientParam> = Vec::new();
    let mut by_wire_name: HashMap<String, usize> = HashMap::new();
    let found_by_id = found_by_id(found);
    let mut names = super::reserving(bound::CLIENT);
    for operation in groups.iter_mut().flat_map(|g| &mut g.operations) {
        for param in operation
            .params
            .iter_mut()
            .filter(|p| p.scope == ParamScope::Client)
        {
            if let Some(&index) = by_wire_name.get(&param.wire_name) {
                param.rust_name = params[index].rust_name.clone();
                continue;
            }
            let role = if param.wire_name == "api-version" {
                ClientParamRole::ApiVersion
            } else {
                ClientParamRole::Value
            };
            // The api-version is the client's own `api_version` field, read by that name
            // whatever `x-ms-client-name` says.
            if role == ClientParamRole::ApiVersion {
                param.rust_name = "api_version".to_string();
            } else {
                let claimed = names.claim(param.rust_name.clone());
                if let Some(collided) = claimed.collided_with {
                    let at = found_by_id
                        .get(operation.id.as_str())
                        .map(|f| f.location.join("parameters"))
                        .unwrap_or_default();
                    diagnostics.push(
                        Diagnostic::warning(
                            at,
                            format!(
                                "client parameter `{}` cannot be named `{collided}`, which the client already uses; it becomes `{}`",
                                param.wire_name, claimed.name
                            ),
                        )
                        .subject(format!("operation {}", operation.id))
                        .help("set `x-ms-client-name` on the parameter"),
                    );
                }
                param.rust_name = claimed.name;
            }
            by_wire_name.insert(param.wire_name.clone(), params.len());
            params.push(ClientParam {
                wire_name: param.wire_name.clone(),
                rust_name: param.rust_name.clone(),
                role,
                docs: param.docs.clone(),
            });
        }
    }
    // Only meaningful when every operation lowered: a failed one may be the one with it.
    let missing = !params.iter().any(|p| p.role == ClientParamRole::ApiVersion);
    if missing
        && !diagnostics.has_errors()
        && let Some(root) = specs.roots.first()
    {
        diagnostics.push(
            Diagnostic::error(
                Location::new(&root.path, "/paths"),
                "no operation takes an `api-version` query parameter",
            )
            .help("ARM operations carry `api-version` in the query; add it as a client parameter"),
        );
    }
    params.sort_by_key(|p| p.role == ClientParamRole::ApiVersion);
    params
}

/// An operation's error type gets `from_error`, which only a struct can have; anything else
/// is dropped with a warning rather than generating code that does not compile.
pub(super) fn check_error_types(
    groups: &mut [OperationGroup],
    types: &[TypeDef],
    found: &[SpecOperation<'_>],
    diagnostics: &mut Diagnostics,
) {
    // Lookups by name, not searches: both are per operation.
    let structs: HashSet<&str> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some(s.name.as_str()),
            _ => None,
        })
        .collect();
    let found_by_id = found_by_id(found);
    for operation in groups.iter_mut().flat_map(|g| &mut g.operations) {
        let Some(error) = &operation.error else {
            continue;
        };
        let is_struct = matches!(error, TypeRef::Named(name) if structs.contains(name.as_str()));
        if !is_struct {
            let location = found_by_id
                .get(operation.id.as_str())
                .map(|f| f.location.join("responses").join("default"))
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::warning(location, "the `default` response's body is not an object, so errors of this operation are not typed")
                    .subject(format!("operation {}", operation.id))
                    .help("describe the error body as an object schema such as `CloudError`"),
            );
            operation.error = None;
        }
    }
}

/// Each operation as found, by operationId (the first, when an id is duplicated).
fn found_by_id<'f, 'a>(found: &'f [SpecOperation<'a>]) -> HashMap<&'f str, &'f SpecOperation<'a>> {
    let mut by_id = HashMap::new();
    for f in found {
        if let Some(id) = f.operation.operation_id.as_deref() {
            by_id.entry(id).or_insert(f);
        }
    }
    by_id
}

/// One rules static per distinct (parameter name, constraints), named once here.
pub(super) fn param_rules(groups: &mut [OperationGroup]) -> Vec<ParamRulesDef> {
    let mut defs: Vec<ParamRulesDef> = Vec::new();
    // (wire name, constraints) → index in `defs`: a search per parameter is quadratic.
    let mut existing: HashMap<(String, Constraints), usize> = HashMap::new();
    let mut names = Namespace::new();
    for param in groups
        .iter_mut()
        .flat_map(|g| &mut g.operations)
        .flat_map(|o| &mut o.params)
    {
        if param.constraints.is_empty() {
            continue;
        }
        let key = (param.wire_name.clone(), param.constraints.clone());
        let name = match existing.get(&key) {
            Some(&index) => defs[index].name.clone(),
            None => {
                let base = unraw(&snake(&param.wire_name)).to_uppercase();
                let name = names.claim(format!("{base}_RULES")).name;
                existing.insert(key, defs.len());
                defs.push(ParamRulesDef {
                    name: name.clone(),
                    wire_name: param.wire_name.clone(),
                    constraints: param.constraints.clone(),
                });
                name
            }
        };
        param.rules = Some(name);
    }
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    defs
}

/// How operations use each generated type, propagated through fields.
pub(super) fn usage(groups: &[OperationGroup], types: &Types<'_>) -> BTreeMap<String, Usage> {
    let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
    let mut stack: Vec<(TypeRef, Usage)> = Vec::new();
    let operations: Vec<&Operation> = groups.iter().flat_map(|g| &g.operations).collect();
    for operation in operations {
        if let Some(body) = &operation.body {
            stack.push((
                body.ty.clone(),
                Usage {
                    input: true,
                    ..Usage::default()
                },
            ));
        }
        for response in &operation.responses {
            if let Some(body) = &response.body {
                stack.push((
                    body.clone(),
                    Usage {
                        output: true,
                        ..Usage::default()
                    },
                ));
            }
        }
        if let Some(error) = &operation.error {
            stack.push((
                error.clone(),
                Usage {
                    output: true,
                    error: true,
                    input: false,
                },
            ));
        }
    }
    while let Some((ty, how)) = stack.pop() {
        match ty {
            TypeRef::Named(name) => {
                let entry = usage.entry(name.clone()).or_default();
                let before = *entry;
                entry.input |= how.input;
                entry.output |= how.output;
                if *entry != before || before == Usage::default() {
                    // Only the top-level error model is the error; what it contains is output.
                    let inner = Usage {
                        error: false,
                        ..how
                    };
                    stack.extend(types.field_types(&name).into_iter().map(|t| (t, inner)));
                }
                if how.error {
                    entry.error = true;
                }
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push((*inner, how)),
            _ => {}
        }
    }
    usage
}
