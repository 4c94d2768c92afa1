//! The IMAP door against a real IMAP server: Debian's Dovecot, started per
//! test as its own unprivileged process with a temporary configuration
//! (plain login on 127.0.0.1, one passwd-file user, maildir in the test's
//! folder). Replies are delivered by IMAP APPEND, as an MTA's local
//! delivery would leave them; the test then reads the mailbox once through
//! the app (`poll_imap_once`), as its IDLE loop does when woken.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures::TryStreamExt as _;
use reqwest::StatusCode;
use tokio::net::TcpStream;

use convive::config::{ImapSecurity, Settings};

use crate::inbound::{GUEST, answer_of, fixture, invited_with};
use crate::mailbox::MailServer;

const USER: &str = "rsvp";
const PASSWORD: &str = "dovecot-test-password";

pub struct Dovecot {
    pub port: u16,
    /// Implicit TLS, when started `with_tls`.
    pub tls_port: u16,
    child: Child,
    dir: tempfile::TempDir,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

/// How a test wants its Dovecot.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `ssl = required`, with a server certificate from a private CA made
    /// for this test (openssl CLI), on STARTTLS and on implicit TLS.
    pub tls: bool,
    /// CAPABILITY without MOVE, and every command the client sends logged
    /// (Dovecot's rawlog) so the test sees which ones it used.
    pub without_move: bool,
}

/// A private CA and a `localhost` server certificate it signed, in `dir`.
fn make_certificates(dir: &std::path::Path) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output().expect("the openssl CLI");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl(
        &[
            &["req", "-x509"],
            &ec[..],
            &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Convive test CA"],
        ]
        .concat(),
    );
    openssl(&[&["req"], &ec[..], &["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]].concat());
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
}

/// Who Dovecot runs as: the current user, or `nobody` under root (Dovecot
/// refuses to run its login processes as root).
fn unprivileged() -> Option<(u32, u32)> {
    let uid = Command::new("id").arg("-u").output().expect("id");
    (String::from_utf8_lossy(&uid.stdout).trim() == "0").then_some((65534, 65534))
}

fn name_of(flag: &str) -> String {
    let out = Command::new("id").arg(flag).output().expect("id");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl Dovecot {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let root = root.as_path();
        let free_port = || std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let (port, tls_port) = (free_port(), free_port());
        let drop_to = unprivileged();
        let (user, group, uid, gid) = match drop_to {
            Some((uid, gid)) => ("nobody".to_owned(), "nogroup".to_owned(), uid, gid),
            None => (name_of("-un"), name_of("-gn"), name_of("-u").parse().unwrap(), name_of("-g").parse().unwrap()),
        };
        let path = |name: &str| root.join(name).display().to_string();
        let mut extra = String::new();
        if options.tls {
            make_certificates(root);
            let (cert, key) = (path("server.pem"), path("server.key"));
            extra = format!("ssl = required\nssl_cert = <{cert}\nssl_key = <{key}\n");
        } else {
            extra += "ssl = no\n";
        }
        if options.without_move {
            extra.push_str("imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ UIDPLUS\n");
            extra.push_str(&["rawlog_dir = ", &path("rawlog"), "\n"].concat());
        }
        let config = format!(
            "base_dir = {run}\nstate_dir = {state}\nlisten = 127.0.0.1\nprotocols = imap\n{extra}\
             disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             default_internal_user = {user}\ndefault_internal_group = {group}\ndefault_login_user = {user}\n\
             mail_location = maildir:{mail}/%u\nlog_path = /dev/stderr\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {passwd}\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={home}/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n\
             \x20 inet_listener imaps {{\n    address = 127.0.0.1\n    port = {imaps}\n  }}\n  chroot =\n}}\n\
             service anvil {{\n  chroot =\n}}\n",
            run = path("run"),
            state = path("state"),
            mail = path("mail"),
            home = path("home"),
            passwd = path("passwd"),
            imaps = if options.tls { tls_port } else { 0 },
        );
        for sub in ["run", "state", "mail", "home", "rawlog"] {
            std::fs::create_dir(root.join(sub)).unwrap();
        }
        std::fs::write(root.join("dovecot.conf"), config).unwrap();
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        if drop_to.is_some() {
            for entry in ["", "run", "state", "mail", "home", "rawlog", "dovecot.conf", "passwd"] {
                std::os::unix::fs::chown(root.join(entry), Some(uid), Some(gid)).unwrap();
            }
            if options.tls {
                for entry in ["server.pem", "server.key"] {
                    std::os::unix::fs::chown(root.join(entry), Some(uid), Some(gid)).unwrap();
                }
            }
        }
        let mut command = match drop_to {
            Some((uid, gid)) => {
                let mut command = Command::new("setpriv");
                command.args([format!("--reuid={uid}"), format!("--regid={gid}"), "--clear-groups".to_owned()]);
                command.arg("dovecot");
                command
            }
            None => Command::new("dovecot"),
        };
        let child = command
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Debian's dovecot-imapd is installed (see .ci/run)");
        let mut server = Self { port, tls_port, child, dir, log: std::sync::Arc::default() };
        server.wait_until_started().await;
        server
    }

    /// Waits, with a deadline, for Dovecot's own word that it is up: its
    /// master logs "starting up" once its listeners are bound. The rest of
    /// its log keeps draining to stderr so it never blocks on a full pipe.
    async fn wait_until_started(&mut self) {
        use std::io::BufRead as _;
        let stderr = self.child.stderr.take().expect("Dovecot's log is piped");
        let (started, said) = tokio::sync::oneshot::channel();
        let kept = std::sync::Arc::clone(&self.log);
        std::thread::spawn(move || {
            let mut started = Some(started);
            let mut log = String::new();
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                log.push_str(&line);
                log.push('\n');
                kept.lock().unwrap().push_str(&[&line, "\n"].concat());
                if line.contains("starting up")
                    && let Some(started) = started.take()
                {
                    let _ = started.send(Ok(()));
                }
            }
            if let Some(started) = started {
                let _ = started.send(Err(log));
            }
        });
        let said = tokio::time::timeout(Duration::from_secs(20), said).await.expect("Dovecot starts within 20 s");
        if let Err(log) = said.expect("Dovecot's log reader answers") {
            panic!("Dovecot stopped before it started; its log:\n{log}");
        }
    }

    /// Settings that point the app's IMAP door at this server.
    pub fn configure(&self, settings: &mut Settings) {
        settings.imap_host = Some("127.0.0.1".to_owned());
        settings.imap_port = Some(self.port);
        settings.imap_security = ImapSecurity::None;
        settings.imap_username = Some(USER.to_owned());
        settings.imap_password = Some(PASSWORD.to_owned().into());
    }

    /// The private CA that signed this server's certificate.
    pub fn ca_file(&self) -> std::path::PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Dovecot's log so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Every command clients sent after logging in (with `without_move`).
    pub fn commands(&self) -> String {
        let mut commands = String::new();
        for entry in std::fs::read_dir(self.dir.path().join("rawlog")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "in") {
                commands += &std::fs::read_to_string(path).unwrap();
            }
        }
        commands
    }

    async fn session(&self) -> async_imap::Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap().unwrap();
        client.login(USER, PASSWORD).await.map_err(|(e, _)| e).unwrap()
    }

    pub async fn create_folder(&self, folder: &str) {
        let mut session = self.session().await;
        session.create(folder).await.unwrap();
        session.logout().await.unwrap();
    }

    /// Delivers a message into `folder`, as local delivery would.
    pub async fn deliver(&self, folder: &str, raw: &str) {
        let mut session = self.session().await;
        session.append(folder, None, None, raw.as_bytes()).await.unwrap();
        session.logout().await.unwrap();
    }

    /// The flags of every message in `folder`, in order.
    pub async fn flags(&self, folder: &str) -> Vec<Vec<String>> {
        let mut session = self.session().await;
        let mailbox = session.examine(folder).await.unwrap();
        let mut flags = Vec::new();
        if mailbox.exists > 0 {
            let fetched: Vec<_> = session.fetch("1:*", "FLAGS").await.unwrap().try_collect().await.unwrap();
            flags = fetched.iter().map(|f| f.flags().map(|flag| format!("{flag:?}")).collect()).collect();
        }
        session.logout().await.unwrap();
        flags
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM, so the master stops its own children too.
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

/// A message as the MTA leaves it in the reply mailbox: `Delivered-To` first.
fn delivered(to: &str, message: &str) -> String {
    format!("Delivered-To: {to}\r\n{message}")
}

#[tokio::test]
async fn a_calendar_reply_in_the_mailbox_is_applied_in_one_poll_and_only_once() {
    let server = MailServer::start().await;
    let dovecot = Dovecot::start().await;
    let (app, event_id, to) = invited_with(&server, |s| dovecot.configure(s)).await;
    let raw = fixture("gmail", &to, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "imap-1@mail.example");
    dovecot.deliver("INBOX", &delivered(&to, &raw)).await;
    // Something else in the mailbox (a newsletter): read, marked, changes nothing.
    dovecot.deliver("INBOX", "From: news@example.net\r\nTo: rsvp@convive.test\r\nSubject: News\r\nMessage-ID: <news-1@example.net>\r\n\r\nHello\r\n").await;

    assert_eq!(app.poll_imap_once().await, 2);
    assert_eq!(answer_of(&app, &event_id).await, "yes");
    for flags in dovecot.flags("INBOX").await {
        assert!(flags.iter().any(|f| f == "Seen"), "{flags:?}");
        assert!(flags.iter().any(|f| f.contains("$ConviveProcessed")), "{flags:?}");
    }

    // Nothing new: nothing taken in.
    assert_eq!(app.poll_imap_once().await, 0);
    // The same reply delivered again (a crash between storing and marking
    // does this): taken in as a duplicate, marked, applied once.
    dovecot.deliver("INBOX", &delivered(&to, &raw)).await;
    assert_eq!(app.poll_imap_once().await, 0);
    assert_eq!(dovecot.flags("INBOX").await.len(), 3);
    assert!(dovecot.flags("INBOX").await[2].iter().any(|f| f.contains("$ConviveProcessed")));
    let history = app.get(&format!("/api/v1/events/{event_id}/answers/history")).await.expect(StatusCode::OK);
    let changes = history["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{history}");
    assert_eq!(changes[0]["channel"], "calendar");
}

#[tokio::test]
async fn the_invitation_answered_from_a_calendar_comes_back_through_dovecot_as_a_yes() {
    let server = MailServer::start().await;
    let dovecot = Dovecot::start().await;
    dovecot.create_folder("Processed").await;
    let (app, event_id, organizer) = invited_with(&server, |s| {
        dovecot.configure(s);
        s.imap_processed_folder = Some("Processed".to_owned());
    })
    .await;

    // Her calendar turns the invitation's REQUEST into a REPLY: same event,
    // her ATTENDEE line alone, PARTSTAT=ACCEPTED, sent to the ORGANIZER.
    let invitation = server.messages().into_iter().find(|m| m.recipient() == GUEST).expect("her invitation");
    let (_, _, request) = invitation.calendar_parts().into_iter().next().expect("a calendar part");
    let unfolded = request.replace("\r\n ", "");
    let mut reply = Vec::new();
    for line in unfolded.lines() {
        if line.starts_with("ATTENDEE") {
            assert!(line.to_ascii_lowercase().ends_with(&format!("mailto:{GUEST}")), "{line}");
            reply.push(line.replace("PARTSTAT=NEEDS-ACTION", "PARTSTAT=ACCEPTED").replace(";RSVP=TRUE", ""));
        } else if line == "METHOD:REQUEST" {
            reply.push("METHOD:REPLY".to_owned());
        } else if !line.starts_with("DESCRIPTION") {
            reply.push(line.to_owned());
        }
    }
    assert!(reply.iter().any(|l| l == "METHOD:REPLY") && reply.iter().any(|l| l.contains("PARTSTAT=ACCEPTED")));
    let message = format!(
        "From: =?UTF-8?Q?Zo=C3=A9_Lef=C3=A8vre?= <{GUEST}>\r\nTo: {organizer}\r\n\
         Subject: Accepted: {subject}\r\nMessage-ID: <e2e-accept@mail.example>\r\n\
         Date: Sun, 6 Dec 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/calendar; method=REPLY; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        subject = "Petit-déjeuner",
        body = reply.join("\r\n"),
    );
    dovecot.deliver("INBOX", &delivered(&organizer, &message)).await;

    assert_eq!(app.poll_imap_once().await, 1);
    assert_eq!(answer_of(&app, &event_id).await, "yes");
    // Moved out of the folder read, into the processed one, marked.
    assert!(dovecot.flags("INBOX").await.is_empty());
    let processed = dovecot.flags("Processed").await;
    assert_eq!(processed.len(), 1);
    assert!(processed[0].iter().any(|f| f.contains("$ConviveProcessed")), "{processed:?}");

    // The organiser hears of it, and that it came from her calendar.
    app.dispatch_all_pending_emails().await;
    let note = server
        .messages()
        .into_iter()
        .find(|m| m.recipient() == "anne@example.org" && m.text().contains("Zoé"))
        .expect("the organiser's note");
    assert!(note.text().contains("Cette réponse vient de son agenda"), "{}", note.text());
    assert_eq!(app.poll_imap_once().await, 0, "nothing is left to take in");
}

#[tokio::test]
async fn a_running_server_takes_a_reply_in_as_soon_as_it_arrives_by_idle() {
    let server = MailServer::start().await;
    let dovecot = Dovecot::start().await;
    // The whole app (scheduler, dispatcher, IMAP door), with an IDLE so long
    // that only the server's word on a new message can wake the door.
    let app = crate::helpers::spawn_app_with(convive::clock::Clock::system(), |s| {
        crate::helpers::send_mail_to(s, &server);
        s.reply_address = Some("rsvp@convive.test".to_owned());
        dovecot.configure(s);
        s.imap_poll_seconds = 1740;
    })
    .await;
    let event_id = app.create_published_event(serde_json::json!({ "title": "Petit-déjeuner" })).await;
    app.post(&format!("/api/v1/events/{event_id}/guests"), serde_json::json!({ "email": GUEST, "name": "Zoé" }))
        .await
        .expect(StatusCode::CREATED);
    let invitation = server.wait_for(1, Duration::from_secs(20)).await.remove(0);
    assert_eq!(invitation.recipient(), GUEST);
    let (_, _, ics) = invitation.calendar_parts().into_iter().next().expect("a calendar part");
    let unfolded = ics.replace("\r\n ", "");
    let organizer = unfolded.lines().find(|l| l.starts_with("ORGANIZER")).unwrap().rsplit_once("mailto:").unwrap().1;

    let raw = fixture("gmail", organizer, GUEST, &format!("{event_id}@convive"), "ACCEPTED", "idle-1@mail.example");
    dovecot.deliver("INBOX", &delivered(organizer, &raw)).await;
    // Taking the reply in queues the organiser's note; the door marks the
    // message as soon as it is stored, before that note can have gone out.
    let messages = server.wait_for(2, Duration::from_secs(20)).await;
    assert!(messages[1].text().contains("Cette réponse vient de son agenda"), "{}", messages[1].text());
    assert_eq!(answer_of(&app, &event_id).await, "yes");
    assert!(dovecot.flags("INBOX").await[0].iter().any(|f| f.contains("$ConviveProcessed")), "the message is marked");
}

#[tokio::test]
async fn the_mailbox_is_read_over_starttls_and_implicit_tls_trusting_a_private_ca() {
    use convive::mail::inbound::imap::ImapSettings;

    let server = MailServer::start().await;
    let dovecot = Dovecot::start_with(Options { tls: true, ..Options::default() }).await;
    let (app, event_id, to) = invited_with(&server, |s| {
        dovecot.configure(s);
        s.imap_host = Some("localhost".to_owned());
        s.imap_security = ImapSecurity::Starttls;
        s.imap_ca_file = Some(dovecot.ca_file());
    })
    .await;
    let uid = format!("{event_id}@convive");
    let raw = fixture("gmail", &to, GUEST, &uid, "TENTATIVE", "tls-1@mail.example");
    dovecot.deliver("INBOX", &delivered(&to, &raw)).await;

    // Without the private CA, the server's certificate is not trusted: nothing is read.
    let untrusted = app.try_poll_imap_with(|imap: &mut ImapSettings| imap.ca_file = None).await;
    let error = format!("{:#}", untrusted.expect_err("an unknown CA is refused"));
    assert!(error.contains("TLS handshake"), "{error}");
    assert!(answer_of(&app, &event_id).await.is_null());

    // With it, over STARTTLS: read, and Dovecot says the login was under TLS.
    assert_eq!(app.poll_imap_once().await, 1);
    assert_eq!(answer_of(&app, &event_id).await, "maybe");
    // (The test's own deliveries log in from localhost in plain text, "secured".)
    let log = dovecot.log();
    assert_eq!(log.lines().filter(|l| l.contains("Login: user=<rsvp>") && l.contains(", TLS,")).count(), 1, "{log}");

    // Over implicit TLS on its own port, the same.
    let raw = fixture("gmail", &to, GUEST, &uid, "ACCEPTED", "tls-2@mail.example");
    dovecot.deliver("INBOX", &delivered(&to, &raw)).await;
    let port = dovecot.tls_port;
    let taken = app
        .try_poll_imap_with(|imap: &mut ImapSettings| {
            imap.security = ImapSecurity::Tls;
            imap.port = port;
        })
        .await
        .expect("read over implicit TLS");
    assert_eq!(taken, 1);
    assert_eq!(answer_of(&app, &event_id).await, "yes");
}

#[tokio::test]
async fn a_server_without_move_still_gets_processed_messages_filed() {
    let server = MailServer::start().await;
    let dovecot = Dovecot::start_with(Options { without_move: true, ..Options::default() }).await;
    dovecot.create_folder("Processed").await;
    let (app, event_id, to) = invited_with(&server, |s| {
        dovecot.configure(s);
        s.imap_processed_folder = Some("Processed".to_owned());
    })
    .await;
    let uid = format!("{event_id}@convive");
    for (n, partstat) in [(1, "DECLINED"), (2, "ACCEPTED")] {
        let raw = fixture("gmail", &to, GUEST, &uid, partstat, &format!("nomove-{n}@mail.example"));
        dovecot.deliver("INBOX", &delivered(&to, &raw)).await;
    }

    assert_eq!(app.poll_imap_once().await, 2);
    assert_eq!(answer_of(&app, &event_id).await, "yes");
    let processed = dovecot.flags("Processed").await;
    assert_eq!(processed.len(), 2, "{processed:?}");
    assert!(processed.iter().all(|f| f.iter().any(|f| f.contains("$ConviveProcessed"))), "{processed:?}");
    assert!(dovecot.flags("INBOX").await.is_empty());
    // By COPY and UID EXPUNGE (only those messages: never a bare EXPUNGE),
    // not by the MOVE the server does not offer.
    let commands = dovecot.commands().to_ascii_uppercase();
    assert!(commands.contains("UID COPY") && commands.contains("UID EXPUNGE"), "{commands}");
    assert!(!commands.contains(" MOVE "), "{commands}");
    assert!(!commands.lines().any(|l| l.split_whitespace().nth(1) == Some("EXPUNGE")), "{commands}");
}
