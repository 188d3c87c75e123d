//! Logging, alone in its own test binary: `tracing` keeps per-callsite interest in process-wide
//! caches, so a scoped subscriber in one test can miss events while other tests register the
//! same callsites on other threads. Here nothing runs beside it.

mod common;

use common::{ACCOUNT, client, fail, ok, serve};
use std::sync::{Arc, Mutex};

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn request_spans_name_the_call_and_never_the_key() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let departing = ACCOUNT.replace(r#""name":"n""#, r#""name":7"#);
    let server = serve(vec![fail(502), ok(ACCOUNT), ok(&departing)]).await;
    let c = client(&server.url);
    c.accounts().get("acc_secret_path").send().await.unwrap();
    // A departure lenient decoding repaired is a warning naming its place and the repair.
    let repaired = c.accounts().get("acc_1").send().await.unwrap();
    assert_eq!(repaired.name().map(String::as_str), Some("7"));
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("api_request"), "{text}");
    assert!(text.contains("path=\"/accounts/{id}\""), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(text.contains("status=502"), "{text}");
    let warning = text
        .lines()
        .find(|l| l.contains("openapi_sdkgen_runtime::decode"))
        .unwrap_or_else(|| panic!("no decode warning in:\n{text}"));
    assert!(warning.contains("WARN"), "{warning}");
    assert!(warning.contains("pointer=/name"), "{warning}");
    assert!(warning.contains("repair=TextFromNumber"), "{warning}");
    assert!(
        !text.contains("secret123"),
        "the key leaked into logs:\n{text}"
    );
}
