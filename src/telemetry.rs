//! Structured logs with `tracing`.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::LogFormat;

/// Installs the global subscriber, writing to `sink`, in colour only when
/// `colours` (the sink is a terminal): colour codes in a log file or a
/// captured output are noise. Safe to call twice (tests do): the second call
/// is ignored.
pub fn init<W>(filter: &str, format: LogFormat, sink: W, colours: bool)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(sink).with_ansi(colours);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}
