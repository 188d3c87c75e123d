//! Decoding one variant of a union. A union's `Deserialize` buffers the value to read its tag
//! (or to try its branches) first, which cuts the path a decode error would name; this
//! decodes the variant with its own path tracking and carries that path in the message, where
//! [`decode_json`](super::error) and the webhook receiver join it back onto the outer path.
//!
//! A message so carried reads `at `PATH`: ` then, for each tagged union (or object with a
//! fixed-value property) on the way that recognized the value and so owns its error, outermost
//! first, `for `TAG` = `VALUE`: `, then what serde said. `TAG` is the path of the tag property
//! relative to the same value as `PATH`, joined onto outer paths like it.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Prefix of a message that carries a path relative to the value being decoded.
const AT: &str = "at `";
/// Prefix of a clause naming the tag property, and its value, that chose the failing variant.
const FOR: &str = "for `";

/// A decode failure read back from a message: the path, the tags that chose the variants on
/// the way (outermost first, as (tag path, value)), and what went wrong there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub path: String,
    pub tags: Vec<(String, String)>,
    pub message: String,
}

impl Failure {
    /// Reads `message`, which a decoder at `outer` reported, joining the paths it carries
    /// onto `outer`.
    pub(crate) fn read(outer: &str, message: &str) -> Self {
        let (path, mut rest) = match message.strip_prefix(AT).and_then(|m| m.split_once("`: ")) {
            Some((inner, rest)) => (join(outer, inner), rest),
            None => (outer.to_owned(), message),
        };
        let mut tags = Vec::new();
        while let Some((tag, value, after)) = rest.strip_prefix(FOR).and_then(|m| {
            let (tag, m) = m.split_once("` = `")?;
            let (value, m) = m.split_once("`: ")?;
            Some((tag, value, m))
        }) {
            tags.push((join(outer, tag), value.to_owned()));
            rest = after;
        }
        Self {
            path,
            tags,
            message: rest.to_owned(),
        }
    }

    /// The message without the path: the tag clauses, then what went wrong.
    pub(crate) fn detail(&self) -> String {
        let mut text = String::new();
        for (tag, value) in &self.tags {
            text.push_str(&format!("{FOR}{tag}` = `{value}`: "));
        }
        text.push_str(&self.message);
        text
    }

    /// The whole message, to be read back by [`Failure::read`] one level up.
    fn carried(&self) -> String {
        format!("{AT}{}`: {}", self.path, self.detail())
    }
}

/// `outer` followed by `inner`, a path relative to it (`.` for itself).
fn join(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        (".", inner) => inner.to_owned(),
        (outer, ".") => outer.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    }
}

/// The message of a failure inside a variant `tag` chose (when one did), to be carried out.
fn carry<E: serde::de::Error>(
    error: serde_path_to_error::Error<serde_json::Error>,
    tag: Option<(&str, &str)>,
) -> E {
    let mut failure = Failure::read(&error.path().to_string(), &error.inner().to_string());
    if let Some((tag, value)) = tag {
        failure.tags.insert(0, (tag.to_owned(), value.to_owned()));
    }
    E::custom(failure.carried())
}

/// Decodes `value` as `T`, the variant whose values list the tag `tag` (property, value), if
/// any; on failure, the error message names the path inside `value` and the tag.
#[doc(hidden)]
pub fn decode_variant<T: DeserializeOwned, E: serde::de::Error>(
    value: Value,
    tag: Option<(&str, &str)>,
) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|e| carry(e, tag))
}

/// How a branch of an untagged union recognizes a value as its own. A branch that does owns
/// the value: its decode error is the union's, where another branch would only be tried next.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum Claim {
    /// Recognizes nothing: tried, and on failure the next branch is.
    Nothing,
    /// A tagged union: the value's property (the tag) holds one of the listed values.
    Tag(&'static str, &'static [&'static str]),
    /// An object whose fixed-value properties all hold their values; its error names the
    /// first.
    Fixed(&'static [(&'static str, &'static str)]),
    /// An untagged union one of whose branches claims the value.
    Union(fn(&Value) -> bool),
}

impl Claim {
    /// Whether the branch recognizes `value`.
    pub fn holds(self, value: &Value) -> bool {
        let text = |key: &str| value.get(key).and_then(Value::as_str);
        match self {
            Claim::Nothing => false,
            Claim::Tag(tag, known) => text(tag).is_some_and(|t| known.contains(&t)),
            Claim::Fixed(pairs) => pairs.iter().all(|(key, fixed)| text(key) == Some(*fixed)),
            Claim::Union(claims) => claims(value),
        }
    }
}

/// A branch of an untagged union that [claims](Claim) `value`: its decoded value, or its
/// error naming the path (and for a fixed-value object, the property that recognized it).
/// `None` when the branch does not claim the value.
#[doc(hidden)]
pub fn decode_claimed<T: DeserializeOwned, E: serde::de::Error>(
    value: &Value,
    claim: Claim,
) -> Option<Result<T, E>> {
    if !claim.holds(value) {
        return None;
    }
    let tag = match claim {
        Claim::Fixed([(key, fixed), ..]) => Some((*key, *fixed)),
        _ => None,
    };
    Some(serde_path_to_error::deserialize(value).map_err(|e| carry(e, tag)))
}

/// JSON both ways for a generated tagged union: `Serialize` writes the payload of any
/// variant as it is (it carries its own tag), and `Deserialize` buffers the object, reads the
/// string under `$tag` and decodes the variant whose values list it, or keeps the object
/// whole in the `$fallback` variant. A variant listed without values (all of them claimed by
/// an earlier variant) is only written. A payload type after a variant (`Mobile(MobileAccount)`)
/// adds `From<MobileAccount>` for the union, so the payload goes wherever the union is taken.
/// A leading `received` (a union no request sends) compiles `Serialize` only under the
/// generated crate's `serde` feature or in its tests, as [`object!`](crate::object) does.
///
/// `tagged_union!(Account "type" Unknown { Mobile(MobileAccount) = "MOBILE", Mail = "MAIL" });`
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __tagged_union {
    (received $($rest:tt)*) => {
        $crate::tagged_union!(@gated [any(test, feature = "serde")] $($rest)*);
    };
    ($name:ident $($rest:tt)*) => {
        $crate::tagged_union!(@gated [all()] $name $($rest)*);
    };
    (
        @gated [$write:meta]
        $name:ident $tag:literal $fallback:ident {
            $($variant:ident $(($from:ty))? $(= $($value:literal)|+)?),* $(,)?
        }
    ) => {
        $($(
            impl ::std::convert::From<$from> for $name {
                fn from(value: $from) -> Self {
                    Self::$variant(value)
                }
            }
        )?)*
        $crate::write_union!([$write] $name $fallback { $($variant),* });
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                let value = <$crate::serde_json::Value as $crate::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get($tag)
                    .and_then($crate::serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                match tag.as_str() {
                    $($($($value)|+ => $crate::decode_variant(value, ::std::option::Option::Some(($tag, tag.as_str()))).map(Self::$variant),)?)*
                    _ => ::std::result::Result::Ok(Self::$fallback(value)),
                }
            }
        }
        impl $name {
            #[doc(hidden)]
            pub const __TAG: &'static str = $tag;
            #[doc(hidden)]
            pub const __KNOWN: &'static [&'static str] = &[$($($($value,)+)?)*];
        }
    };
}

#[doc(hidden)]
pub use crate::__tagged_union as tagged_union;

/// `Serialize` for a generated union (tagged or not), under `cfg($write)`: every variant,
/// and the fallback, writes its payload as it is.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __write_union {
    ([$write:meta] $name:ident $fallback:ident { $($variant:ident),* }) => {
        #[cfg($write)]
        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    $(Self::$variant(inner) => $crate::serde::Serialize::serialize(inner, serializer),)*
                    Self::$fallback(inner) => $crate::serde::Serialize::serialize(inner, serializer),
                }
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__write_union as write_union;

/// JSON both ways for a generated untagged union: `Serialize` writes the payload of any
/// variant as it is, and `Deserialize` buffers the value and tries the variants in order,
/// keeping it whole in the `$fallback` variant when none fits. A variant that recognizes the
/// value ([`Claim`]) owns it: its decode error, with its path, is the union's, never a reason
/// to try the next variant or the fallback. A variant recognizes a value by
///
/// - `if tag(Type)`: `Type` is a [tagged union](crate::tagged_union) and the value's
///   tag holds one of its values;
/// - `if fixed("prop" = "value", ..)`: the variant is an object whose properties fixed to one
///   value all hold it (the error names the first);
/// - `if union(Type)`: `Type` is an untagged union, made with a leading `claiming`, one of
///   whose variants recognizes the value.
///
/// `claiming` gives the union the `__claims` function `union(..)` asks. A leading `received`
/// compiles `Serialize` only under the generated crate's `serde` feature or in its tests, as
/// [`object!`](crate::object) does.
///
/// `untagged_union!(Payload Other { Status(StatusEvent), Named(NamedEvent) if tag(NamedEvent) });`
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __untagged_union {
    (received $($rest:tt)*) => {
        $crate::untagged_union!(@gated [any(test, feature = "serde")] $($rest)*);
    };
    (claiming $($rest:tt)*) => {
        $crate::untagged_union!(@gated [all()] claiming $($rest)*);
    };
    (
        @gated [$write:meta] claiming $name:ident $fallback:ident {
            $($variant:ident($ty:ty) $(if $kind:ident $args:tt)?),* $(,)?
        }
    ) => {
        impl $name {
            #[doc(hidden)]
            pub fn __claims(value: &$crate::serde_json::Value) -> bool {
                false $(|| $crate::untagged_union!(@claim $($kind $args)?).holds(value))*
            }
        }
        $crate::untagged_union!(@gated [$write] $name $fallback {
            $($variant($ty) $(if $kind $args)?),*
        });
    };
    (
        @gated [$write:meta] $name:ident $fallback:ident {
            $($variant:ident($ty:ty) $(if $kind:ident $args:tt)?),* $(,)?
        }
    ) => {
        $crate::write_union!([$write] $name $fallback { $($variant),* });
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                let value = <$crate::serde_json::Value as $crate::serde::Deserialize>::deserialize(deserializer)?;
                // A branch that recognizes the value owns it, wherever it stands: an earlier,
                // more permissive branch must not take a value a later one would refuse.
                $(
                    if let ::std::option::Option::Some(read) = $crate::decode_claimed::<$ty, __D::Error>(
                        &value,
                        $crate::untagged_union!(@claim $($kind $args)?),
                    ) {
                        return read.map(Self::$variant);
                    }
                )*
                $(
                    if let ::std::result::Result::Ok(read) = <$ty as $crate::serde::Deserialize>::deserialize(&value) {
                        return ::std::result::Result::Ok(Self::$variant(read));
                    }
                )*
                ::std::result::Result::Ok(Self::$fallback(value))
            }
        }
    };
    (@claim) => { $crate::Claim::Nothing };
    (@claim tag ($ty:ty)) => { $crate::Claim::Tag(<$ty>::__TAG, <$ty>::__KNOWN) };
    (@claim fixed ($($key:literal = $value:literal),+ $(,)?)) => {
        $crate::Claim::Fixed(&[$(($key, $value)),+])
    };
    (@claim union ($ty:ty)) => { $crate::Claim::Union(<$ty>::__claims) };
    ($name:ident $($rest:tt)*) => {
        $crate::untagged_union!(@gated [all()] $name $($rest)*);
    };
}

#[doc(hidden)]
pub use crate::__untagged_union as untagged_union;

/// Joins `outer` with a path carried in `message` (if any); returns (path, message without
/// it, its tag clauses joined onto `outer` too).
#[cfg(test)]
pub(crate) fn split_path(outer: &str, message: &str) -> (String, String) {
    let failure = Failure::read(outer, message);
    let detail = failure.detail();
    (failure.path, detail)
}

#[cfg(test)]
mod tests {
    use super::{Failure, split_path};
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Cat {
        kind: String,
        lives: u8,
    }

    #[derive(Debug, PartialEq)]
    enum Pet {
        Cat(Cat),
        Kitten(Cat),
        Lion(Cub),
        Other(serde_json::Value),
    }
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Cub {
        kind: String,
    }

    // `Kitten` and `Lion` have no values left (all are `Cat`'s): they are written, never
    // read. `Cat` and `Lion` take their payloads by `From`; `Kitten` cannot (two impls for
    // one type would conflict).
    crate::tagged_union!(Pet "kind" Other { Cat(Cat) = "cat" | "kitten", Kitten, Lion(Cub) });

    #[test]
    fn a_tagged_union_reads_by_tag_and_keeps_the_unknown() {
        let cat = |kind: &str| Cat {
            kind: kind.into(),
            lives: 9,
        };
        let read = |v: serde_json::Value| serde_json::from_value::<Pet>(v);
        assert_eq!(
            read(json!({"kind": "cat", "lives": 9})).unwrap(),
            Pet::Cat(cat("cat"))
        );
        assert_eq!(
            read(json!({"kind": "kitten", "lives": 9})).unwrap(),
            Pet::Cat(cat("kitten"))
        );
        let unknown = json!({"kind": "dog", "legs": 4});
        assert_eq!(read(unknown.clone()).unwrap(), Pet::Other(unknown.clone()));
        assert_eq!(
            read(json!({"lives": 1})).unwrap(),
            Pet::Other(json!({"lives": 1}))
        );
        let error = read(json!({"kind": "cat", "lives": "nine"})).unwrap_err();
        assert!(error.to_string().contains("at `lives`"), "{error}");
        let written = |p: &Pet| serde_json::to_value(p).unwrap();
        assert_eq!(written(&Pet::Kitten(cat("kitten")))["kind"], "kitten");
        assert_eq!(written(&Pet::Other(unknown.clone())), unknown);
        assert_eq!(Pet::from(cat("cat")), Pet::Cat(cat("cat")));
        let cub = || Cub { kind: "cat".into() };
        assert_eq!(Pet::from(cub()), Pet::Lion(cub()));
        assert_eq!(written(&Pet::Lion(cub()))["kind"], "cat");
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Dog {
        object: String,
        legs: u8,
    }

    #[derive(Debug, PartialEq)]
    enum Animal {
        Count(i64),
        Dog(Dog),
        Pet(Pet),
        Other(serde_json::Value),
    }
    crate::untagged_union!(claiming Animal Other {
        Count(i64),
        Dog(Dog) if fixed("object" = "dog"),
        Pet(Pet) if tag(Pet),
    });

    #[derive(Debug, PartialEq)]
    enum Zoo {
        Animal(Box<Animal>),
        Names(Vec<String>),
        Other(serde_json::Value),
    }
    crate::untagged_union!(Zoo Other { Animal(Box<Animal>) if union(Animal), Names(Vec<String>) });

    #[derive(Debug, serde::Deserialize)]
    struct Pen {
        #[allow(dead_code)]
        animals: Vec<Animal>,
    }

    /// What `decode_json` reports: the path, and the message the path was taken from.
    fn failure<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        v: serde_json::Value,
    ) -> (String, String) {
        let e = serde_path_to_error::deserialize::<_, T>(v).unwrap_err();
        split_path(&e.path().to_string(), &e.inner().to_string())
    }

    #[derive(Debug, PartialEq)]
    enum Loose {
        Map(std::collections::BTreeMap<String, serde_json::Value>),
        Pet(Pet),
        Other(serde_json::Value),
    }
    crate::untagged_union!(Loose Other {
        Map(std::collections::BTreeMap<String, serde_json::Value>),
        Pet(Pet) if tag(Pet),
    });

    #[test]
    fn a_later_recognizing_branch_outranks_an_earlier_permissive_one() {
        let read = |v: serde_json::Value| serde_json::from_value::<Loose>(v);
        assert!(matches!(
            read(json!({"kind": "cat", "lives": 9})),
            Ok(Loose::Pet(Pet::Cat(_)))
        ));
        // A map would take it; the tag says it is a malformed cat.
        let error = read(json!({"kind": "cat", "lives": "nine"})).unwrap_err();
        assert!(error.to_string().contains("lives"), "{error}");
        assert!(matches!(read(json!({"a": 1})), Ok(Loose::Map(_))));
    }

    #[test]
    fn an_untagged_union_tries_in_order_and_a_recognizing_branch_owns_its_errors() {
        let read = |v: serde_json::Value| serde_json::from_value::<Animal>(v);
        assert_eq!(read(json!(7)).unwrap(), Animal::Count(7));
        let dog = json!({"object": "dog", "legs": 4});
        let rex = || Dog {
            object: "dog".into(),
            legs: 4,
        };
        assert_eq!(read(dog.clone()).unwrap(), Animal::Dog(rex()));
        let cat = json!({"kind": "cat", "lives": 9});
        assert!(matches!(
            read(cat.clone()).unwrap(),
            Animal::Pet(Pet::Cat(_))
        ));
        // Recognized by its fixed property or its tag, a bad value is an error naming the
        // path and what recognized it: not the next branch, not the fallback.
        let (path, message) = failure::<Animal>(json!({"object": "dog", "legs": "four"}));
        assert_eq!(path, "legs");
        assert!(
            message.starts_with("for `object` = `dog`: invalid type: string"),
            "{message}"
        );
        let (path, message) = failure::<Animal>(json!({"kind": "kitten", "lives": -1}));
        assert_eq!(path, "lives");
        assert!(
            message.starts_with("for `kind` = `kitten`: invalid value"),
            "{message}"
        );
        // Recognized by nothing: the next branch, then the fallback (a tagged union keeps
        // an unknown tag itself).
        assert_eq!(
            read(json!({"object": "cat", "legs": "four"})).unwrap(),
            Animal::Pet(Pet::Other(json!({"object": "cat", "legs": "four"})))
        );
        assert_eq!(
            read(json!({"kind": "dog"})).unwrap(),
            Animal::Pet(Pet::Other(json!({"kind": "dog"})))
        );
        // Paths and tags join onto outer paths.
        let (path, message) =
            failure::<Pen>(json!({"animals": [dog.clone(), {"object": "dog", "legs": null}]}));
        assert_eq!(path, "animals[1].legs");
        assert!(
            message.starts_with("for `animals[1].object` = `dog`: invalid type: null"),
            "{message}"
        );
        // Through a union in a union, boxed.
        let zoo = |v| serde_json::from_value::<Zoo>(v);
        assert_eq!(
            zoo(dog.clone()).unwrap(),
            Zoo::Animal(Box::new(Animal::Dog(rex())))
        );
        assert_eq!(
            zoo(json!(["a"])).unwrap(),
            Zoo::Animal(Box::new(Animal::Pet(Pet::Other(json!(["a"])))))
        );
        let (path, message) = failure::<Zoo>(json!({"kind": "cat", "lives": "nine"}));
        assert_eq!(
            (path.as_str(), message.starts_with("for `kind` = `cat`: ")),
            ("lives", true),
            "{message}"
        );
        // Written as the payload is.
        assert_eq!(serde_json::to_value(Animal::Dog(rex())).unwrap(), dog);
        assert_eq!(serde_json::to_value(Animal::Count(3)).unwrap(), json!(3));
        assert_eq!(
            serde_json::to_value(Zoo::Names(vec!["a".into()])).unwrap(),
            json!(["a"])
        );
        assert_eq!(
            serde_json::to_value(Animal::Other(json!(null))).unwrap(),
            json!(null)
        );
    }

    #[test]
    fn failures_read_back() {
        let f = Failure::read("a[0]", "at `b`: for `k` = `v`: for `b.t` = `w`: bad");
        assert_eq!(f.path, "a[0].b");
        assert_eq!(
            f.tags,
            vec![
                ("a[0].k".into(), "v".into()),
                ("a[0].b.t".into(), "w".into())
            ]
        );
        assert_eq!(f.message, "bad");
        assert_eq!(f.detail(), "for `a[0].k` = `v`: for `a[0].b.t` = `w`: bad");
        assert_eq!(
            Failure::read(".", &f.carried()),
            Failure::read("a[0]", "at `b`: for `k` = `v`: for `b.t` = `w`: bad")
        );
        let plain = Failure::read(".", "missing field `x`");
        assert_eq!((plain.path.as_str(), plain.tags.len()), (".", 0));
    }

    #[test]
    fn paths_join() {
        assert_eq!(
            split_path(".", "at `name`: bad"),
            ("name".into(), "bad".into())
        );
        assert_eq!(
            split_path("items[0]", "at `name`: bad"),
            ("items[0].name".into(), "bad".into())
        );
        assert_eq!(
            split_path("a", "at `[2]`: bad"),
            ("a[2]".into(), "bad".into())
        );
        assert_eq!(split_path("a", "plain"), ("a".into(), "plain".into()));
    }
}
