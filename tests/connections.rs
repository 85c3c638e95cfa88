//! Connections within bounds: idle and trickling clients are closed after the header
//! deadline and never starve a normal request; at the connection cap the connection idle the
//! longest makes room; SIGTERM ends the server after its grace period even while a client
//! holds a half-sent request. (Every wait below is a bound on a failure, not a measure.)

use crate::support;

use std::time::Duration;

use reqwest::StatusCode;
use support::{TestDb, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Far more than any deadline below: past it, the test fails.
const BOUND: Duration = Duration::from_secs(20);

async fn open(server: &TestServer) -> TcpStream {
    let host = server.base.trim_start_matches("http://");
    TcpStream::connect(host).await.expect("connect")
}

/// Whether the server closed `stream` (end of stream, or reset) within [`BOUND`].
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 1024];
    let read = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(BOUND, read).await.is_ok()
}

async fn healthz(server: &TestServer) -> StatusCode {
    let client = reqwest::Client::builder()
        .timeout(BOUND)
        .build()
        .expect("client");
    client
        .get(server.url("/healthz"))
        .send()
        .await
        .expect("a normal request is answered")
        .status()
}

#[tokio::test]
async fn idle_and_trickling_connections_are_closed_and_never_starve_a_request() {
    let db = TestDb::new();
    db.seed();
    let server = TestServer::start_with(&db, &[("JETONS_HEADER_READ_TIMEOUT", "2s")]);
    let mut idle = Vec::new();
    let mut trickling = Vec::new();
    let opened = std::time::Instant::now();
    for _ in 0..250 {
        idle.push(open(&server).await);
        let mut stream = open(&server).await;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .expect("first bytes");
        trickling.push(stream);
    }
    let asked = std::time::Instant::now();
    assert_eq!(healthz(&server).await, StatusCode::OK);
    let answered_in = asked.elapsed();
    // The trickling clients keep sending, a header line now and then, never the end.
    let keep_trickling = tokio::spawn(async move {
        for round in 0..6 {
            for stream in &mut trickling {
                let _ = stream
                    .write_all(format!("X-Slow-{round}: 1\r\n").as_bytes())
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        trickling
    });
    assert_eq!(healthz(&server).await, StatusCode::OK);
    for stream in &mut idle {
        assert!(
            closed_by_server(stream).await,
            "an idle connection stayed open"
        );
    }
    let idle_closed = opened.elapsed();
    let mut trickling = keep_trickling.await.expect("trickling");
    for stream in &mut trickling {
        assert!(
            closed_by_server(stream).await,
            "a trickling connection stayed open"
        );
    }
    let trickling_closed = opened.elapsed();
    assert_eq!(healthz(&server).await, StatusCode::OK);
    eprintln!(
        "with 500 connections held open, /healthz answered in {answered_in:?}; all idle ones \
         closed {idle_closed:?} and all trickling ones {trickling_closed:?} after they opened"
    );
}

#[tokio::test]
async fn at_the_cap_the_connection_idle_the_longest_makes_room() {
    let db = TestDb::new();
    db.seed();
    let server = TestServer::start_with(
        &db,
        &[
            ("JETONS_MAX_CONNECTIONS", "20"),
            ("JETONS_HEADER_READ_TIMEOUT", "10m"),
        ],
    );
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(open(&server).await);
        // Accepted in this order: the first is the one idle the longest.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(healthz(&server).await, StatusCode::OK);
    assert!(
        closed_by_server(&mut idle[0]).await,
        "the oldest idle connection stayed open"
    );
    let still_open = async {
        let mut buffer = [0u8; 1];
        idle[19].read(&mut buffer).await
    };
    assert!(
        tokio::time::timeout(Duration::from_millis(300), still_open)
            .await
            .is_err(),
        "the newest idle connection was closed instead"
    );
}

#[tokio::test]
async fn sigterm_ends_the_server_after_its_grace_period_despite_a_half_sent_request() {
    let db = TestDb::new();
    db.seed();
    let mut server = TestServer::start_with(
        &db,
        &[
            ("JETONS_SHUTDOWN_GRACE", "1s"),
            ("JETONS_HEADER_READ_TIMEOUT", "10m"),
        ],
    );
    let mut half = open(&server).await;
    half.write_all(b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Le")
        .await
        .expect("half a request");
    assert_eq!(healthz(&server).await, StatusCode::OK);
    let status = server.terminate(BOUND);
    assert!(
        status.is_some(),
        "the server was still running after SIGTERM"
    );
    assert!(closed_by_server(&mut half).await);
}

#[tokio::test]
async fn a_body_sent_too_slowly_gets_408() {
    let db = TestDb::new();
    db.seed();
    let server = TestServer::start_with(&db, &[("JETONS_BODY_READ_TIMEOUT", "1s")]);
    let mut slow = open(&server).await;
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlogin=adm",
        server.base.trim_start_matches("http://"),
        server.base
    );
    slow.write_all(head.as_bytes())
        .await
        .expect("a partial body");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(BOUND, async {
        let mut buffer = [0u8; 4096];
        loop {
            match slow.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
            if String::from_utf8_lossy(&answer).contains("too_slow") {
                break;
            }
        }
    });
    assert!(read.await.is_ok(), "no answer");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""error":"too_slow""#), "{answer}");
}
