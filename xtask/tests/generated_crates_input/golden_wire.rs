//! Copied into the crate generated from `codegen/tests/golden/` by `generated_crates.rs`:
//! the generated types keep what is sent on the wire, value for value.

use golden_types::types::*;
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("decodes")
}

fn encode<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).expect("encodes")
}

#[test]
fn required_nullable_keeps_null_and_value() {
    let p: Profile = decode(json!({"id": "p1", "nickname": null}));
    assert_eq!(p.nickname, None);
    assert_eq!(encode(&p), json!({"id": "p1", "nickname": null}));
    let p: Profile = decode(json!({"id": "p1", "nickname": "Al"}));
    assert_eq!(p.nickname.as_deref(), Some("Al"));
    assert_eq!(encode(&p), json!({"id": "p1", "nickname": "Al"}));
}

#[test]
fn optional_nullable_keeps_absent_null_and_value_apart() {
    for sent in [
        json!({"id": "p1", "nickname": null}),
        json!({"id": "p1", "nickname": null, "website": null}),
        json!({"id": "p1", "nickname": null, "website": "https://example.com"}),
    ] {
        let p: Profile = decode(sent.clone());
        assert_eq!(encode(&p), sent, "round trip of {sent}");
    }
    let p: Profile = decode(json!({"id": "p1", "nickname": null, "website": null}));
    assert_eq!(p.website, Some(None));
    let p: Profile = decode(json!({"id": "p1", "nickname": null}));
    assert_eq!(p.website, None);
    assert_eq!(p.bio, None);
}

#[test]
fn nullable_items_in_arrays() {
    let sent = json!({"id": "p1", "nickname": null, "tags": ["a", null]});
    let p: Profile = decode(sent.clone());
    assert_eq!(p.tags, Some(vec![Some("a".to_owned()), None]));
    assert_eq!(encode(&p), sent);
}

#[test]
fn string_enums_know_their_values_and_keep_new_ones() {
    let s: Status = decode(json!("in-progress"));
    assert_eq!(s, Status::InProgress);
    assert_eq!(s.as_str(), "in-progress");
    assert_eq!(s.to_string(), "in-progress");
    assert_eq!("done".parse::<Status>(), Ok(Status::Done));
    let new: Status = decode(json!("paused"));
    assert_eq!(new, Status::Unknown("paused".to_owned()));
    assert_eq!(encode(&new), json!("paused"));
    let p: Provider = decode(json!("WHATSAPP"));
    assert_eq!(p, Provider::Whatsapp);
}

#[test]
fn tagged_unions_pick_by_tag_and_keep_unknown_tags() {
    let pet: Pet = decode(json!({"kind": "doggo", "good": true}));
    assert!(matches!(&pet, Pet::Dog(d) if d.good == Some(true)));
    let pet: Pet = decode(json!({"kind": "cat", "lives": 9}));
    assert!(matches!(&pet, Pet::Cat(c) if c.lives == 9));
    let fish = json!({"kind": "fish", "fins": 2});
    let pet: Pet = decode(fish.clone());
    assert_eq!(pet, Pet::Unknown(fish.clone()));
    assert_eq!(encode(&pet), fish);
    let a: Attachment = decode(json!({"type": "video", "url": "u", "seconds": 3.5}));
    assert_eq!(a.url().map(String::as_str), Some("u"), "shared fields have accessors");
    assert!(matches!(a, Attachment::Video(v) if v.seconds == 3.5));
    let r: PetRecord = decode(json!({"kind": "cat", "lives": 3, "owner": "ann"}));
    assert!(matches!(r, PetRecord::Cat(c) if c.owner == "ann"));
}

#[test]
fn a_known_tag_with_a_bad_body_is_an_error_not_unknown() {
    let bad: Result<Pet, _> = serde_json::from_value(json!({"kind": "cat"}));
    assert!(bad.is_err());
}

#[test]
fn untagged_unions_try_the_most_specific_branch_first() {
    let c: Cell = decode(json!({"formula": "=A1", "cached": 2}));
    assert_eq!(encode(&c), json!({"formula": "=A1", "cached": 2.0}));
    let c: Cell = decode(json!({"formula": "=A1"}));
    assert_eq!(encode(&c), json!({"formula": "=A1"}));
    assert!(matches!(decode::<Cell>(json!("text")), Cell::StringType(_)));
    assert!(matches!(decode::<Cell>(json!([1, 2])), Cell::Array(v) if v == vec![1, 2]));
    assert!(matches!(decode::<Cell>(json!(true)), Cell::Boolean(true)));
    assert!(matches!(decode::<Cell>(json!(5)), Cell::Integer(5)));
    assert!(matches!(decode::<Cell>(json!({"other": 1})), Cell::Other(_)));
    let e: Expiry = decode(json!({"at": null}));
    assert_eq!(e.at, Some(None));
}

#[test]
fn an_untagged_branch_that_recognizes_a_value_owns_its_error() {
    let err = |v: Value| serde_json::from_value::<Payment>(v).unwrap_err().to_string();
    let card: Payment = decode(json!({"object": "card", "last4": "4242"}));
    assert!(matches!(card, Payment::PaymentCard(_)));
    // Fixed to `card`: a bad field is the union's error, naming the path and the property.
    let e = err(json!({"object": "card", "last4": 4242}));
    assert!(e.starts_with("at `last4`: for `object` = `card`: invalid type"), "{e}");
    // Known to the tagged union: its error too.
    let e = err(json!({"kind": "Circle", "radius": "wide"}));
    assert!(e.starts_with("at `radius`: for `kind` = `Circle`: invalid type"), "{e}");
    // Both lists are fixed to `list`: neither owns it, so the second is still tried.
    let codes: Payment = decode(json!({"object": "list", "data": [1, 2]}));
    assert!(matches!(codes, Payment::PaymentCodes(_)));
    // Recognized by nothing: as before (a tagged union keeps an unknown tag).
    assert!(matches!(
        decode::<Payment>(json!({"kind": "Hexagon"})),
        Payment::Shape(Shape::Unknown(_))
    ));
    // Through a union in a union.
    assert!(serde_json::from_value::<Wallet>(json!({"object": "card", "last4": 1})).is_err());
    assert!(matches!(decode::<Wallet>(json!(3)), Wallet::Integer(3)));
    assert_eq!(encode(&card), json!({"object": "card", "last4": "4242"}));
}

#[test]
fn all_of_merges_properties() {
    let a: Article = decode(json!({"id": 7, "title": "t", "created": "2025-01-01T00:00:00Z"}));
    assert_eq!((a.id, a.title.as_str()), (7, "t"));
}

#[test]
fn maps_and_flattened_additional_properties() {
    let m: Metadata = decode(json!({"version": 2, "team": "core"}));
    assert_eq!(m.additional_properties.get("team").map(String::as_str), Some("core"));
    assert_eq!(encode(&m), json!({"version": 2, "team": "core"}));
    let l: Labels = decode(json!({"a": "b"}));
    assert_eq!(l.len(), 1);
}

#[test]
fn recursive_types_nest() {
    let t: TreeNode = decode(json!({"name": "root", "children": [{"name": "leaf", "parent": {"name": "root"}}]}));
    let leaf = &t.children.as_ref().expect("children")[0];
    assert_eq!(leaf.parent.as_ref().map(|p| p.name.as_str()), Some("root"));
}

#[test]
fn dates_are_typed_and_a_malformed_one_fails_naming_its_path() {
    let f: Formats = decode(json!({
        "small": 1, "big": 9007199254740993i64, "plain": 3, "ratio": 0.5, "flag": false,
        "at": "2025-06-01T12:00:00.250+02:00", "day": "2025-06-01", "id": "not-a-uuid"
    }));
    assert_eq!(f.big, 9007199254740993);
    let at: golden_types::engine::Timestamp = "2025-06-01T10:00:00.25Z".parse().unwrap();
    assert_eq!(f.at, Some(at));
    assert_eq!(f.day, Some(golden_types::engine::Date::constant(2025, 6, 1)));
    assert_eq!(encode(&f)["at"], "2025-06-01T10:00:00.25Z");
    let bad = json!({"small": 1, "big": 2, "plain": 3, "ratio": 0.5, "flag": false, "day": "not a date"});
    let err = serde_path_to_error::deserialize::<_, Formats>(bad).unwrap_err();
    assert_eq!(err.path().to_string(), "day");
}

#[test]
fn read_only_fields_may_be_left_out_of_requests() {
    let w: Widget = decode(json!({"secret": "s", "size": 2}));
    assert_eq!(encode(&w), json!({"secret": "s", "size": 2}));
}

#[test]
fn odd_property_names_keep_their_wire_names() {
    let sent = json!({"type": "t", "Self": "s", "2fa": true, "": "e", "café": "c", "$": "d", "first-name": "f"});
    let t: Type = decode(sent.clone());
    assert_eq!(t.cafe.as_deref(), Some("c"));
    assert_eq!(t.dollar.as_deref(), Some("d"));
    assert_eq!(encode(&t), sent);
    let form: T1099Form = decode(json!("+"));
    assert_eq!(form, T1099Form::Plus);
}

#[test]
fn identical_inline_shapes_share_one_type() {
    let o: Order = decode(json!({"shipping_address": {"city": "a"}, "billing_address": {"city": "b"}}));
    let same: Option<OrderShippingAddress> = o.billing_address;
    assert_eq!(same.and_then(|a| a.city).as_deref(), Some("b"));
}

#[test]
fn constructors_take_required_fields_and_fill_fixed_ones() {
    let mut invoice = Invoice::new("INV-1", 12.5, vec!["a".to_owned()])
        .paid(true)
        .voided_reason("duplicate");
    invoice.additional_properties.insert("region".into(), "eu".into());
    assert_eq!(
        encode(&invoice),
        json!({
            "object": "Invoice", "number": "INV-1", "total": 12.5, "note": null,
            "lines": ["a"], "paid": true, "voided_reason": "duplicate", "region": "eu"
        })
    );
    // Decoding what was sent gives the same value back.
    assert_eq!(decode::<Invoice>(encode(&invoice)), invoice);
    // Renamed fields keep their wire names, and setters reach them.
    let t = Type::new().new2("n").clone2("c");
    assert_eq!(encode(&t.clone()), json!({"new": "n", "clone": "c"}));
}

#[test]
fn scalar_all_of_is_the_scalar_and_loose_items_take_one_or_many() {
    let d: Droplet = decode(json!({"region": "nyc3", "size": "s-1vcpu-1gb", "count": 3}));
    assert_eq!(d.region.as_deref(), Some("nyc3"));
    assert_eq!(d.size, Some(SizeSlug::S1vcpu1gb));
    assert_eq!(d.count, Some(3));
    let d: Droplet = decode(json!({"region": null, "tags": "web", "owners": {"id": "o1"}}));
    assert_eq!(d.region, None);
    assert_eq!(d.tags, Some(DropletTags::StringType("web".to_owned())));
    assert!(matches!(d.owners, Some(DropletOwners::Owner(ref o)) if o.id.as_deref() == Some("o1")));
    let sent = json!({"region": "ams3", "tags": ["a", "b"], "owners": [{"id": "o1"}, {"id": "o2"}]});
    let d: Droplet = decode(sent.clone());
    assert_eq!(d.tags, Some(DropletTags::Array(vec!["a".to_owned(), "b".to_owned()])));
    assert!(matches!(d.owners, Some(DropletOwners::Array(ref list)) if list.len() == 2));
    assert_eq!(encode(&d), sent);
    // Any other value is valid where `items` has no `type`, and is kept.
    let d: Droplet = decode(json!({"region": "ams3", "tags": 7}));
    assert_eq!(d.tags, Some(DropletTags::Other(json!(7))));
}
