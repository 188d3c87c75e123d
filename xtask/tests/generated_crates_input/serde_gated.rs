//! Copied into the crate generated from `tests/generated_crates_input/features.yaml` as an example, and
//! checked by `generated_crates.rs`: without the crate's `serde` feature, a type no request
//! sends (`Invoice`, its untagged union `discount` and its tagged union `adjustment`) is read
//! but neither written nor given setters, so the four lines marked below must fail to compile,
//! while a sent type (`OrderInput`) is written and has its setters. With `serde`, the whole
//! file compiles.

fn main() {
    let invoice: feature_ops::types::Invoice = serde_json::from_str(
        r#"{"id":"in_1","total":{"amount":5,"currency":"EUR"},"status":"paid",
            "discount":"SPRING","adjustment":{"kind":"Fee","cents":3}}"#,
    )
    .unwrap();
    let order = feature_ops::types::OrderInput::new("pr_1").quantity(2);
    let _ = serde_json::to_string(&order);
    let _ = serde_json::to_string(&invoice); // needs `serde`
    let _ = serde_json::to_string(&invoice.discount); // needs `serde`
    let _ = serde_json::to_string(&invoice.adjustment); // needs `serde`
    let _ = invoice.memo("thanks"); // needs `serde`
}
