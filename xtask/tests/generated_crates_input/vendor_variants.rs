//! Copied into the crate generated from the vendor-shaped fixture by `generated_crates.rs`,
//! beside `samples.json` (one sample per variant, synthesised from the fixture's schemas):
//! the post, profile and account-owner unions are real tagged enums (`#[non_exhaustive]`, so
//! a match needs a `_` arm for variants a later document adds).

use serde_json::Value;
use vendor_shape::types::*;

fn samples(key: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(include_str!("samples.json")).expect("samples.json");
    all[key].as_array().expect("sample list").clone()
}

#[test]
fn post_variants() {
    let got: Vec<&str> = samples("posts")
        .into_iter()
        .map(|s| match serde_json::from_value::<PostsGetResponse>(s).expect("decodes") {
            PostsGetResponse::Linkedin(_) => "LINKEDIN",
            PostsGetResponse::Instagram(_) => "INSTAGRAM",
            PostsGetResponse::Unknown(_) => "unknown",
            _ => "a variant added later",
        })
        .collect();
    assert_eq!(got, ["LINKEDIN", "INSTAGRAM"]);
}

#[test]
fn profile_variants() {
    use UsersGetProfileByIdentifierResponse as P;
    let got: Vec<&str> = samples("profiles")
        .into_iter()
        .map(|s| match serde_json::from_value::<P>(s).expect("decodes") {
            P::LinkedIn(_) => "LINKEDIN",
            P::Whatsapp(_) => "WHATSAPP",
            P::Instagram(_) => "INSTAGRAM",
            P::Telegram(_) => "TELEGRAM",
            P::Twitter(_) => "TWITTER",
            P::Unknown(_) => "unknown",
            _ => "a variant added later",
        })
        .collect();
    assert_eq!(got, ["LINKEDIN", "WHATSAPP", "INSTAGRAM", "TELEGRAM", "TWITTER"]);
}

#[test]
fn account_owner_variants() {
    use UsersGetAccountOwnerProfileResponse as A;
    let got: Vec<&str> = samples("owners")
        .into_iter()
        .map(|s| match serde_json::from_value::<A>(s).expect("decodes") {
            A::LinkedIn(_) => "LINKEDIN",
            A::Telegram(_) => "TELEGRAM",
            A::Twitter(_) => "TWITTER",
            A::Gmail(_) => "GMAIL",
            A::Outlook(_) => "OUTLOOK",
            A::Imap(_) => "IMAP",
            A::Unknown(_) => "unknown",
            _ => "a variant added later",
        })
        .collect();
    assert_eq!(got, ["LINKEDIN", "TELEGRAM", "TWITTER", "GMAIL", "OUTLOOK", "IMAP"]);
}

#[test]
fn a_new_provider_is_kept_not_refused() {
    let v: Value = serde_json::json!({"object": "UserProfile", "provider": "MASTODON", "id": "1"});
    let p: UsersGetProfileByIdentifierResponse = serde_json::from_value(v.clone()).expect("decodes");
    assert_eq!(p, UsersGetProfileByIdentifierResponse::Unknown(v));
}
