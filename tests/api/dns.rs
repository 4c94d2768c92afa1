//! A real DNS server for the tests: dnslib (`tests/tools/dns_server.py`) in
//! its own process, one per test, serving the TXT records the test
//! publishes (DKIM keys, DMARC and SPF), and signing keys for the replies.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use serde_json::{Map, Value};

use crate::mailbox::tool;

pub struct DnsServer {
    pub address: SocketAddr,
    records: tempfile::NamedTempFile,
    child: Child,
}

impl DnsServer {
    /// Starts serving `records` (name, TXT value); returns once it listens.
    pub fn start(records: &[(&str, &str)]) -> Self {
        let file = tempfile::NamedTempFile::new().unwrap();
        write_records(file.path(), records);
        let mut child = Command::new("python3")
            .arg(tool("dns_server.py"))
            .arg("--records")
            .arg(file.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with dnslib is installed (tests/tools/requirements.txt)");
        // Its first line says it listens, and where.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port: u16 =
            line.trim().strip_prefix("ready ").and_then(|p| p.parse().ok()).expect("the DNS server started");
        Self { address: SocketAddr::from(([127, 0, 0, 1], port)), records: file, child }
    }

    /// Publishes `records` instead of what was published.
    pub fn publish(&self, records: &[(&str, &str)]) {
        write_records(self.records.path(), records);
    }
}

fn write_records(path: &std::path::Path, records: &[(&str, &str)]) {
    let mut map = Map::new();
    for (name, value) in records {
        map.entry((*name).to_owned())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .unwrap()
            .push(Value::String((*value).to_owned()));
    }
    std::fs::write(path, Value::Object(map).to_string()).unwrap();
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A mail provider's DKIM key: its private PEM and the TXT value publishing it.
pub struct SigningKey {
    pem: tempfile::NamedTempFile,
    pub record: String,
}

impl SigningKey {
    pub fn generate() -> Self {
        let output = Command::new("python3").arg(tool("dkim_sign.py")).arg("keygen").output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let key: Value = serde_json::from_slice(&output.stdout).unwrap();
        let pem = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(pem.path(), key["private_pem"].as_str().unwrap()).unwrap();
        Self { pem, record: key["record"].as_str().unwrap().to_owned() }
    }

    /// `raw` with a DKIM-Signature of `domain` (dkimpy, relaxed/relaxed).
    pub fn sign(&self, raw: &str, domain: &str, selector: &str) -> String {
        let mut child = Command::new("python3")
            .arg(tool("dkim_sign.py"))
            .args(["sign", "--domain", domain, "--selector", selector, "--key"])
            .arg(self.pem.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(raw.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }
}
