//! The 3.1 -> 3.0 lowering and the repairs, on any JSON or YAML value: an object is loaded as
//! a 3.1 document, so both rewrites run over it before decoding.
#![no_main]

use serde_json::{Value, json};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(Value::Object(mut doc)) = openapi_sdkgen::parse_value(data) else {
        return;
    };
    doc.insert("openapi".into(), json!("3.1.0"));
    let Ok(bytes) = serde_json::to_vec(&Value::Object(doc)) else {
        return;
    };
    let mut diags = openapi_sdkgen::Diagnostics::default();
    let _ = openapi_sdkgen::load(&bytes, &mut diags);
});
