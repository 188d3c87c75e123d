//! Decoding one variant of a tagged union. The union's `Deserialize` buffers the object to
//! read its tag first, which cuts the path a decode error would name; this decodes the
//! variant with its own path tracking and carries that path in the message, where
//! [`decode_json`](super::error) joins it back onto the outer path.

use serde::de::DeserializeOwned;

/// Prefix of a message that carries a path relative to the value being decoded.
const AT: &str = "at `";

/// Decodes `value` as `T`; on failure, the error message names the path inside `value`.
#[doc(hidden)]
pub fn decode_variant<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let (path, message) = split_path(&e.path().to_string(), &e.inner().to_string());
        E::custom(format!("{AT}{path}`: {message}"))
    })
}

/// JSON both ways for a generated tagged union: `Serialize` writes the payload of any
/// variant as it is (it carries its own tag), and `Deserialize` buffers the object, reads the
/// string under `$tag` and decodes the variant whose values list it, or keeps the object
/// whole in the `$fallback` variant. A variant listed without values (all of them claimed by
/// an earlier variant) is only written. A payload type after a variant (`Mobile(MobileAccount)`)
/// adds `From<MobileAccount>` for the union, so the payload goes wherever the union is taken.
/// A leading `received` (a union no request sends) compiles `Serialize` only under the
/// generated crate's `serde` feature or in its tests, as [`object!`](crate::engine::object) does.
///
/// `tagged_union!(Account "type" Unknown { Mobile(MobileAccount) = "MOBILE", Mail = "MAIL" });`
#[doc(hidden)]
#[macro_export]
macro_rules! __tagged_union {
    (received $($rest:tt)*) => {
        $crate::engine::tagged_union!(@gated [any(test, feature = "serde")] $($rest)*);
    };
    ($name:ident $($rest:tt)*) => {
        $crate::engine::tagged_union!(@gated [all()] $name $($rest)*);
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
        #[cfg($write)]
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    $(Self::$variant(inner) => ::serde::Serialize::serialize(inner, serializer),)*
                    Self::$fallback(inner) => ::serde::Serialize::serialize(inner, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get($tag)
                    .and_then(::serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                match tag.as_str() {
                    $($($($value)|+ => $crate::engine::decode_variant(value).map(Self::$variant),)?)*
                    _ => ::std::result::Result::Ok(Self::$fallback(value)),
                }
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__tagged_union as tagged_union;

/// Joins `outer` with a path carried in `message` (if any); returns (path, bare message).
pub(crate) fn split_path(outer: &str, message: &str) -> (String, String) {
    let Some((inner, rest)) = message.strip_prefix(AT).and_then(|m| m.split_once("`: ")) else {
        return (outer.to_owned(), message.to_owned());
    };
    let path = match (outer, inner) {
        (".", inner) => inner.to_owned(),
        (outer, ".") => outer.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    };
    (path, rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::split_path;
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
    crate::engine::tagged_union!(Pet "kind" Other { Cat(Cat) = "cat" | "kitten", Kitten, Lion(Cub) });

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
