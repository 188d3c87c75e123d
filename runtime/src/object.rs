//! Generated structs as JSON objects: `Deserialize` and `Serialize` written by two small
//! declarative macros instead of serde's derives, for less compile time.
//!
//! The derives write, for every struct, a field enum with three visitors, a sequence visitor
//! JSON never uses, a map visitor, and a serializer that counts its fields through a chain of
//! conditionals: most of a generated crate's expanded code, and most of its `cargo check` time.
//! [`decode_struct!`](crate::decode_struct) writes one small map visitor per struct,
//! [`encode_struct!`](crate::encode_struct) one `serialize` with a line per field; the
//! rest is generic code here, type-checked once for every struct of every generated crate.
//! Per field, the generated code is one match arm and one path call into a generic helper
//! here: no `?` per field (each early return would drop every field read so far, so a wide
//! struct's MIR would grow with the square of its fields) and no method lookup.
//! Both keep the derives' behaviour for objects: declared keys by their wire names, absent
//! optional fields left out (and `None` when read), `null` kept apart from absence where a
//! field says so, undeclared keys ignored or kept in the struct's additional-properties map,
//! a repeated key an error, a missing required field an error naming it. One difference, on
//! purpose: the derives also read a struct from an array of its field values in declaration
//! order; these read objects only (an array is no instance of an object schema), so in an
//! untagged union an array goes to an array variant, never to a struct one.
//!
//! The names the macros bring into a generated crate's type namespace start with `__` (`__D`,
//! `__A`, `__S`, `__Visitor`): a generated struct may well be called `A` or `D`, and generated
//! type names never start with an underscore.

use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct};
use std::fmt;

/// Which declared field a key names (its index in the struct's wire names), or an undeclared
/// key: its text when the struct keeps unknown keys, `None` when it ignores them.
#[doc(hidden)]
pub enum Key {
    Known(usize),
    Unknown(Option<String>),
}

/// The seed that reads one object key against a struct's wire names, without allocating for
/// declared keys.
#[doc(hidden)]
pub struct Fields {
    names: &'static [&'static str],
    keep_unknown: bool,
}

impl Fields {
    pub fn new(names: &'static [&'static str], keep_unknown: bool) -> Self {
        Self {
            names,
            keep_unknown,
        }
    }

    fn key(&self, text: &str) -> Key {
        match self.names.iter().position(|n| *n == text) {
            Some(i) => Key::Known(i),
            None => Key::Unknown(self.keep_unknown.then(|| text.to_owned())),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Fields {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Fields {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Key, E> {
        Ok(self.key(text))
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Key, E> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(self.key(text)),
            Err(_) => Ok(Key::Unknown(
                self.keep_unknown
                    .then(|| String::from_utf8_lossy(bytes).into_owned()),
            )),
        }
    }
}

/// Reads the value of a declared key into its slot; a key seen twice is an error, as with the
/// derive.
#[doc(hidden)]
pub fn slot<'de, T, A>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    T: de::Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Notes a required field left unset, unless an earlier one was.
#[doc(hidden)]
pub fn note_missing<T>(missing: &mut Option<&'static str>, slot: &Option<T>, name: &'static str) {
    if missing.is_none() && slot.is_none() {
        *missing = Some(name);
    }
}

/// A required field's value, once [`note_missing`] has found every required field present.
#[doc(hidden)]
pub fn present<T>(slot: Option<T>) -> T {
    match slot {
        Some(value) => value,
        None => unreachable!("note_missing checked every required field"),
    }
}

/// Keeps an undeclared key's value in the struct's additional-properties map.
#[doc(hidden)]
pub fn keep<'de, V, A>(
    extra: &mut std::collections::BTreeMap<String, V>,
    name: String,
    map: &mut A,
) -> Result<(), A::Error>
where
    V: de::Deserialize<'de>,
    A: MapAccess<'de>,
{
    extra.insert(name, map.next_value()?);
    Ok(())
}

/// Skips the value of an undeclared key.
#[doc(hidden)]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// `Deserialize` for a generated struct from its fields' wire names: each field is `req`
/// (must be present), `opt` or `nullable` (an `Option`, `None` when absent or `null`; they
/// differ in writing) or `double` (an `Option<Option<_>>`: absent `None`, `null`
/// `Some(None)`), numbered by its position.
/// `additional(field)` names the map that keeps undeclared keys.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __decode_struct {
    ($name:ident { $($index:literal $field:ident: $wire:literal $mode:ident),* $(,)? }) => {
        $crate::decode_struct!(@impl $name { $($index $field: $wire $mode),* } [] false);
    };
    ($name:ident { $($index:literal $field:ident: $wire:literal $mode:ident),* $(,)? } additional($extra:ident)) => {
        $crate::decode_struct!(@impl $name { $($index $field: $wire $mode),* } [$extra] true);
    };
    (@impl $name:ident { $($index:literal $field:ident: $wire:literal $mode:ident),* } [$($extra:ident)?] $keep:literal) => {
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> $crate::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<__A: $crate::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::std::result::Result<$name, __A::Error> {
                        const NAMES: &[&str] = &[$($wire),*];
                        $(let mut $field = ::std::option::Option::None;)*
                        $(let mut $extra = ::std::collections::BTreeMap::new();)?
                        // One exit for errors in the loop and one for a missing field: every
                        // early return drops every slot, so a `?` per field would make the
                        // function's MIR grow with the square of its fields.
                        loop {
                            let step = match $crate::serde::de::MapAccess::next_key_seed(
                                &mut map,
                                $crate::object::Fields::new(NAMES, $keep),
                            ) {
                                ::std::result::Result::Ok(::std::option::Option::Some(key)) => match key {
                                    $($crate::object::Key::Known($index) => {
                                        $crate::object::slot(&mut $field, &mut map, $wire)
                                    })*
                                    $($crate::object::Key::Unknown(::std::option::Option::Some(name)) => {
                                        $crate::object::keep(&mut $extra, name, &mut map)
                                    })?
                                    _ => $crate::object::skip(&mut map),
                                },
                                ::std::result::Result::Ok(::std::option::Option::None) => break,
                                ::std::result::Result::Err(error) => ::std::result::Result::Err(error),
                            };
                            if let ::std::result::Result::Err(error) = step {
                                return ::std::result::Result::Err(error);
                            }
                        }
                        #[allow(unused_mut)]
                        let mut missing: ::std::option::Option<&'static str> = ::std::option::Option::None;
                        $($crate::decode_struct!(@present $mode missing $field $wire);)*
                        if let ::std::option::Option::Some(name) = missing {
                            return ::std::result::Result::Err($crate::serde::de::Error::missing_field(name));
                        }
                        ::std::result::Result::Ok($name {
                            $($field: $crate::decode_struct!(@finish $mode $field),)*
                            $($extra,)?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@present req $missing:ident $field:ident $wire:literal) => {
        $crate::object::note_missing(&mut $missing, &$field, $wire)
    };
    (@present $mode:ident $missing:ident $field:ident $wire:literal) => {};
    (@finish req $field:ident) => {
        $crate::object::present($field)
    };
    (@finish double $field:ident) => {
        $field
    };
    (@finish $mode:ident $field:ident) => {
        ::std::option::Option::unwrap_or_default($field)
    };
}

#[doc(hidden)]
pub use crate::__decode_struct as decode_struct;

/// `Serialize` for a generated struct, the counterpart of [`decode_struct!`](crate::decode_struct)
/// with the same field list: `req` and `nullable` fields are always written (a `nullable`
/// `None` as `null`), `opt` and `double` fields only when `Some` (a `double` field's
/// `Some(None)` as `null`); `additional(field)`
/// writes the map's entries beside the declared fields.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __encode_struct {
    ($name:ident { $($index:literal $field:ident: $wire:literal $mode:ident),* $(,)? }) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                let len = 0 $(+ $crate::encode_struct!(@count $mode self.$field))*;
                #[allow(unused_mut)]
                let mut object = $crate::serde::Serializer::serialize_struct(serializer, stringify!($name), len)?;
                // Path calls into generic helpers that carry the first error along: no method
                // lookup and no `?` per field, so checking stays cheap for wide structs.
                #[allow(unused_mut)]
                let mut state = ::std::result::Result::Ok(());
                $($crate::encode_struct!(@field $mode state object self.$field, $wire);)*
                $crate::object::end_struct(state, object)
            }
        }
    };
    ($name:ident { $($index:literal $field:ident: $wire:literal $mode:ident),* $(,)? } additional($extra:ident)) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                let mut object = $crate::serde::Serializer::serialize_map(serializer, ::std::option::Option::None)?;
                let mut state = ::std::result::Result::Ok(());
                $($crate::encode_struct!(@entry $mode state object self.$field, $wire);)*
                $crate::object::entries(&mut state, &mut object, &self.$extra);
                $crate::object::end_map(state, object)
            }
        }
    };
    // `req` and `nullable` fields are always written (`None` as `null`); `opt` and `double`
    // ones only when `Some`.
    (@count req $value:expr) => {
        1
    };
    (@count nullable $value:expr) => {
        1
    };
    (@count $mode:ident $value:expr) => {
        usize::from(::std::option::Option::is_some(&$value))
    };
    (@field req $state:ident $object:ident $value:expr, $wire:literal) => {
        $crate::object::field(&mut $state, &mut $object, $wire, &$value)
    };
    (@field nullable $state:ident $object:ident $value:expr, $wire:literal) => {
        $crate::object::field(&mut $state, &mut $object, $wire, &$value)
    };
    (@field $mode:ident $state:ident $object:ident $value:expr, $wire:literal) => {
        $crate::object::optional_field(&mut $state, &mut $object, $wire, &$value)
    };
    (@entry req $state:ident $object:ident $value:expr, $wire:literal) => {
        $crate::object::entry(&mut $state, &mut $object, $wire, &$value)
    };
    (@entry nullable $state:ident $object:ident $value:expr, $wire:literal) => {
        $crate::object::entry(&mut $state, &mut $object, $wire, &$value)
    };
    (@entry $mode:ident $state:ident $object:ident $value:expr, $wire:literal) => {
        $crate::object::optional_entry(&mut $state, &mut $object, $wire, &$value)
    };
}

#[doc(hidden)]
pub use crate::__encode_struct as encode_struct;

/// Writes one field of a struct unless an earlier one failed.
#[doc(hidden)]
pub fn field<S: SerializeStruct, T: Serialize + ?Sized>(
    state: &mut Result<(), S::Error>,
    object: &mut S,
    name: &'static str,
    value: &T,
) {
    if state.is_ok() {
        *state = object.serialize_field(name, value);
    }
}

/// Writes an optional field when it is `Some`, and skips it otherwise (as the derive does).
#[doc(hidden)]
pub fn optional_field<S: SerializeStruct, T: Serialize>(
    state: &mut Result<(), S::Error>,
    object: &mut S,
    name: &'static str,
    value: &Option<T>,
) {
    if state.is_ok() {
        *state = match value {
            Some(value) => object.serialize_field(name, value),
            None => object.skip_field(name),
        };
    }
}

/// Ends a struct, or returns the first error of its fields.
#[doc(hidden)]
pub fn end_struct<S: SerializeStruct>(
    state: Result<(), S::Error>,
    object: S,
) -> Result<S::Ok, S::Error> {
    state?;
    object.end()
}

/// Writes one entry of a struct written as a map (one that keeps undeclared keys).
#[doc(hidden)]
pub fn entry<M: SerializeMap, T: Serialize + ?Sized>(
    state: &mut Result<(), M::Error>,
    object: &mut M,
    name: &'static str,
    value: &T,
) {
    if state.is_ok() {
        *state = object.serialize_entry(name, value);
    }
}

/// Writes an optional entry when it is `Some`.
#[doc(hidden)]
pub fn optional_entry<M: SerializeMap, T: Serialize>(
    state: &mut Result<(), M::Error>,
    object: &mut M,
    name: &'static str,
    value: &Option<T>,
) {
    if let (Ok(()), Some(value)) = (&*state, value) {
        *state = object.serialize_entry(name, value);
    }
}

/// Writes the undeclared keys a struct kept, after its declared fields.
#[doc(hidden)]
pub fn entries<M: SerializeMap, V: Serialize>(
    state: &mut Result<(), M::Error>,
    object: &mut M,
    extra: &std::collections::BTreeMap<String, V>,
) {
    for (key, value) in extra {
        if state.is_err() {
            return;
        }
        *state = object.serialize_entry(key, value);
    }
}

/// Ends a struct written as a map, or returns the first error of its entries.
#[doc(hidden)]
pub fn end_map<M: SerializeMap>(state: Result<(), M::Error>, object: M) -> Result<M::Ok, M::Error> {
    state?;
    object.end()
}

/// Everything a generated struct has beside its definition, from one invocation: JSON
/// ([`decode_struct!`](crate::decode_struct) and
/// [`encode_struct!`](crate::encode_struct), from the field list and an optional
/// `additional(field)`), then its constructor and setters
/// ([`struct_constructor!`](crate::struct_constructor)). Sections of the constructor
/// that would be empty are left out: `named(..)`, `new(..)`, `fixed(..)`, `set(..)`,
/// `set_nullable(..)`, in that order; the additional-properties map starts empty.
///
/// A leading `received` marks a type no request sends: it is written, and has setters, only
/// under the generated crate's `serde` feature or in its tests. Every type is read.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __object {
    (received $($rest:tt)*) => {
        $crate::object!(@gated [any(test, feature = "serde")] $($rest)*);
    };
    (
        @gated [$write:meta]
        $name:ident { $($fields:tt)* }
        $(additional($extra:ident))?
        $(named($args:ident))?
        $(new($($new:tt)*))?
        $(fixed($($fixed:tt)*))?
        $(set($($set:tt)*))?
        $(set_nullable($($nullable:tt)*))?
    ) => {
        $crate::decode_struct!($name { $($fields)* } $(additional($extra))?);
        #[cfg($write)]
        $crate::encode_struct!($name { $($fields)* } $(additional($extra))?);
        $crate::struct_constructor!($name {
            named($($args)?)
            new($($($new)*)?)
            fixed($($($fixed)*)?)
            set($($($set)*)?)
            set_nullable($($($nullable)*)?)
            empty($($extra)?)
            setters($write)
        });
    };
    ($name:ident $($rest:tt)*) => {
        $crate::object!(@gated [all()] $name $($rest)*);
    };
}

#[doc(hidden)]
pub use crate::__object as object;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// Read and written from one field list, as `object!` writes them for a written type.
    macro_rules! json_object {
        ($($fields:tt)*) => {
            crate::decode_struct!($($fields)*);
            crate::encode_struct!($($fields)*);
        };
    }

    #[derive(Debug, PartialEq)]
    struct Sample {
        id: String,
        r#type: Option<String>,
        note: Option<Option<String>>,
        count: Option<u32>,
        parent: Option<String>,
    }
    json_object!(Sample { 0 id: "id" req, 1 r#type: "type" opt, 2 note: "note" double, 3 count: "Count" opt, 4 parent: "parent" nullable });

    #[derive(Debug, PartialEq)]
    struct Open {
        name: String,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }
    json_object!(Open { 0 name: "name" req } additional(additional_properties));

    #[derive(Debug, PartialEq)]
    struct Empty {}
    json_object!(Empty {});

    // Struct names that the macros' own generic parameters and visitor must not shadow.
    #[derive(Debug, PartialEq)]
    struct A {
        d: Option<D>,
    }
    json_object!(A { 0 d: "d" opt });
    #[derive(Debug, PartialEq)]
    struct D {
        s: u8,
    }
    json_object!(D { 0 s: "s" req });
    #[derive(Debug, PartialEq)]
    struct S {}
    json_object!(S {});
    #[derive(Debug, PartialEq)]
    struct ObjectVisitor {
        a: Option<Box<A>>,
    }
    json_object!(ObjectVisitor { 0 a: "a" opt });
    #[derive(Debug, PartialEq)]
    struct __Visitor2 {}
    json_object!(__Visitor2 {});

    fn sample(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn fields_follow_their_wire_names_and_modes() {
        let full = sample(r#"{"id":"a","type":"t","note":"n","Count":3,"extra":[1,{"x":null}]}"#);
        assert_eq!(
            full,
            Ok(Sample {
                id: "a".into(),
                r#type: Some("t".into()),
                note: Some(Some("n".into())),
                count: Some(3),
                parent: None,
            })
        );
        // Absent optionals are `None`; `null` is `None` for `opt`, `Some(None)` for `double`.
        let sparse = sample(r#"{"id":"a","type":null,"note":null}"#).unwrap();
        assert_eq!(
            (sparse.r#type, sparse.note, sparse.count),
            (None, Some(None), None)
        );
        assert_eq!(sample(r#"{"id":"a"}"#).unwrap().note, None);
    }

    #[test]
    fn writing_leaves_absent_fields_out_and_keeps_null_apart() {
        // A `nullable` field is always written: `null` when `None`, absent or not when read.
        for json in [
            r#"{"id":"a","parent":null}"#,
            r#"{"id":"a","note":null,"parent":"p"}"#,
            r#"{"id":"a","type":"t","note":"n","Count":3,"parent":null}"#,
        ] {
            assert_eq!(serde_json::to_string(&sample(json).unwrap()).unwrap(), json);
        }
        // `null` for an `opt` field reads as absent, and is written as absent.
        let read = sample(r#"{"id":"a","type":null}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"{"id":"a","parent":null}"#
        );
        let open: Open = serde_json::from_str(r#"{"name":"n","z":[1],"a":{}}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&open).unwrap(),
            r#"{"name":"n","a":{},"z":[1]}"#
        );
        let empty: Empty = serde_json::from_str(r#"{"ignored":1}"#).unwrap();
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    }

    #[test]
    fn struct_names_do_not_clash_with_the_macros_own() {
        let json = r#"{"a":{"d":{"s":7}}}"#;
        let read: ObjectVisitor = serde_json::from_str(json).unwrap();
        assert_eq!(
            read.a.as_ref().and_then(|a| a.d.as_ref()),
            Some(&D { s: 7 })
        );
        assert_eq!(serde_json::to_string(&read).unwrap(), json);
        assert_eq!(serde_json::to_string(&S {}).unwrap(), "{}");
        assert_eq!(
            serde_json::from_str::<__Visitor2>("{}").unwrap(),
            __Visitor2 {}
        );
    }

    #[test]
    fn an_array_is_not_a_struct() {
        // The derive read `["a"]` as the first field; an object schema's instance is an object.
        let err = sample(r#"["a"]"#).unwrap_err();
        assert!(
            err.starts_with("invalid type: sequence, expected struct Sample"),
            "{err}"
        );
    }

    #[test]
    fn errors_read_like_the_derives() {
        let missing = sample(r#"{"type":"t"}"#).unwrap_err();
        assert!(missing.starts_with("missing field `id`"), "{missing}");
        let twice = sample(r#"{"id":"a","id":"b"}"#).unwrap_err();
        assert!(twice.starts_with("duplicate field `id`"), "{twice}");
        let wrong = sample(r#"{"id":1}"#).unwrap_err();
        assert!(
            wrong.starts_with("invalid type: integer `1`, expected a string"),
            "{wrong}"
        );
        let not_object = sample("[]").unwrap_err();
        assert!(
            not_object.contains("expected struct Sample"),
            "{not_object}"
        );
    }

    #[derive(Debug)]
    struct Pair {
        first: String,
        second: u8,
    }
    json_object!(Pair { 0 first: "first" req, 1 second: "second" req });

    #[test]
    fn the_first_missing_field_in_declaration_order_is_named() {
        let read = |json: &str| serde_json::from_str::<Pair>(json).unwrap_err().to_string();
        assert!(read("{}").starts_with("missing field `first`"));
        assert!(read(r#"{"second":1}"#).starts_with("missing field `first`"));
        assert!(read(r#"{"first":"a"}"#).starts_with("missing field `second`"));
        // A bad value stops reading at once, before any field is found missing.
        assert!(read(r#"{"second":"x"}"#).starts_with("invalid type: string"));
        let pair: Pair = serde_json::from_str(r#"{"second":2,"first":"a"}"#).unwrap();
        assert_eq!((pair.first.as_str(), pair.second), ("a", 2));
    }

    #[test]
    fn undeclared_keys_are_kept_when_the_struct_has_a_map_for_them() {
        let open: Open = serde_json::from_str(r#"{"name":"n","a":1,"b":{"c":true}}"#).unwrap();
        assert_eq!(open.name, "n");
        assert_eq!(
            serde_json::to_string(&open.additional_properties).unwrap(),
            r#"{"a":1,"b":{"c":true}}"#
        );
    }

    #[test]
    fn buffered_input_decodes_too() {
        // Untagged unions hand their variants a buffered copy of the object.
        #[derive(Debug, serde::Deserialize)]
        #[serde(untagged)]
        #[allow(dead_code)] // only decoded
        enum Either {
            Sample(Sample),
            Other(u8),
        }
        let value: Either = serde_json::from_str(r#"{"id":"a","Count":2}"#).unwrap();
        assert!(matches!(
            value,
            Either::Sample(Sample { count: Some(2), .. })
        ));
        let path = serde_path_to_error::deserialize::<_, Sample>(
            &mut serde_json::Deserializer::from_str(r#"{"id":"a","Count":"x"}"#),
        )
        .unwrap_err();
        assert_eq!(path.path().to_string(), "Count");
    }
}
