//! The conformance test of a generated crate, written by `cargo xtask corpus --conformance`
//! (the line naming the crate is filled in there). It decodes every instance listed in the
//! file `CONFORMANCE_INSTANCES` names into the type the generated table gives its schema,
//! re-encodes it, and writes one JSON line per instance to `CONFORMANCE_RESULTS`; xtask
//! compares and counts. One test binary per crate reads them all: one compile per document.

#[allow(unused_imports)]
use __CRATE__::types;
// The table names the runtime's types (dates, timestamps) as `crate::engine::…`, the way the
// library does: this import gives the test crate that path too.
#[allow(unused_imports)]
use __CRATE__::engine;

#[path = "conformance/table.rs"]
mod table;

use std::io::Write as _;

/// Receives the type that decodes one schema's instances.
trait Check {
    type Output;
    fn check<T: serde::de::DeserializeOwned + serde::Serialize>(&mut self) -> Self::Output;
}

/// Decode one instance, then encode it again; a failure carries the JSON path where it
/// happened, and what the runtime's lenient decoding made of the instance: its departures
/// (pointer, repair, where the type failed), or `None` when it failed too.
struct RoundTrip<'a> {
    instance: &'a serde_json::Value,
}

/// A strict failure: path, message, and the lenient decoding's departures if it succeeded.
type Failed = (String, String, Option<serde_json::Value>);

impl Check for RoundTrip<'_> {
    type Output = Result<serde_json::Value, Failed>;

    fn check<T: serde::de::DeserializeOwned + serde::Serialize>(&mut self) -> Self::Output {
        let decoded: T = serde_path_to_error::deserialize(self.instance).map_err(|e| {
            let bytes = serde_json::to_vec(self.instance).unwrap_or_default();
            let lenient = engine::decode_body::<T>(bytes, engine::Decoding::Lenient)
                .ok()
                .map(|(_, departures)| {
                    departures
                        .iter()
                        .map(|d| serde_json::json!({"pointer": d.pointer,
                            "repair": format!("{:?}", d.repair), "failed_at": d.failed_at}))
                        .collect()
                });
            (e.path().to_string(), e.inner().to_string(), lenient)
        })?;
        serde_json::to_value(&decoded)
            .map_err(|e| (String::new(), format!("re-encoding: {e}"), None))
    }
}

fn result_line(pointer: &str, index: usize, instance: &serde_json::Value) -> serde_json::Value {
    let outcome = std::panic::catch_unwind(|| {
        table::with_type(pointer, &mut RoundTrip { instance })
    });
    match outcome {
        Err(_) => serde_json::json!({"pointer": pointer, "index": index, "decoded": false,
            "path": ".", "error": "the decoder panicked"}),
        Ok(None) => serde_json::json!({"pointer": pointer, "index": index, "untyped": true}),
        Ok(Some(Ok(reencoded))) => serde_json::json!({"pointer": pointer, "index": index,
            "decoded": true, "reencoded": reencoded}),
        Ok(Some(Err((path, error, lenient)))) => serde_json::json!({"pointer": pointer,
            "index": index, "decoded": false, "path": path, "error": error, "lenient": lenient}),
    }
}

#[test]
fn instances_decode_and_round_trip() {
    // Without the files (a plain `cargo test`), there is nothing to check.
    let (Ok(instances), Ok(results)) = (
        std::env::var("CONFORMANCE_INSTANCES"),
        std::env::var("CONFORMANCE_RESULTS"),
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&instances).expect("instances file");
    let all: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("instances are a JSON object");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&results).expect("results file"));
    for (pointer, entry) in &all {
        let list = entry["instances"].as_array().cloned().unwrap_or_default();
        for (index, instance) in list.iter().enumerate() {
            let line = result_line(pointer, index, instance);
            writeln!(out, "{line}").expect("write results");
        }
    }
    out.flush().expect("flush results");
}
