//! `oas-3.1-schema.json` is the OpenAPI Initiative's JSON Schema for OpenAPI 3.1 documents
//! (<https://spec.openapis.org/oas/3.1/schema/2022-10-07>, Apache-2.0), kept here so the
//! document is validated offline.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::{routes, ME_PATH, OPENAPI_PATH};
use crate::revoke::REVOKE_PATH;

fn document() -> Value {
    let json = routes()
        .into_openapi()
        .to_json()
        .expect("the document serializes");
    serde_json::from_str(&json).expect("the document is JSON")
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("oas-3.1-schema.json"))
        .expect("the OpenAPI 3.1 schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the OpenAPI 3.1 schema compiles")
}

/// Every `"$ref"` in `value`.
fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => found.push(target),
                    _ => refs(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

#[test]
fn the_document_is_valid_openapi_3_1_with_the_bearer_scheme_and_rfc_6750_errors() {
    let doc = document();
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(doc["openapi"], "3.1.0");

    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http", "{scheme}");
    assert_eq!(scheme["scheme"], "bearer", "{scheme}");
    let me = &doc["paths"][ME_PATH]["get"];
    assert_eq!(
        me["security"],
        serde_json::json!([{ "bearer": [] }]),
        "{me}"
    );
    for status in ["400", "401"] {
        let answer = &me["responses"][status];
        assert!(
            answer["headers"]["WWW-Authenticate"].is_object(),
            "{status}: {answer}"
        );
        assert_eq!(
            answer["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody",
            "{status}: {answer}"
        );
    }
    for status in ["429", "503"] {
        assert!(
            me["responses"][status]["headers"]["Retry-After"].is_object(),
            "{status}"
        );
    }
    let body = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(
        body["required"],
        serde_json::json!(["error", "error_description"]),
        "{body}"
    );
    let revoke = &doc["paths"][REVOKE_PATH]["post"];
    assert!(
        revoke["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object(),
        "{revoke}"
    );

    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for target in found {
        let pointer = target.strip_prefix('#').expect("a local reference");
        assert!(doc.pointer(pointer).is_some(), "{target} points nowhere");
    }

    // The check can fail: a response without its description is not OpenAPI.
    let mut broken = doc.clone();
    if let Some(answer) = broken["paths"][ME_PATH]["get"]["responses"]["200"].as_object_mut() {
        answer.remove("description");
    }
    assert!(!validator.is_valid(&broken));
}

/// Every string literal of a source file that is a path under `/api/v1/` (not a prefix
/// ending in `/`).
fn api_literals(text: &str, found: &mut BTreeSet<String>) {
    for (at, _) in text.match_indices("\"/api/v1/") {
        let rest = &text[at + 1..];
        if let Some(end) = rest.find('"') {
            let literal = &rest[..end];
            let path_like = literal
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/.-_".contains(&b));
            if path_like && !literal.ends_with('/') {
                found.insert(literal.to_owned());
            }
        }
    }
}

fn sources(dir: &Path, found: &mut BTreeSet<String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path).expect("a source file");
            api_literals(&text, found);
        }
    }
}

/// The router serves what [`routes`] lists, each described; a `/api/v1` path written
/// anywhere else in the code (a route added beside the list) fails here.
#[test]
fn every_api_path_in_the_code_is_in_the_document() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = BTreeSet::new();
    for dir in ["src", "../app/src"] {
        sources(&root.join(dir), &mut found);
    }
    let doc = document();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();
    let missing: Vec<_> = found.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "in the code, not in the document: {missing:?}"
    );
    assert_eq!(
        documented,
        BTreeSet::from([ME_PATH, REVOKE_PATH, OPENAPI_PATH].map(str::to_owned))
    );
}
