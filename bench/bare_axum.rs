//! The ceiling `bench/run.sh` measures Convive against: a bare axum handler
//! on the same runtime (tokio's multi-threaded default), answering a short
//! text body, with nothing in front of it.
//!
//! ```text
//! cargo build --release --example bare_axum && target/release/examples/bare_axum 127.0.0.1:18182
//! ```

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:18182".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    let app = Router::new().route("/healthz", get(|| async { "ok" }));
    axum::serve(listener, app).await
}
