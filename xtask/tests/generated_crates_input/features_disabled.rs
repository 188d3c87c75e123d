//! Copied into the crate generated from `tests/generated_crates_input/features.yaml` as an example, and
//! checked by `generated_crates.rs` with only the `billing` and `orders` features: it names
//! the `catalog` group, a `catalog`-only type, the `refunds` operation of the untagged
//! module (which `orders` compiles) and a payload only a webhook carries (the `webhooks`
//! feature), so the check must fail on each of them: gated items are really gone, not merely
//! hidden.

fn main() {
    let client = feature_ops::Client::new(None, None).unwrap();
    let _ = client.catalog();
    let _: Option<feature_ops::types::Product> = None;
    let _ = client.default().get_refund("re_1");
    let _: Option<feature_ops::types::InvoicePaid> = None;
}
