//! A client for the Notes API (`openapi.yaml`), generated at build time by `build.rs`.
//!
//! ```no_run
//! # async fn run() -> notes_client::engine::Result<()> {
//! let client = notes_client::Client::new(None, Some("my-key"))?;
//! let note = notes_client::types::NewNote::new("Buy milk").tags(vec!["home".into()]);
//! let created = client.notes().create(note).send().await?;
//! let tagged = client.notes().list().tag("home").send().await?;
//! # let _ = (created, tagged); Ok(()) }
//! ```

// The client, the runtime as `engine`, and the generated modules (`notes`, `types`), at the
// crate root, where the generated code expects them.
include!(concat!(env!("OUT_DIR"), "/sdkgen/lib.rs"));
