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
    let mut seen: BTreeMap<&str, &Location> = BTreeMap::new();
    let mut grouped: Vec<(String, Vec<(&SpecOperation<'_>, String)>)> = Vec::new();
    // Group name → its index in `grouped` (a linear search per operation is quadratic).
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for operation in &found {
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
            Some(&index) => grouped[index].1.push((operation, name)),
            None => {
                group_index.insert(group.clone(), grouped.len());
                grouped.push((group, vec![(operation, name)]));
            }
        }
    }
    if found.is_empty() {
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

    let mut names = Namespace::new();
    // Names the generated modules use unqualified: a schema called `String` or `Param` must
    // not shadow them.
    for reserved in bound::TYPES {
        names.reserve(reserved);
    }
    let client_name = names.claim(config.client_name.clone()).name;
    let options_name = names.claim(format!("{client_name}Options")).name;
    let mut modules = Namespace::new();
    // A group module is a file beside the version's own files (`Mod_Start` must not
    // become `mod.rs`).
    for reserved in bound::MODULES {
        modules.reserve(reserved);
    }
    let mut accessors = Namespace::new();
    for reserved in bound::CLIENT_METHODS {
        accessors.reserve(reserved);
    }
    struct PlannedGroup<'f, 'a> {
        wire_name: String,
        client_name: String,
        accessor: String,
        module: String,
        members: Vec<(&'f SpecOperation<'a>, String, String)>,
    }
    let mut planned = Vec::new();
    for (group, members) in grouped {
        let group_client = names.claim(format!("{}Client", upper_camel(&group))).name;
        let members: Vec<_> = members
            .into_iter()
            .map(|(found, name)| {
                let options = names
                    .claim(format!(
                        "{}{}Options",
                        upper_camel(&group),
                        upper_camel(&name)
                    ))
                    .name;
                (found, name, options)
            })
            .collect();
        let at = members
            .first()
            .map(|(found, ..)| found.location.join("operationId"))
            .unwrap_or_default();
        let accessor = accessors.claim(format!("{}_client", unraw(&snake(&group))));
        let module = modules.claim(snake(&group));
        for (what, claimed) in [("module", &module), ("accessor", &accessor)] {
            if let Some(collided) = &claimed.collided_with {
                diagnostics.push(
                    Diagnostic::warning(
                        at.clone(),
                        format!(
                            "the {what} of group `{group}` cannot be `{}`, which is taken; it becomes `{}`",
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
            wire_name: group,
            client_name: group_client,
            members,
        });
    }

    let secrets = secrets::Secrets::new(
        config
            .secrets
            .iter()
            .map(|s| (s.definition.clone(), s.property.clone())),
    );
    let mut types = Types::new(specs, names, secrets);
    let mut groups = Vec::new();
    for group in planned {
        let mut operations = Vec::new();
        let mut methods = Namespace::new();
        for (found, name, options) in group.members {
            let id = found.operation.operation_id.as_deref().unwrap_or_default();
            if let Some(operation) = lower_operation(
                specs,
                &mut types,
                found,
                id,
                &group.wire_name,
                &name,
                options,
            ) {
                let mut operation = operation;
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
        }
        groups.push(OperationGroup {
            wire_name: group.wire_name,
            client_name: group.client_name,
            accessor: group.accessor,
            module: group.module,
            operations,
        });
    }
    types.drain();
    let usage = usage(&groups, &types);
    let (types, type_diagnostics, secrets_applied) = types.finish(&usage);
    diagnostics.extend(type_diagnostics);
    check_error_types(&mut groups, &types, &found, &mut diagnostics);
    paging(&mut groups, &types, &found, &mut diagnostics);
    check_param_types(&groups, &types, &found, &mut diagnostics);

    let params = client_params(&mut groups, &found, &mut diagnostics, specs);
    let param_rules = param_rules(&mut groups);
    let root = specs.roots.first();
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
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
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
