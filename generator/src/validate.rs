//! A last check of the model before anything is emitted: the invariants the emitters rely on
//! for the output to compile. Lowering establishes them by construction; this catches a
//! generator bug as a diagnostic naming the item, before any file is written, instead of a
//! generated crate that fails to build (or an emitter panic on an invalid identifier).

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::{
    Api, ClientParamRole, Operation, ParamLocation, ParamScope, PathPart, TypeDef, TypeRef,
    path_param_names,
};
use crate::naming::bound::{self, files};
use crate::naming::unraw;

/// Reports `what` and its `problem` as an internal error.
type Report<'a> = dyn FnMut(String, &str) + 'a;

pub fn validate(api: &Api) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let mut report = |what: String, problem: &str| {
        diagnostics.push(
            Diagnostic::error(
                Location::default(),
                format!("internal error: {what} {problem}"),
            )
            .subject(format!("api-version {}", api.version))
            .help("this is a generator bug; please report it with the spec that triggers it"),
        );
    };
    let type_names: BTreeSet<&str> = api.types.iter().map(TypeDef::name).collect();
    check_module_names(api, &type_names, &mut report);
    for def in &api.types {
        check_type_def(def, &type_names, &mut report);
    }
    check_groups(api, &type_names, &mut report);
    for rules in &api.param_rules {
        check_ident(&rules.name, &mut report);
    }
    check_bound_names(api, &mut report);
    check_files(api, &mut report);
    diagnostics
}

/// The names the version's module defines (types, clients, options) are identifiers, each
/// defined once.
fn check_module_names(api: &Api, type_names: &BTreeSet<&str>, report: &mut Report<'_>) {
    check_ident(&api.module, report);
    if type_names.len() != api.types.len() {
        report("the module".into(), "defines two types with the same name");
    }
    let mut module_names: BTreeSet<&str> = type_names.clone();
    for name in std::iter::once(&api.client.name)
        .chain(std::iter::once(&api.client.options_name))
        .chain(api.groups.iter().map(|g| &g.client_name))
        .chain(
            api.groups
                .iter()
                .flat_map(|g| &g.operations)
                .map(|o| &o.options_name),
        )
    {
        check_ident(name, report);
        if !module_names.insert(name) {
            report(format!("`{name}`"), "is defined twice in the module");
        }
    }
}

/// Every type `user` refers to through `ty` is generated.
fn check_type_ref(ty: &TypeRef, user: &str, type_names: &BTreeSet<&str>, report: &mut Report<'_>) {
    let mut stack = vec![ty];
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(name) if !type_names.contains(name.as_str()) => {
                report(
                    format!("`{user}`"),
                    &format!("uses type `{name}`, which is not generated"),
                );
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(inner),
            _ => {}
        }
    }
}

/// A type's name, fields and variants are identifiers, each defined once, and the types its
/// fields and variants hold are generated.
fn check_type_def(def: &TypeDef, type_names: &BTreeSet<&str>, report: &mut Report<'_>) {
    check_ident(def.name(), report);
    match def {
        TypeDef::Struct(s) => {
            let mut fields = BTreeSet::new();
            let additional = s.additional.iter().map(|a| (&a.rust_name, &a.ty));
            for (rust_name, ty) in s
                .fields
                .iter()
                .map(|f| (&f.rust_name, &f.ty))
                .chain(additional)
            {
                check_ident(rust_name, report);
                if !fields.insert(rust_name.as_str()) {
                    report(
                        format!("field `{rust_name}` of `{}`", s.name),
                        "is defined twice",
                    );
                }
                check_type_ref(ty, &s.name, type_names, report);
            }
        }
        TypeDef::Union(u) => {
            let mut variants = BTreeSet::new();
            for variant in &u.variants {
                check_ident(&variant.rust_name, report);
                // `Unknown` is the variant every union has for discriminators it does not know.
                if !variants.insert(variant.rust_name.as_str()) || variant.rust_name == "Unknown" {
                    report(
                        format!("variant `{}` of `{}`", variant.rust_name, u.name),
                        "is defined twice",
                    );
                }
                let ty = TypeRef::Named(variant.ty.clone());
                check_type_ref(&ty, &u.name, type_names, report);
            }
        }
        TypeDef::Enum(e) => {
            let mut variants = BTreeSet::new();
            for variant in &e.variants {
                check_ident(&variant.rust_name, report);
                // `UnknownValue` is the variant an extensible enum has for values it does not know.
                if !variants.insert(variant.rust_name.as_str())
                    || (e.extensible && variant.rust_name == "UnknownValue")
                {
                    report(
                        format!("variant `{}` of `{}`", variant.rust_name, e.name),
                        "is defined twice",
                    );
                }
            }
        }
    }
}

/// Each group's module, accessor and methods are identifiers, each defined once.
fn check_groups(api: &Api, type_names: &BTreeSet<&str>, report: &mut Report<'_>) {
    let mut modules = BTreeSet::new();
    for group in &api.groups {
        check_ident(&group.module, report);
        check_ident(&group.accessor, report);
        if !modules.insert(group.module.as_str()) {
            report(format!("module `{}`", group.module), "is defined twice");
        }
        let mut methods = BTreeSet::new();
        for operation in &group.operations {
            check_ident(&operation.rust_name, report);
            if !methods.insert(operation.rust_name.as_str()) {
                report(
                    format!(
                        "method `{}` of `{}`",
                        operation.rust_name, group.client_name
                    ),
                    "is defined twice",
                );
            }
            check_method(operation, type_names, report);
        }
    }
}

/// A method's arguments and option fields are identifiers, each defined once, and the types
/// of its body and error are generated.
fn check_method(operation: &Operation, type_names: &BTreeSet<&str>, report: &mut Report<'_>) {
    // Required parameters and the body are arguments; optional parameters are fields of the
    // options struct. Each set must be free of duplicates.
    let mut arguments = BTreeSet::from(["options"]);
    let mut fields = BTreeSet::new();
    let method_params = operation
        .params
        .iter()
        .filter(|p| p.scope == ParamScope::Method);
    for param in method_params {
        check_ident(&param.rust_name, report);
        let argument = param.required || param.location == ParamLocation::Path;
        let (set, what) = if argument {
            (&mut arguments, "argument")
        } else {
            (&mut fields, "option field")
        };
        if !set.insert(param.rust_name.as_str()) {
            report(
                format!("{what} `{}` of `{}`", param.rust_name, operation.rust_name),
                "is defined twice",
            );
        }
    }
    if let Some(body) = &operation.body {
        check_ident(&body.rust_name, report);
        if !arguments.insert(body.rust_name.as_str()) {
            report(
                format!("argument `{}` of `{}`", body.rust_name, operation.rust_name),
                "is defined twice",
            );
        }
    }
    for ty in operation
        .body
        .iter()
        .map(|b| &b.ty)
        .chain(operation.error.iter())
    {
        check_type_ref(ty, &operation.id, type_names, report);
    }
    check_path(operation, report);
}

/// Each `{name}` of the path template is one path parameter, and each path parameter is in
/// the template: the method passes one value per `{name}`, in order, and the runtime refuses a
/// call whose values and template differ.
fn check_path(operation: &Operation, report: &mut Report<'_>) {
    let placeholders: Vec<&str> = operation.path.iter().filter_map(PathPart::param).collect();
    let path_params: Vec<&str> = path_param_names(&operation.params).collect();
    for wire in &placeholders {
        if path_params.iter().filter(|name| *name == wire).count() != 1 {
            report(
                format!("path `{{{wire}}}` of `{}`", operation.id),
                "is not exactly one path parameter",
            );
        }
    }
    for wire in &path_params {
        if !placeholders.contains(wire) {
            report(
                format!("path parameter `{wire}` of `{}`", operation.id),
                "is not in the path template",
            );
        }
    }
}

/// No spec name takes a name the emitters bind in the same scope ([`bound`]).
fn check_bound_names(api: &Api, report: &mut Report<'_>) {
    let mut fields = BTreeSet::new();
    for param in &api.client.params {
        check_ident(&param.rust_name, report);
        let name = unraw(&param.rust_name);
        let own_field = param.role == ClientParamRole::ApiVersion && name == "api_version";
        if (bound::CLIENT.contains(&name) && !own_field) || !fields.insert(name) {
            report(
                format!(
                    "client parameter `{}` (`{}`)",
                    param.wire_name, param.rust_name
                ),
                "clashes with a name the client binds or another client parameter",
            );
        }
    }
    for name in api.types.iter().map(TypeDef::name) {
        if bound::TYPES.contains(&name) {
            report(
                format!("type `{name}`"),
                "shadows a name generated code uses",
            );
        }
    }
    for group in &api.groups {
        if bound::CLIENT_METHODS.contains(&unraw(&group.accessor)) {
            report(
                format!("accessor `{}`", group.accessor),
                "is a method of the client",
            );
        }
        for operation in &group.operations {
            for param in &operation.params {
                let name = unraw(&param.rust_name);
                // Required parameters are arguments; optional ones, fields of the options.
                let argument = param.required || param.location == ParamLocation::Path;
                let problem = match param.scope {
                    ParamScope::Method if argument && bound::METHOD.contains(&name) => {
                        "is a name the method binds"
                    }
                    ParamScope::Method if !argument && bound::OPTIONS_FIELDS.contains(&name) => {
                        "is a field the options struct has"
                    }
                    ParamScope::Client if !fields.contains(name) => {
                        "reads a client field that does not exist"
                    }
                    _ => continue,
                };
                report(
                    format!("parameter `{}` of `{}`", param.rust_name, operation.id),
                    problem,
                );
            }
            let body = operation.body.as_ref().map(|b| unraw(&b.rust_name));
            if body.is_some_and(|name| bound::METHOD.contains(&name) && name != "body") {
                report(
                    format!("body of `{}`", operation.id),
                    "is a name the method binds",
                );
            }
        }
    }
}

/// Every file is written once: no group module lands on another file (`mod.rs`).
fn check_files(api: &Api, report: &mut Report<'_>) {
    let mut written = BTreeSet::from([
        PathBuf::from(files::CARGO_TOML),
        PathBuf::from(files::RUSTFMT_TOML),
        PathBuf::from(files::LIB),
    ]);
    for name in ["mod", "client", "models"] {
        written.insert(files::version_file(&api.module, name));
    }
    for group in &api.groups {
        let module = unraw(&group.module);
        let path = files::group_file(&api.module, &group.module);
        if bound::MODULES.contains(&module) || !written.insert(path.clone()) {
            report(
                format!(
                    "the file of group `{}` ({})",
                    group.wire_name,
                    path.display()
                ),
                "is another file of the module, or a name a module cannot have",
            );
        }
    }
}

/// `proc_macro2::Ident::new` panics on anything that is not an identifier; check first.
fn check_ident(name: &str, report: &mut Report<'_>) {
    if syn::parse_str::<syn::Ident>(name).is_err() {
        report(format!("`{name}`"), "is not a valid Rust identifier");
    }
}
