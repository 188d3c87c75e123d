//! Document loading: any bytes, JSON or YAML, must give a document or an error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut diags = openapi_sdkgen::Diagnostics::default();
    let _ = openapi_sdkgen::load(data, &mut diags);
});
