//! `GET /api/v1/openapi.json` as a client gets it: a valid OpenAPI 3.1 document, and every
//! operation it describes is served (the RFC 6750 answers it documents, never 404 or 405).

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::TestDb;

#[tokio::test]
async fn the_served_document_is_valid_and_every_described_operation_is_served() {
    let db = TestDb::new();
    db.seed();
    let server = db.start();
    let client = server.client();
    let answer = client
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("the document");
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["content-type"], "application/json");
    let doc: Value = answer.json().await.expect("JSON");
    let schema: Value = serde_json::from_str(include_str!("../server/src/api/oas-3.1-schema.json"))
        .expect("schema");
    let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(doc["openapi"], "3.1.0");

    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 3, "{paths:?}");
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let request = match method.as_str() {
                "get" => client.get(server.url(path)),
                "post" => client.post(server.url(path)),
                other => panic!("{other} {path}: a method this test does not know"),
            };
            let status = request.send().await.expect("an answer").status();
            assert!(
                status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}: {status}"
            );
            let documented = operation["responses"][status.as_str()].is_object();
            assert!(
                documented,
                "{method} {path} answered {status}, not in the document"
            );
            let needs_token = operation["security"] == serde_json::json!([{ "bearer": [] }]);
            assert_eq!(
                needs_token,
                status == StatusCode::UNAUTHORIZED,
                "{method} {path}"
            );
        }
    }
}
