//! Micro-benchmarks of the token core on the bearer hot path: generating a token, parsing it
//! (format + checksum, the check that refuses a mistyped token without I/O), hashing it for
//! the lookup, and reading it from an `Authorization` header.
//!
//! `cargo bench -p app --features domain --bench token`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use rand::rngs::OsRng;
use rand::RngCore;

use app::domain::token::ENTROPY_BYTES;
use app::domain::{parse_authorization, AuthorizationError, TokenFormatError, TokenSecret};

fn fresh_token() -> TokenSecret {
    let mut entropy = [0u8; ENTROPY_BYTES];
    OsRng.fill_bytes(&mut entropy);
    TokenSecret::from_entropy(entropy)
}

/// The token with its last character changed: same shape, wrong checksum.
fn mistyped(token: &str) -> String {
    let (head, last) = token.split_at(token.len() - 1);
    format!("{head}{}", if last == "A" { "B" } else { "A" })
}

fn generation(c: &mut Criterion) {
    c.bench_function("token/generate (OsRng + encode)", |b| b.iter(fresh_token));
    let mut entropy = [0u8; ENTROPY_BYTES];
    OsRng.fill_bytes(&mut entropy);
    c.bench_function("token/encode (fixed entropy)", |b| {
        b.iter(|| TokenSecret::from_entropy(black_box(entropy)))
    });
}

fn parsing(c: &mut Criterion) {
    let token = fresh_token().into_exposed();
    let wrong = mistyped(&token);
    assert!(TokenSecret::parse(&token).is_ok());
    assert_eq!(TokenSecret::parse(&wrong), Err(TokenFormatError::Checksum));
    c.bench_function("token/parse valid", |b| {
        b.iter(|| TokenSecret::parse(black_box(&token)))
    });
    c.bench_function("token/parse mistyped (checksum)", |b| {
        b.iter(|| TokenSecret::parse(black_box(&wrong)))
    });
}

fn hashing(c: &mut Criterion) {
    let secret = fresh_token();
    c.bench_function("token/hash (SHA-256 hex)", |b| {
        b.iter(|| black_box(&secret).hash())
    });
}

fn authorization(c: &mut Criterion) {
    let token = fresh_token().into_exposed();
    let header = format!("Bearer {token}");
    let wrong = format!("Bearer {}", mistyped(&token));
    assert!(parse_authorization([header.as_bytes()]).is_ok());
    assert_eq!(
        parse_authorization([wrong.as_bytes()]),
        Err(AuthorizationError::NotAToken)
    );
    c.bench_function("authorization/parse Bearer valid", |b| {
        b.iter(|| parse_authorization([black_box(header.as_bytes())]))
    });
    c.bench_function("authorization/parse Bearer mistyped", |b| {
        b.iter(|| parse_authorization([black_box(wrong.as_bytes())]))
    });
}

criterion_group!(benches, generation, parsing, hashing, authorization);
criterion_main!(benches);
