//! A last check of the model before anything is emitted: the invariants the emitters rely on
//! for the output to compile. Lowering establishes them by construction; this catches a
//! generator bug as a diagnostic naming the item, before any file is written, instead of a
//! generated crate that fails to build (or an emitter panic on an invalid identifier).

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::{Api, ClientParamRole, ParamLocation, ParamScope, TypeDef, TypeRef};
use crate::naming::bound::{self, files};
use crate::naming::unraw;

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

    check_ident(&api.module, &mut report);
    let type_names: BTreeSet<&str> = api.types.iter().map(TypeDef::name).collect();
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
        check_ident(name, &mut report);
        if !module_names.insert(name) {
            report(format!("`{name}`"), "is defined twice in the module");
        }
    }

    let check_type = |ty: &TypeRef, user: &str, report: &mut dyn FnMut(String, &str)| {
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
    };

    for def in &api.types {
        check_ident(def.name(), &mut report);
        match def {
            TypeDef::Struct(s) => {
                let mut fields = BTreeSet::new();
                for field in &s.fields {
                    check_ident(&field.rust_name, &mut report);
                    if !fields.insert(field.rust_name.as_str()) {
                        report(
                            format!("field `{}` of `{}`", field.rust_name, s.name),
                            "is defined twice",
                        );
                    }
                    check_type(&field.ty, &s.name, &mut report);
                }
                if let Some(additional) = &s.additional {
                    check_ident(&additional.rust_name, &mut report);
                    if !fields.insert(additional.rust_name.as_str()) {
                        report(
                            format!("field `{}` of `{}`", additional.rust_name, s.name),
                            "is defined twice",
                        );
                    }
                    check_type(&additional.ty, &s.name, &mut report);
                }
            }
            TypeDef::Union(u) => {
                let mut variants = BTreeSet::new();
                for variant in &u.variants {
                    check_ident(&variant.rust_name, &mut report);
                    if !variants.insert(variant.rust_name.as_str())
                        || variant.rust_name == "Unknown"
                    {
                        report(
                            format!("variant `{}` of `{}`", variant.rust_name, u.name),
                            "is defined twice",
                        );
                    }
                    check_type(&TypeRef::Named(variant.ty.clone()), &u.name, &mut report);
                }
            }
            TypeDef::Enum(e) => {
                let mut variants = BTreeSet::new();
                for variant in &e.variants {
                    check_ident(&variant.rust_name, &mut report);
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

    let mut modules = BTreeSet::new();
    for group in &api.groups {
        check_ident(&group.module, &mut report);
        check_ident(&group.accessor, &mut report);
        if !modules.insert(group.module.as_str()) {
            report(format!("module `{}`", group.module), "is defined twice");
        }
        let mut methods = BTreeSet::new();
        for operation in &group.operations {
            check_ident(&operation.rust_name, &mut report);
            if !methods.insert(operation.rust_name.as_str()) {
                report(
                    format!(
                        "method `{}` of `{}`",
                        operation.rust_name, group.client_name
                    ),
                    "is defined twice",
                );
            }
            // Required parameters and the body are arguments; optional parameters are
            // fields of the options struct. Each set must be free of duplicates.
            let mut arguments = BTreeSet::from(["options"]);
            let mut fields = BTreeSet::new();
            let method_params = operation
                .params
                .iter()
                .filter(|p| p.scope == ParamScope::Method);
            for param in method_params {
                check_ident(&param.rust_name, &mut report);
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
                check_ident(&body.rust_name, &mut report);
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
                check_type(ty, &operation.id, &mut report);
            }
        }
    }
    for rules in &api.param_rules {
        check_ident(&rules.name, &mut report);
    }
    check_bound_names(api, &mut report);
    check_files(api, &mut report);
    diagnostics
}

/// No spec name takes a name the emitters bind in the same scope ([`bound`]).
fn check_bound_names(api: &Api, report: &mut dyn FnMut(String, &str)) {
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
fn check_files(api: &Api, report: &mut dyn FnMut(String, &str)) {
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
fn check_ident(name: &str, report: &mut dyn FnMut(String, &str)) {
    if syn::parse_str::<syn::Ident>(name).is_err() {
        report(format!("`{name}`"), "is not a valid Rust identifier");
    }
}
