//! Document loading: any bytes, JSON or YAML, must give a document or an error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut diags = codegen::Diagnostics::default();
    let _ = codegen::load(data, &mut diags);
});
