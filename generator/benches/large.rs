//! The generator on large synthetic specs: time must grow about linearly with the number of
//! operations, including when most of them are rejected (every diagnostic located and
//! reported). Run with
//!
//! ```text
//! cargo bench -p azure_arm_codegen --bench large
//! ```
//!
//! Each size writes `target/bench-large/ops-<n>/` (a config and a JSON spec), so the same
//! input can be run as a process for peak memory:
//! `/usr/bin/time -v target/release/xtask codegen --check --config target/bench-large/ops-16000/codegen.yaml`.
//!
//! | benchmark  | input                                                                         |
//! |------------|-------------------------------------------------------------------------------|
//! | `rejected` | n operations, 1 in 2 rejected (not long-running, or a path parameter missing), |
//! |            | 1 in 4 without a description (a warning): `generate` fails with every          |
//! |            | diagnostic located and rendered                                               |
//! | `accepted` | n valid long-running operations: `generate` through emit and format            |

// A test harness: a failed expectation is a failed run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use azure_arm_codegen as codegen;
use codegen::config::Config;
use divan::black_box;

fn main() {
    divan::main();
}

/// One operation; `kind` decides whether (and why) it is rejected.
fn operation(out: &mut String, index: usize, kind: usize) {
    let group = index / 8;
    let (path_param, long_running) = match kind {
        0 => ("thingName", false), // rejected: not long-running
        1 => ("otherName", true),  // rejected: `{otherName}` has no parameter
        _ => ("thingName", true),
    };
    let description = if index % 4 == 3 {
        String::new()
    } else {
        format!(r#""description": "Operation {index}.","#)
    };
    let _ = write!(
        out,
        r##"
    "/subscriptions/{{subscriptionId}}/providers/Test.Large/g{group}/{{{path_param}}}/op{index}": {{
      "post": {{
        "operationId": "Group{group}_Op{index}",
        {description}
        "parameters": [
          {{"$ref": "#/components/parameters/ApiVersion"}},
          {{"$ref": "#/components/parameters/SubscriptionId"}},
          {{"name": "thingName", "in": "path", "required": true, "description": "The thing.", "schema": {{"type": "string", "pattern": "^[-\\w\\._]+$"}}}}
        ],
        "requestBody": {{"required": true, "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Data"}}}}}}}},
        "responses": {{
          "200": {{"description": "Done.", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Data"}}}}}}}},
          "202": {{"description": "Accepted."}},
          "default": {{"description": "Error.", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/CloudError"}}}}}}}}
        }},
        "x-ms-long-running-operation": {long_running}
      }}
    }}"##
    );
}

/// A spec with `operations` operations; `rejected` makes half of them errors.
fn spec(operations: usize, rejected: bool) -> String {
    let mut out = String::from(
        r#"{
  "openapi": "3.0.3",
  "info": {"title": "Large", "version": "2020-01-01"},
  "paths": {"#,
    );
    for index in 0..operations {
        if index > 0 {
            out.push(',');
        }
        let kind = if rejected { index % 4 } else { 2 };
        operation(&mut out, index, kind);
    }
    out.push_str(
        r##"
  },
  "components": {
    "parameters": {
      "ApiVersion": {"name": "api-version", "in": "query", "required": true, "description": "The API version.", "schema": {"type": "string"}},
      "SubscriptionId": {"name": "subscriptionId", "in": "path", "required": true, "description": "The subscription.", "schema": {"type": "string"}}
    },
    "schemas": {
      "Data": {"type": "object", "description": "Data.", "properties": {"name": {"type": "string", "description": "A name."}}},
      "CloudError": {"type": "object", "description": "An error.", "properties": {"code": {"type": "string", "description": "The code."}}}
    }
  }
}
"##,
    );
    out
}

/// Writes the synthetic spec and its config; returns the loaded config.
fn prepare(operations: usize, rejected: bool) -> Config {
    let kind = if rejected { "ops" } else { "valid" };
    let folder: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/bench-large")
        .join(format!("{kind}-{operations}"));
    std::fs::create_dir_all(&folder).expect("creates the bench folder");
    std::fs::write(folder.join("spec.json"), spec(operations, rejected)).expect("writes spec");
    std::fs::write(
        folder.join("codegen.yaml"),
        "crate_name: large\noutput: out\nspec_root: .\nclient_name: LargeClient\ndescription: Large.\napi_versions:\n  - version: \"2020-01-01\"\n    inputs: [spec.json]\n",
    )
    .expect("writes config");
    Config::load(&folder.join("codegen.yaml")).unwrap_or_else(|d| panic!("{d}"))
}

#[divan::bench(args = [1000, 2000, 4000, 8000, 16000], sample_count = 5, sample_size = 1)]
fn rejected(bencher: divan::Bencher, operations: usize) {
    let config = prepare(operations, true);
    bencher.bench(|| {
        let diagnostics = codegen::generate(black_box(&config)).expect_err("half are rejected");
        diagnostics.to_string().len()
    });
}

#[divan::bench(args = [250, 500, 1000, 2000], sample_count = 3, sample_size = 1)]
fn accepted(bencher: divan::Bencher, operations: usize) {
    let config = prepare(operations, false);
    bencher.bench(|| {
        let generated = codegen::generate(black_box(&config)).unwrap_or_else(|d| panic!("{d}"));
        generated.files.files.len()
    });
}
