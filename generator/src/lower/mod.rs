//! Stage 2, lower: the loaded documents of one api-version → the [`Api`] model.
//!
//! Names are decided here and only here. Module-level names are claimed in a fixed order —
//! the top-level client, its options, the sub-clients, the per-operation options, then the
//! types — so that a schema that happens to share a name with generated API surface is the
//! one renamed (with a warning), never the API.

mod docs;
mod enums;
mod example_json;
mod examples;
mod graph;
mod kinds;
mod operations;
mod passes;
mod presence;
mod secrets;
pub(crate) use kinds::LIST_FORMAT;
pub use secrets::unmatched_secrets;
mod shape;
mod structs;
mod types;
mod unions;

use std::collections::{BTreeMap, HashMap};

use openapiv3::ReferenceOr;

use crate::config::{ApiVersionConfig, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::SpecSet;
use crate::model::{Api, ClientDef, HttpMethod, OperationGroup};
use crate::naming::{Namespace, bound, snake, unraw, upper_camel};
use operations::{SpecOperation, lower_operation, split_operation_id};
use passes::{check_error_types, check_param_types, client_params, paging, param_rules, usage};
use types::Types;

/// Lowers one api-version. Returns the model with its warnings, or every error found.
pub fn lower(
    specs: &SpecSet,
    config: &Config,
    version: &ApiVersionConfig,
) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let found = find_operations(specs, config, version, &mut diagnostics);
    // Check operationIds and group operations before naming anything.
    let grouped = group_operations(&found, &mut diagnostics);
    if found.is_empty() {
        report_no_operations(specs, &mut diagnostics);
    }
    // Names the generated modules use unqualified: a schema called `String` or `Param` must
    // not shadow them.
    let mut names = reserving(bound::TYPES);
    let client_name = names.claim(config.client_name.clone()).name;
    let options_name = names.claim(format!("{client_name}Options")).name;
    let planned = plan_groups(grouped, &mut names, &mut diagnostics);

    let secrets = secrets::Secrets::new(
        config
            .secrets
            .iter()
            .map(|s| (s.definition.clone(), s.property.clone())),
    );
    let mut types = Types::new(specs, names, secrets);
    let mut groups = lower_groups(specs, &mut types, planned, &mut diagnostics);
    types.drain();
    let usage = usage(&groups, &types);
    let (mut types, type_diagnostics, secrets_applied) = types.finish(&usage);
    presence::allow_omitted_write_only(&mut types);
    diagnostics.extend(type_diagnostics);
    check_error_types(&mut groups, &types, &found, &mut diagnostics);
    paging(&mut groups, &types, &found, &mut diagnostics);
    check_param_types(&groups, &types, &found, &mut diagnostics);

    let params = client_params(&mut groups, &found, &mut diagnostics, specs);
    let param_rules = param_rules(&mut groups);
    check_document_versions(specs, config, version, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let root = specs.roots.first();
    let mut api = Api {
        version: version.version.clone(),
        module: version.module.clone(),
        title: root
            .map(|r| r.openapi.info.title.clone())
            .unwrap_or_default(),
        docs: docs::docs(root.and_then(|r| r.openapi.info.description.as_deref())),
        server: root
            .and_then(|r| r.openapi.servers.first())
            .map(|s| s.url.clone()),
        client: ClientDef {
            name: client_name,
            options_name,
            params,
        },
        groups,
        types,
        param_rules,
        secrets_applied,
        examples: Vec::new(),
        skipped_examples: 0,
    };
    examples::lower_examples(specs, &config.spec_root, &mut api, &found, &mut diagnostics);
    Ok((api, diagnostics))
}

/// A namespace in which `reserved`, the names generated code binds in its scope, are taken.
fn reserving(reserved: &[&str]) -> Namespace {
    let mut names = Namespace::new();
    for name in reserved {
        names.reserve(name);
    }
    names
}

/// The operations of one group (an operationId's part before `_`), in document order.
struct FoundGroup<'f, 'a> {
    wire_name: String,
    /// Each operation with its name in the group (the operationId's part after `_`).
    members: Vec<(&'f SpecOperation<'a>, String)>,
}

/// A group with its module-level names claimed, before its operations are lowered.
struct PlannedGroup<'f, 'a> {
    wire_name: String,
    client_name: String,
    accessor: String,
    module: String,
    members: Vec<PlannedOperation<'f, 'a>>,
}

struct PlannedOperation<'f, 'a> {
    found: &'f SpecOperation<'a>,
    /// Its name in the group (the operationId's part after `_`).
    name: String,
    /// Its options struct's name, claimed among the module's names.
    options_name: String,
}

/// The operations grouped by operationId, groups in order of first appearance; an operation
/// without an operationId, or with one already used, is reported and left out.
fn group_operations<'f, 'a>(
    found: &'f [SpecOperation<'a>],
    diagnostics: &mut Diagnostics,
) -> Vec<FoundGroup<'f, 'a>> {
    let mut seen: BTreeMap<&str, &Location> = BTreeMap::new();
    let mut grouped: Vec<FoundGroup<'f, 'a>> = Vec::new();
    // Group name → its index in `grouped` (a linear search per operation is quadratic).
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for operation in found {
        let Some(id) = operation.operation.operation_id.as_deref() else {
            diagnostics.push(
                Diagnostic::error(operation.location.clone(), "operation has no `operationId`")
                    .help("add an operationId such as `Disks_GrantAccess` (Group_Name)"),
            );
            continue;
        };
        if let Some(first) = seen.insert(id, &operation.location) {
            diagnostics.push(
                Diagnostic::error(
                    operation.location.clone(),
                    format!("operationId `{id}` is already used at {first}"),
                )
                .help("give every operation a unique operationId"),
            );
            continue;
        }
        let (group, name) = split_operation_id(id, &operation.operation.tags);
        match group_index.get(&group) {
            Some(&index) => grouped[index].members.push((operation, name)),
            None => {
                group_index.insert(group.clone(), grouped.len());
                grouped.push(FoundGroup {
                    wire_name: group,
                    members: vec![(operation, name)],
                });
            }
        }
    }
    grouped
}

/// An api-version with nothing to generate is a mistake in the config or the documents.
fn report_no_operations(specs: &SpecSet, diagnostics: &mut Diagnostics) {
    for root in &specs.roots {
        diagnostics.push(
            Diagnostic::error(
                Location::new(&root.path, "/paths"),
                "the document declares no operations",
            )
            .help("add operations under `paths`, or remove the document from the config"),
        );
    }
}

/// Claims each group's names: its client and its operations' options among the module's
/// `names`, then its accessor and module, each in a namespace of its own.
fn plan_groups<'f, 'a>(
    grouped: Vec<FoundGroup<'f, 'a>>,
    names: &mut Namespace,
    diagnostics: &mut Diagnostics,
) -> Vec<PlannedGroup<'f, 'a>> {
    // A group module is a file beside the version's own files (`Mod_Start` must not
    // become `mod.rs`).
    let mut modules = reserving(bound::MODULES);
    let mut accessors = reserving(bound::CLIENT_METHODS);
    let mut planned = Vec::new();
    for FoundGroup { wire_name, members } in grouped {
        let group = upper_camel(&wire_name);
        let client_name = names.claim(format!("{group}Client")).name;
        let members: Vec<_> = members
            .into_iter()
            .map(|(found, name)| PlannedOperation {
                options_name: names
                    .claim(format!("{group}{}Options", upper_camel(&name)))
                    .name,
                found,
                name,
            })
            .collect();
        let at = members
            .first()
            .map(|member| member.found.location.join("operationId"))
            .unwrap_or_default();
        let accessor = accessors.claim(format!("{}_client", unraw(&snake(&wire_name))));
        let module = modules.claim(snake(&wire_name));
        for (what, claimed) in [("module", &module), ("accessor", &accessor)] {
            if let Some(collided) = &claimed.collided_with {
                diagnostics.push(
                    Diagnostic::warning(
                        at.clone(),
                        format!(
                            "the {what} of group `{wire_name}` cannot be `{}`, which is taken; it becomes `{}`",
                            unraw(collided),
                            claimed.name
                        ),
                    )
                    .help("give the group (the operationId's part before `_`) another name"),
                );
            }
        }
        planned.push(PlannedGroup {
            accessor: accessor.name,
            module: module.name,
            wire_name,
            client_name,
            members,
        });
    }
    planned
}

/// Every planned group's operations lowered; each method name is claimed in its group's
/// client, and a long-running operation's resume method beside it.
fn lower_groups(
    specs: &SpecSet,
    types: &mut Types<'_>,
    planned: Vec<PlannedGroup<'_, '_>>,
    diagnostics: &mut Diagnostics,
) -> Vec<OperationGroup> {
    let mut groups = Vec::new();
    for group in planned {
        let mut operations = Vec::new();
        let mut methods = Namespace::new();
        for member in group.members {
            let found = member.found;
            let id = found.operation.operation_id.as_deref().unwrap_or_default();
            let (operation, reported) = lower_operation(
                specs,
                types,
                found,
                id,
                &group.wire_name,
                &member.name,
                member.options_name,
            );
            diagnostics.extend(reported);
            let Some(mut operation) = operation else {
                continue;
            };
            let claimed = methods.claim(operation.rust_name.clone());
            if let Some(collided) = claimed.collided_with {
                diagnostics.push(
                    Diagnostic::warning(
                        found.location.join("operationId"),
                        format!("method name `{collided}` is already taken in `{}`; operation {} becomes `{}`", group.client_name, operation.id, claimed.name),
                    )
                    .help("give the operations names that differ after conversion to snake_case"),
                );
                operation.rust_name = claimed.name;
            }
            if let Some(long_running) = &mut operation.long_running {
                let base = operation.rust_name.trim_start_matches("begin_");
                long_running.resume_name = methods.claim(format!("resume_{base}")).name;
            }
            operations.push(operation);
        }
        groups.push(OperationGroup {
            wire_name: group.wire_name,
            client_name: group.client_name,
            accessor: group.accessor,
            module: group.module,
            operations,
        });
    }
    groups
}

/// Every input document is of the api-version the config lists it under.
fn check_document_versions(
    specs: &SpecSet,
    config: &Config,
    version: &ApiVersionConfig,
    diagnostics: &mut Diagnostics,
) {
    for document in &specs.roots {
        if document.openapi.info.version != version.version {
            diagnostics.push(
                Diagnostic::error(
                    Location::new(&config.path, format!("{}/version", version.pointer)),
                    format!(
                        "the config names api-version {}, but {} is api-version {} (its `info.version`)",
                        version.version,
                        document.path.display(),
                        document.openapi.info.version
                    ),
                )
                .help("list the document under its own api-version, or correct `info.version`"),
            );
        }
    }
}

/// Every operation of every input document that the config selects, in document order,
/// with the problems the loader found in each.
fn find_operations<'s>(
    specs: &'s SpecSet,
    config: &Config,
    version: &ApiVersionConfig,
    diagnostics: &mut Diagnostics,
) -> Vec<SpecOperation<'s>> {
    let mut found = Vec::new();
    for root in &specs.roots {
        let paths_at = Location::new(&root.path, "/paths");
        for (path, item) in &root.openapi.paths.paths {
            let item_at = paths_at.join(path);
            let ReferenceOr::Item(item) = item else {
                diagnostics.push(
                    Diagnostic::error(item_at, "a `$ref` path item is not supported")
                        .help("write the path item in place"),
                );
                continue;
            };
            let methods = [
                ("get", HttpMethod::Get, &item.get),
                ("put", HttpMethod::Put, &item.put),
                ("post", HttpMethod::Post, &item.post),
                ("patch", HttpMethod::Patch, &item.patch),
                ("delete", HttpMethod::Delete, &item.delete),
                ("head", HttpMethod::Head, &item.head),
            ];
            for (key, method, operation) in methods {
                if let Some(operation) = operation {
                    found.push(SpecOperation {
                        location: item_at.join(key),
                        path,
                        method,
                        shared_params: &item.parameters,
                        operation,
                    });
                }
            }
            for (key, operation) in [("options", &item.options), ("trace", &item.trace)] {
                if operation.is_some() {
                    diagnostics.push(
                        Diagnostic::warning(
                            item_at.join(key),
                            format!("`{key}` operations are not generated"),
                        )
                        .help("ARM services do not use them; remove it to silence this warning"),
                    );
                }
            }
        }
    }
    let ids: Vec<(Option<&str>, String)> = found
        .iter()
        .map(|f| {
            let method = format!("{:?}", f.method).to_uppercase();
            let label = format!("{method} {}", f.path);
            (f.operation.operation_id.as_deref(), label)
        })
        .collect();
    let config_at = Location::new(&config.path, "");
    let keep = version
        .operations
        .apply(&config_at, &version.version, &ids, diagnostics);
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(true));
    for operation in &found {
        for note in specs.operation_notes(&operation.location) {
            let mut note = note.clone();
            if let Some(id) = &operation.operation.operation_id
                && note.subject.is_none()
            {
                note.subject = Some(format!("operation {id}"));
            }
            diagnostics.push(note);
        }
    }
    found
}
