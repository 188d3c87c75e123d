//! `fetch`: download `<base>/api-json` and `<base>/api-yaml`, verify both, write `specs/` only
//! when the document changed (atomically), or report drift with `--check`.

use crate::files::write_atomic;
use anyhow::{Context, Result, bail};
use std::path::Path;

const DEFAULT_BASE: &str = "https://api.postpress.ai/v1";

fn download(
    client: &reqwest::blocking::Client,
    url: &str,
    port: Option<u16>,
    key: Option<&str>,
) -> Result<Vec<u8>> {
    let mut req = client.get(url);
    if let Some(p) = port {
        req = req.query(&[("port", p.to_string())]);
    }
    if let Some(k) = key {
        req = req.header("X-API-KEY", k);
    }
    let resp = req.send().with_context(|| format!("GET {url} failed"))?;
    let status = resp.status();
    if !status.is_success() {
        bail!("GET {url} answered {status}");
    }
    let body = resp
        .bytes()
        .with_context(|| format!("reading the body of {url}"))?;
    let head = String::from_utf8_lossy(&body[..body.len().min(200)]).to_ascii_lowercase();
    if head.trim_start().starts_with("<!doctype html") || head.trim_start().starts_with("<html") {
        bail!("GET {url} returned HTML, not an OpenAPI document");
    }
    Ok(body.to_vec())
}

/// Runs the fetch.
pub fn fetch(root: &Path, base_url: Option<String>, port: Option<u16>, check: bool) -> Result<()> {
    let base = base_url
        .or_else(|| std::env::var("POSTPRESS_BASE_URL").ok())
        .unwrap_or_else(|| DEFAULT_BASE.to_owned());
    let base = base.trim_end_matches('/');
    let key = std::env::var("POSTPRESS_API_KEY").ok();
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()?;
    let json = download(&client, &format!("{base}/api-json"), port, key.as_deref())?;
    let yaml = download(&client, &format!("{base}/api-yaml"), port, key.as_deref())?;
    let a = openapi_sdkgen::parse_value(&json).map_err(|e| anyhow::anyhow!("api-json: {e}"))?;
    let b = openapi_sdkgen::parse_value(&yaml).map_err(|e| anyhow::anyhow!("api-yaml: {e}"))?;
    if a != b {
        bail!("api-json and api-yaml describe different documents; specs/ left untouched");
    }
    openapi_sdkgen::load(&json, &mut openapi_sdkgen::Diagnostics::default())
        .map_err(|e| anyhow::anyhow!("api-json: {e}"))?;
    let current = std::fs::read(root.join("specs/postpress.json")).ok();
    let current = current.and_then(|c| openapi_sdkgen::parse_value(&c).ok());
    if current.as_ref() == Some(&a) {
        println!("fetch: specs/ is up to date");
        return Ok(());
    }
    let report =
        openapi_sdkgen::diff::compare(current.as_ref().unwrap_or(&serde_json::Value::Null), &a);
    print!(
        "{}",
        report.render("postpress-sdk", &crate::diff::sdk_version(root))
    );
    if check {
        bail!(
            "the live document differs from specs/; run `cargo xtask fetch` then `cargo xtask regen`"
        );
    }
    write_atomic(&root.join("specs/postpress.json"), &json)?;
    write_atomic(&root.join("specs/postpress.yaml"), &yaml)?;
    println!("fetch: specs/ updated; run `cargo xtask regen`");
    Ok(())
}
