use super::*;

fn same_origin_here(headers: &HeaderMap) -> bool {
    same_origin(headers, None)
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_static(value));
    }
    map
}

#[test]
fn the_origin_decides_when_it_is_usable() {
    assert!(same_origin_here(&headers(&[
        ("origin", "http://a:1"),
        ("host", "a:1")
    ])));
    assert!(!same_origin_here(&headers(&[
        ("origin", "http://evil:1"),
        ("sec-fetch-site", "same-origin"),
        ("host", "a:1")
    ])));
    assert!(!same_origin_here(&headers(&[("origin", "http://a:1")])));
    assert!(!same_origin_here(&headers(&[
        ("origin", "ftp://a:1"),
        ("host", "a:1")
    ])));
    assert!(same_origin_here(&headers(&[
        ("origin", "https://a:1"),
        ("host", "a:1")
    ])));
}

#[test]
fn otherwise_fetch_metadata_must_say_same_origin() {
    assert!(same_origin_here(&headers(&[
        ("sec-fetch-site", "same-origin"),
        ("origin", "null"),
        ("host", "a:1")
    ])));
    for site in ["cross-site", "same-site", "none"] {
        let mut map = headers(&[("origin", "null"), ("host", "a:1")]);
        map.insert("sec-fetch-site", HeaderValue::from_static(site));
        assert!(!same_origin_here(&map), "{site}");
    }
    assert!(!same_origin_here(&headers(&[("host", "a:1")])));
}

#[test]
fn every_server_function_declares_its_fields() {
    let fields = declared_fields();
    assert_eq!(fields.len(), 12);
    assert_eq!(
        fields.get("/api/create_token").map(Vec::len),
        Some(5),
        "{fields:?}"
    );
    assert!(check_fields("/api/remove_token", b"id=3").is_ok());
    assert!(check_fields("/api/remove_token", b"id=3&id=4").is_err());
    assert!(check_fields("/api/remove_token", b"id=3&admin=1").is_err());
    assert!(check_fields("/api/logout", b"").is_ok());
    assert!(check_fields("/api/nothing", b"").is_err());
    assert!(check_fields("/api/login", b"login=ad%00min&password=x").is_err());
    assert!(check_fields("/api/create_token", b"name=%ff%fe-x").is_err());
}

#[test]
fn a_header_given_twice_is_refused() {
    let mut map = headers(&[("origin", "http://a:1"), ("host", "a:1")]);
    map.append("host", HeaderValue::from_static("evil:1"));
    assert!(!same_origin_here(&map));
    let mut map = headers(&[("origin", "http://a:1"), ("host", "a:1")]);
    map.append("origin", HeaderValue::from_static("http://evil:1"));
    assert!(!same_origin_here(&map));
}

#[test]
fn redirects_stay_on_this_console() {
    for own in [
        "/security/api-tokens",
        "/security/api-tokens?q=x&sort=name",
        "/login",
    ] {
        assert!(crate::no_js::is_own_path(own), "{own}");
    }
    for other in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "/a b",
        "",
    ] {
        assert!(!crate::no_js::is_own_path(other), "{other}");
    }
}

#[test]
fn with_a_public_origin_only_that_origin_may_post() {
    let public = PublicOrigin::parse("https://console.example.com").expect("origin");
    let from =
        |origin: &'static str| headers(&[("origin", origin), ("host", "console.example.com")]);
    assert!(same_origin(
        &from("https://console.example.com"),
        Some(&public)
    ));
    assert!(!same_origin(
        &from("http://console.example.com"),
        Some(&public)
    ));
    assert!(!same_origin(&from("https://evil.example"), Some(&public)));
}
