//! The 3.1 -> 3.0 lowering and the repairs, on any JSON or YAML value.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(mut value) = codegen::load::parse_value(data) {
        let mut diags = codegen::Diagnostics::default();
        codegen::normalize::v31_to_v30(&mut value, &mut diags);
        codegen::normalize::repair(&mut value, &mut diags);
    }
});
