//! A real SMTP server for the tests: aiosmtpd (`tests/tools/smtp_capture.py`)
//! in its own process, one per test, and readers for what it received.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};

pub fn tool(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools").join(name)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub struct MailServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
    /// Whether it offers PIPELINING, as postfix does.
    pipelining: bool,
}

impl MailServer {
    pub async fn start() -> Self {
        Self::start_offering(true).await
    }

    /// A server that takes one command at a time, as some relays do.
    pub async fn start_without_pipelining() -> Self {
        Self::start_offering(false).await
    }

    async fn start_offering(pipelining: bool) -> Self {
        let mut server = Self { port: free_port(), dir: tempfile::tempdir().unwrap(), child: None, pipelining };
        server.resume().await;
        server
    }

    /// Starts (again) on the same port and folder.
    pub async fn resume(&mut self) {
        let child = Command::new("python3")
            .arg(tool("smtp_capture.py"))
            .args(["--port", &self.port.to_string(), "--dir"])
            .arg(self.dir.path())
            .args((!self.pipelining).then_some("--no-pipelining"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd is installed (see .ci/run)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_err() {
            assert!(Instant::now() < deadline, "the SMTP server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the server: connections are refused until `resume`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// From now on, every message is refused with a 550.
    pub fn reject_everything(&self) {
        std::fs::write(self.dir.path().join("REJECT"), "").unwrap();
    }

    /// From now on, RCPT for this address (in place of any refused before)
    /// gets a 550 ("no such user").
    pub fn refuse(&self, address: &str) {
        std::fs::write(self.dir.path().join("REFUSED"), address).unwrap();
    }

    pub fn messages(&self) -> Vec<Received> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                let record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
                Received {
                    rcpt_tos: record["rcpt_tos"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap().to_owned())
                        .collect(),
                    raw: record["data"].as_str().unwrap().to_owned(),
                    pipelined: record["pipelined"].as_bool().unwrap(),
                }
            })
            .collect()
    }

    /// Waits (up to `timeout`) until at least `count` messages arrived.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(Instant::now() < deadline, "expected {count} messages within {timeout:?}, got {}", messages.len());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt_tos: Vec<String>,
    pub raw: String,
    /// Whether RCPT and DATA came with MAIL, before its answer (RFC 2920).
    pub pipelined: bool,
}

impl Received {
    fn parsed(&self) -> mail_parser::Message<'_> {
        MessageParser::default().parse(self.raw.as_bytes()).expect("a parsable message")
    }

    pub fn recipient(&self) -> &str {
        &self.rcpt_tos[0]
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed().header_raw(name).map(|v| v.trim().to_owned())
    }

    pub fn kind(&self) -> String {
        self.header("X-Convive-Kind").unwrap_or_default()
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    /// The display name and address of the first mailbox of an address
    /// header (To, Reply-To), as mail-parser decodes them.
    pub fn mailbox(&self, header: &str) -> (String, String) {
        let message = self.parsed();
        let value = message.header(header).unwrap_or_else(|| panic!("no {header} header"));
        let address = value.as_address().and_then(|a| a.first()).unwrap_or_else(|| panic!("{header}: {value:?}"));
        (address.name().unwrap_or_default().to_owned(), address.address().unwrap_or_default().to_owned())
    }

    pub fn text(&self) -> String {
        self.parsed().body_text(0).map(std::borrow::Cow::into_owned).unwrap_or_default()
    }

    pub fn html(&self) -> String {
        self.parsed().body_html(0).map(std::borrow::Cow::into_owned).unwrap_or_default()
    }

    /// Every `text/calendar` part: (its full Content-Type, whether it is an
    /// attachment and its file name, its text).
    pub fn calendar_parts(&self) -> Vec<(String, Option<String>, String)> {
        let message = self.parsed();
        message
            .parts
            .iter()
            .filter(|part| {
                part.content_type().is_some_and(|ct| ct.c_type == "text" && ct.c_subtype.as_deref() == Some("calendar"))
            })
            .map(|part| {
                let ct = part.content_type().unwrap();
                let mut full = "text/calendar".to_string();
                for attribute in ct.attributes().unwrap_or_default() {
                    let (key, value) = (&attribute.name, &attribute.value);
                    let _ = write!(full, "; {key}={value}");
                }
                let attachment = part
                    .content_disposition()
                    .filter(|d| d.is_attachment())
                    .map(|_| part.attachment_name().unwrap_or_default().to_owned());
                (
                    full,
                    attachment,
                    part.text_contents()
                        .map_or_else(|| String::from_utf8_lossy(part.contents()).into_owned(), ToOwned::to_owned),
                )
            })
            .collect()
    }

    /// The first link in the text body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> String {
        let text = self.text();
        let start = text.find(prefix).unwrap_or_else(|| panic!("no link starting with {prefix} in:\n{text}"));
        text[start..].split(|c: char| c.is_whitespace() || c == '>' || c == ')').next().unwrap().to_owned()
    }
}

/// The subject and address headers of a raw message as Python's standard
/// decoders read them (`tests/tools/mail_headers.py`): what a client shows.
pub fn decode_headers(raw: &str) -> serde_json::Value {
    use std::io::Write;
    let mut child = Command::new("python3")
        .arg(tool("mail_headers.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is installed");
    child.stdin.take().unwrap().write_all(raw.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "Python could not read the headers:\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The independent parsers `parse_ics` runs.
pub const PARSERS: [&str; 3] = ["icalendar", "vobject", "icaljs"];

/// What independent iCalendar parsers (Python icalendar and vobject, and
/// ical.js, Thunderbird's) read.
pub fn parse_ics(ics: &str) -> serde_json::Value {
    use std::io::Write;
    let mut child = Command::new("python3")
        .arg(tool("ics_parse.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with icalendar and vobject, and node with ical.js, are installed (see .ci/run)");
    child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the parsers refused:\n{}\n{ics}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}
