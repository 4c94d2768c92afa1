//! Clients that hold connections without using them: one trickling its
//! request's headers (slowloris), one that sends nothing, one idle between
//! requests. Each is disconnected once the header timeout has passed.

use std::time::{Duration, Instant};

use convive::clock::Clock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{ON_DEMAND, TestApp, spawn_app_with_parts};

/// The header timeout the app gets in these tests.
const HEADER_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a test waits for the server to hang up before calling it a
/// failure: well past the timeout, far short of "indefinitely".
const HANG_UP_WITHIN: Duration = Duration::from_secs(10);

async fn spawn_app_with_a_short_header_timeout() -> TestApp {
    spawn_app_with_parts(Clock::system(), ON_DEMAND, |settings| {
        settings.http_header_timeout_seconds = HEADER_TIMEOUT.as_secs();
    })
    .await
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://")).await.expect("the app accepts connections")
}

/// Reads until the server closes the connection (end of stream or reset),
/// for at most `HANG_UP_WITHIN`; returns what it sent meanwhile.
async fn read_until_hung_up(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    let outcome = tokio::time::timeout(HANG_UP_WITHIN, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    assert!(outcome.is_ok(), "the connection was still open after {HANG_UP_WITHIN:?}");
    received
}

#[tokio::test]
async fn a_client_trickling_its_request_headers_is_disconnected() {
    let app = spawn_app_with_a_short_header_timeout().await;
    let mut stream = connect(&app).await;
    let started = Instant::now();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: convive.test\r\n").await.unwrap();
    // One more header byte every 100 ms, never the blank line that ends the
    // head: each byte would reset a timeout that counted only silence.
    let mut ticks = tokio::time::interval(Duration::from_millis(100));
    let mut buffer = [0_u8; 1024];
    let hung_up = tokio::time::timeout(HANG_UP_WITHIN, async {
        loop {
            tokio::select! {
                read = stream.read(&mut buffer) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => panic!("an answer to an unfinished request: {:?}", String::from_utf8_lossy(&buffer[..n])),
                },
                _ = ticks.tick() => {
                    if stream.write_all(b"X-Slow: a\r\n").await.is_err() {
                        return;
                    }
                }
            }
        }
    })
    .await;
    assert!(hung_up.is_ok(), "a trickling client was still connected after {HANG_UP_WITHIN:?}");
    assert!(started.elapsed() >= HEADER_TIMEOUT, "closed before the timeout: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_connection_that_never_sends_a_request_is_closed() {
    let app = spawn_app_with_a_short_header_timeout().await;
    let mut stream = connect(&app).await;
    let received = read_until_hung_up(&mut stream).await;
    assert!(received.is_empty(), "nothing asked, nothing answered: {:?}", String::from_utf8_lossy(&received));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_answer() {
    let app = spawn_app_with_a_short_header_timeout().await;
    let mut stream = connect(&app).await;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: convive.test\r\n\r\n").await.unwrap();
    let received = String::from_utf8(read_until_hung_up(&mut stream).await).unwrap();
    // The request was answered in full, and the connection kept open for the
    // next one (no `Connection: close`) until it had been idle too long.
    assert!(received.starts_with("HTTP/1.1 200 OK\r\n"), "{received}");
    assert!(received.ends_with(r#"{"status":"ok"}"#), "{received}");
    assert!(!received.to_ascii_lowercase().contains("connection: close"), "{received}");
}
