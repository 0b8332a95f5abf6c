use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::convert;

fn converted(document: Value) -> super::Converted {
    let path = PathBuf::from("spec.json");
    let originals = BTreeMap::from([(path.clone(), document.clone())]);
    convert(&path, &document, &originals)
}

#[test]
fn servers_and_security_schemes() {
    let out = converted(json!({
        "swagger": "2.0",
        "host": "management.azure.com",
        "basePath": "/base/",
        "schemes": ["http", "https"],
        "securityDefinitions": {
            "aad": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"s": "d"}},
            "key": {"type": "apiKey", "name": "k", "in": "header"},
            "basic": {"type": "basic"}
        }
    }));
    assert_eq!(out.value["openapi"], "3.0.3");
    assert_eq!(
        out.value["servers"],
        json!([{"url": "https://management.azure.com/base"}])
    );
    let schemes = &out.value["components"]["securitySchemes"];
    assert_eq!(
        schemes["aad"],
        json!({"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"s": "d"}}}})
    );
    assert_eq!(
        schemes["key"],
        json!({"type": "apiKey", "name": "k", "in": "header"})
    );
    assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(
        out.map.original("/components/securitySchemes/aad/flows"),
        "/securityDefinitions/aad/flows"
    );
    assert!(out.document_notes.is_empty());
}

#[test]
fn a_parameterized_host_without_parameters_is_the_server() {
    let out = converted(json!({
        "swagger": "2.0",
        "x-ms-parameterized-host": {"hostTemplate": "management.azure.com", "useSchemePrefix": true}
    }));
    assert_eq!(
        out.value["servers"],
        json!([{"url": "https://management.azure.com"}])
    );
    assert!(out.document_notes.is_empty());
}

#[test]
fn parameters_move_their_value_keywords_into_a_schema() {
    let out = converted(json!({
        "swagger": "2.0",
        "parameters": {
            "Ids": {
                "name": "ids", "in": "query", "type": "array", "items": {"type": "string"},
                "collectionFormat": "multi", "x-nullable": true, "x-ms-client-name": "identifiers",
                "x-ms-enum": {"name": "Id"}
            }
        }
    }));
    assert_eq!(
        out.value["parameters"]["Ids"],
        json!({
            "name": "ids", "in": "query", "x-ms-client-name": "identifiers",
            "style": "form", "explode": true,
            "schema": {"type": "array", "items": {"type": "string"}, "x-nullable": true, "nullable": true, "x-ms-enum": {"name": "Id"}}
        })
    );
    assert_eq!(
        out.map.original("/parameters/Ids/schema/items"),
        "/parameters/Ids/items"
    );
}

#[test]
fn bodies_become_request_bodies_in_every_declared_media_type() {
    let out = converted(json!({
        "swagger": "2.0",
        "consumes": ["application/json", "text/json"],
        "paths": {"/a": {"put": {
            "parameters": [
                {"name": "q", "in": "query", "type": "string"},
                {"name": "thing", "in": "body", "x-ms-client-name": "resource", "required": true, "schema": {"$ref": "#/definitions/T", "description": "kept"}},
                {"name": "h", "in": "header", "type": "string"}
            ],
            "responses": {"200": {"description": "ok", "schema": {"type": "string"}, "examples": {"application/json": "x"}}}
        }}},
        "parameters": {"Body": {"name": "other", "in": "body", "schema": {"type": "object"}}}
    }));
    let operation = &out.value["paths"]["/a"]["put"];
    assert_eq!(operation["x-ms-requestBody-name"], "resource");
    let body = &operation["requestBody"];
    assert_eq!(body["required"], true);
    for media in ["application/json", "text/json"] {
        assert_eq!(
            body["content"][media]["schema"],
            json!({"$ref": "#/definitions/T", "description": "kept"})
        );
    }
    // The header parameter moved from index 2 to 1; places lead back to where it is written.
    assert_eq!(operation["parameters"][1]["name"], "h");
    assert_eq!(
        out.map.original("/paths/~1a/put/parameters/1/schema"),
        "/paths/~1a/put/parameters/2"
    );
    assert_eq!(
        out.map
            .original("/paths/~1a/put/requestBody/content/text~1json/schema/description"),
        "/paths/~1a/put/parameters/1/schema/description"
    );
    assert_eq!(
        operation["responses"]["200"]["content"]["application/json"],
        json!({"schema": {"type": "string"}, "example": "x"})
    );
    // A shared body parameter is a request body in place.
    assert_eq!(
        out.value["parameters"]["Body"]["content"]["text/json"]["schema"],
        json!({"type": "object"})
    );
}

#[test]
fn a_body_behind_a_reference_in_another_file_is_found() {
    let path = PathBuf::from("a/spec.json");
    let common = json!({"parameters": {"Body": {"name": "payload", "in": "body", "schema": {}}}});
    let document = json!({"swagger": "2.0", "paths": {"/a": {"post": {
        "parameters": [{"$ref": "../common.json#/parameters/Body"}],
        "responses": {}
    }}}});
    let originals = BTreeMap::from([
        (path.clone(), document.clone()),
        (PathBuf::from("common.json"), common),
    ]);
    let out = convert(Path::new(&path), &document, &originals);
    let operation = &out.value["paths"]["/a"]["post"];
    assert_eq!(
        operation["requestBody"],
        json!({"$ref": "../common.json#/parameters/Body"})
    );
    assert_eq!(operation["x-ms-requestBody-name"], "payload");
    assert!(operation.get("parameters").is_none());
}

#[test]
fn schemas_are_repaired_in_place_and_keep_their_siblings() {
    let out = converted(json!({
        "swagger": "2.0",
        "definitions": {
            "Pet": {
                "discriminator": "kind",
                "properties": {
                    "owner": {"$ref": "#/definitions/Owner", "readOnly": true},
                    "tags": {"type": "array", "items": {"x-nullable": false, "discriminator": "k"}}
                }
            }
        }
    }));
    let pet = &out.value["definitions"]["Pet"];
    assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(
        pet["properties"]["owner"],
        json!({"$ref": "#/definitions/Owner", "readOnly": true})
    );
    assert_eq!(
        pet["properties"]["tags"]["items"],
        json!({"x-nullable": false, "nullable": false, "discriminator": {"propertyName": "k"}})
    );
}

#[test]
fn x_ms_paths_join_paths_and_lead_back() {
    let out = converted(json!({
        "swagger": "2.0",
        "paths": {"/a": {"get": {"responses": {}}}},
        "x-ms-paths": {
            "/a?b": {"get": {"responses": {}}},
            "/a": {"post": {"responses": {}}}
        }
    }));
    assert!(out.value["paths"]["/a?b"]["get"].is_object());
    assert_eq!(
        out.map.original("/paths/~1a?b/get/responses"),
        "/x-ms-paths/~1a?b/get/responses"
    );
    assert_eq!(
        out.operation_notes.len(),
        1,
        "the query part is reported for its operation"
    );
    assert_eq!(out.operation_notes[0].0, "/paths/~1a?b/get");
    assert_eq!(
        out.document_notes.len(),
        1,
        "a key in both `paths` and `x-ms-paths`"
    );
}
