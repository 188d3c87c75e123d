//! Generation from an arbitrary document. Inputs that parse as a JSON/YAML object are given
//! the fields every document needs, so the fuzzer spends its time in the IR and emitters
//! rather than on the first missing key.
#![no_main]

use serde_json::{Value, json};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(Value::Object(mut doc)) = openapi_sdkgen::parse_value(data) else {
        return;
    };
    doc.entry("openapi").or_insert(json!("3.0.3"));
    doc.entry("info")
        .or_insert(json!({"title": "fuzz", "version": "1"}));
    doc.entry("paths").or_insert(json!({}));
    let Ok(bytes) = serde_json::to_vec(&Value::Object(doc)) else {
        return;
    };
    let _ = openapi_sdkgen::generate(&bytes, &openapi_sdkgen::Options::default());
});
