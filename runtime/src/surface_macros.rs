//! Code every generated crate repeats, written once here as macros and expanded in place, so
//! the methods stay inherent (no trait to import) and a crate compiles one expansion per use
//! instead of generated text. Each macro's grammar is in `MACROS.md` beside this crate's
//! manifest. They are, by what they write:
//!
//! - operation groups and request builders: `operation_group!`, `request_builder!`, and the
//!   pieces builders are made of (`request_option_setters!`, `idempotency_key_setter!`,
//!   `optional_setters!`, `send_fns!`, `builder_fns!`, `doc_text!` for their docs);
//! - cursor pagination over a builder: `paginated!`;
//! - generated types: `struct_constructor!` (constructor and setters), `shared_accessors!`
//!   (fields every variant of a union has), `union_from_variants!` (conversions of union
//!   payloads), `string_enum!` and `string_enum_impls!` (string enums that keep unknown
//!   values).

/// Per-request overrides: `max_retries`, `timeout`, `deadline`.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __request_option_setters {
    () => {
        /// Overrides the client's retry count for this request.
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.options.max_retries = ::std::option::Option::Some(retries);
            self
        }
        /// Overrides the client's per-attempt timeout for this request.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options.timeout = ::std::option::Option::Some(timeout);
            self
        }
        /// Bounds all attempts of this request together, waits included.
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.options.deadline = ::std::option::Option::Some(deadline);
            self
        }
    };
}

/// `idempotency_key`, for operations that declare an `Idempotency-Key` header.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __idempotency_key_setter {
    () => {
        /// Uses this idempotency key instead of a generated one; it is sent on every retry.
        pub fn idempotency_key(
            mut self,
            key: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.options.idempotency_key = ::std::option::Option::Some(key.into());
            self
        }
    };
}

#[doc(hidden)]
pub use crate::__idempotency_key_setter as idempotency_key_setter;

/// The first of its literals: a name's doc form where the generated code gives one, else the
/// name itself (`doc_text!("a b" "a\nb")` is `"a b"`, `doc_text!("id")` is `"id"`).
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __doc_text {
    ($text:literal $($name:literal)?) => {
        $text
    };
}

#[doc(hidden)]
pub use crate::__doc_text as doc_text;

/// A resource group's handle (`client.accounts()`): the struct over the client (the calling
/// crate's [`ApiClient`](crate::ApiClient), named first) that the group's methods hang on,
/// documented by its accessor's name.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __operation_group {
    ($client:ty, $name:ident, $accessor:literal) => {
        #[doc = concat!("The `", $accessor, "` operations; get one with `client.", $accessor, "()`.")]
        #[derive(Debug, Clone)]
        pub struct $name {
            client: $client,
        }
        impl $name {
            pub(crate) fn new(client: $client) -> Self {
                Self { client }
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__operation_group as operation_group;

/// A request builder's struct, its constructor and its optional-input setters: the client
/// (the calling crate's [`ApiClient`](crate::ApiClient), named first),
/// the required inputs (in the order `new` takes them), the optional ones (held as `Option`,
/// each with a setter, see [`optional_setters!`](crate::optional_setters)) and the
/// per-request options. The builder is documented from its operation (`"GET /path"`) and the
/// setters a request needs (`requires "`.account_id(..)`"`: inputs the document requires but
/// the client's method does not take); `build` is the generated code's own, `send` comes from
/// [`builder_fns!`](crate::builder_fns).
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __request_builder {
    (
        $client:ty, $name:ident $what:literal $(requires $needs:literal)? { $($required:ident: $required_ty:ty),* $(,)? }
        $(optional { $($(#[$doc:meta])* $optional:ident: $optional_ty:ty),* $(,)? })?
    ) => {
        // One `concat!`, the required setters' clause only where there are some: no nested
        // expansion per builder.
        #[doc = concat!(
            "Request builder for `", $what, "`: set ",
            $($needs, " (required: left unset, `send` fails with `Error::InvalidRequest` ",
            "before anything is sent) and any ",)?
            "optional inputs, then call `.send().await`."
        )]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct $name {
            client: $client,
            $($required: $required_ty,)*
            $($($optional: ::std::option::Option<$optional_ty>,)*)?
            options: $crate::RequestOptions,
        }
        impl $name {
            // `new_`: no parameter's setter can take this name (generated names end in `_`
            // only after keywords), where a plain `new` would clash with a parameter `new`.
            pub(crate) fn new_(client: $client, $($required: $required_ty),*) -> Self {
                Self {
                    client,
                    $($required,)*
                    $($($optional: ::std::option::Option::None,)*)?
                    options: ::std::default::Default::default(),
                }
            }
            $($crate::optional_setters!($($(#[$doc])* $optional: $optional_ty),*);)?
        }
    };
}

#[doc(hidden)]
pub use crate::__request_builder as request_builder;

/// A request builder's setters for its optional inputs: each stores `Some(value.into())` in
/// the builder's field of the same name, and carries the input's documentation.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __optional_setters {
    ($($(#[$doc:meta])* $field:ident: $ty:ty),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $field(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                self.$field = ::std::option::Option::Some(value.into());
                self
            }
        )*
    };
}

#[doc(hidden)]
pub use crate::__optional_setters as optional_setters;

/// A request builder's `send` and `send_with_response`: the builder's `build()` request
/// through its client's engine, and the raw response (bound to the given name) decoded by the
/// given expression into `Response<$out>`; `json T` for a body of type `T`.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __send_fns {
    // The common case: one JSON body.
    (json $out:ty) => {
        $crate::send_fns!($out, |raw| raw.json::<$out>());
    };
    ($out:ty, |$raw:ident| $decode:expr) => {
        /// Sends the request and returns the decoded body.
        pub fn send(self) -> impl ::std::future::Future<Output = $crate::Result<$out>> {
            let req = self.build();
            $crate::send::send(
                $crate::ApiClient::engine(&self.client).clone(),
                req,
                |$raw| $decode,
            )
        }
        /// Sends the request and returns the body with the status, headers and request id.
        pub fn send_with_response(
            self,
        ) -> impl ::std::future::Future<Output = $crate::Result<$crate::Response<$out>>> {
            let req = self.build();
            $crate::send::send_with_response(
                $crate::ApiClient::engine(&self.client).clone(),
                req,
                |$raw| $decode,
            )
        }
    };
}

#[doc(hidden)]
pub use crate::__request_option_setters as request_option_setters;
#[doc(hidden)]
pub use crate::__send_fns as send_fns;

/// The methods every request builder ends with: `idempotency_key` when the operation is
/// `idempotent`, the per-request options ([`request_option_setters!`](crate::request_option_setters)),
/// then `send` and `send_with_response` ([`send_fns!`](crate::send_fns), which takes
/// the rest of the input).
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __builder_fns {
    (idempotent $($send:tt)*) => {
        $crate::idempotency_key_setter!();
        $crate::builder_fns!($($send)*);
    };
    ($($send:tt)*) => {
        $crate::request_option_setters!();
        $crate::send_fns!($($send)*);
    };
}

#[doc(hidden)]
pub use crate::__builder_fns as builder_fns;

/// A paginated builder's `pages` and `items`: the page and item types, the builder's cursor
/// field, and two expressions over a page (bound to the given names): its next cursor as an
/// `Option<String>` (from a `&Page`), and its items as a `Vec<Item>` (from a `Page`).
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __paginated {
    ($page:ty, $item:ty, $cursor:ident, $items_pointer:literal, |$next_of:ident| $next:expr, |$items_of:ident| $items:expr $(,)?) => {
        /// Streams every page, following the cursor until the last page. Lazy: one page is in
        /// memory at a time, and dropping the stream stops further requests. `Unpin`: call
        /// `try_next()` on it directly. An item that did not decode is left out of its page
        /// and follows it as an [`Error::Item`](crate::engine::Error::Item) with its pointer
        /// and raw value; the stream goes on (with [strict](crate::engine::Decoding) decoding,
        /// the page fails instead).
        pub fn pages(self) -> $crate::Paginated<$page> {
            $crate::Paginated::new($crate::builder_page_stream(self.__pages()))
        }
        /// Streams every item of every page. `Unpin`: call `try_next()` on it directly. An
        /// item that did not decode comes as an [`Error::Item`](crate::engine::Error::Item)
        /// in its place, with its pointer and raw value, and the stream goes on (with
        /// [strict](crate::engine::Decoding) decoding, its page fails instead).
        pub fn items(self) -> $crate::Paginated<$item> {
            $crate::Paginated::new($crate::builder_item_stream(
                self.__pages(),
                |$items_of: $page| $items,
            ))
        }
        fn __pages(
            self,
        ) -> impl $crate::Stream<Item = $crate::Result<$crate::Fetched<$page>>>
        + ::std::marker::Send
        + 'static {
            $crate::builder_pages(
                self,
                Self::send_with_response,
                |builder: &mut Self, cursor: ::std::string::String| {
                    builder.$cursor = ::std::option::Option::Some(cursor);
                },
                |$next_of: &$page| $next,
                $items_pointer,
            )
        }
    };
}

#[doc(hidden)]
pub use crate::__paginated as paginated;

/// A tagged union's accessors for the fields every known variant shares: for each, its type,
/// its wire name (for the accessor's documentation) and how the variants hold it, as in
/// [`decode_struct!`](crate::decode_struct) (`req`: always there; `opt` or `nullable`: an
/// `Option`; `double`: an `Option<Option<_>>`), read as `Option<&T>`,
/// `None` for the fallback variant.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __shared_accessors {
    ($name:ident $variants:tt $fallback:ident { $($field:ident: $ty:ty = $wire:literal $mode:ident),* $(,)? }) => {
        impl $name {
            $($crate::shared_accessors!(@one $variants $fallback $field: $ty = $wire $mode);)*
        }
    };
    (@one $variants:tt $fallback:ident $field:ident: $ty:ty = $wire:literal req) => {
        $crate::shared_accessors!(@fn $variants $fallback $field: $ty = req, concat!(
            "`", $wire, "`, which every known variant has; `None` for an unknown variant."
        ));
    };
    (@one $variants:tt $fallback:ident $field:ident: $ty:ty = $wire:literal $mode:ident) => {
        $crate::shared_accessors!(@fn $variants $fallback $field: $ty = $mode, concat!(
            "`", $wire, "`, which every known variant has; `None` for an unknown variant or when unset."
        ));
    };
    (@fn [$($variant:ident),*] $fallback:ident $field:ident: $ty:ty = $mode:ident, $doc:expr) => {
        #[doc = $doc]
        pub fn $field(&self) -> ::std::option::Option<&$ty> {
            match self {
                $(Self::$variant(v) => $crate::shared_accessors!(@read $mode v.$field),)*
                Self::$fallback(_) => ::std::option::Option::None,
            }
        }
    };
    (@read req $value:expr) => {
        ::std::option::Option::Some(&$value)
    };
    (@read double $value:expr) => {
        ::std::option::Option::as_ref(&$value).and_then(::std::option::Option::as_ref)
    };
    (@read $mode:ident $value:expr) => {
        ::std::option::Option::as_ref(&$value)
    };
}

#[doc(hidden)]
pub use crate::__shared_accessors as shared_accessors;

/// The impls of a generated string enum with an `Unknown(String)`-style fallback: `as_str`,
/// `Display`, `FromStr` and serde, from the variant -> wire value table.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum_impls {
    ($name:ident, $fallback:ident, { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$fallback(value) => value.as_str(),
                }
            }
            fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$fallback(other.to_owned()),
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from_wire(value))
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as $crate::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from_wire(&value))
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__string_enum_impls as string_enum_impls;

/// A whole generated string enum: the type, one variant per wire value (each documented with
/// the attributes given before it, then its value), the fallback variant, and the impls of
/// [`string_enum_impls!`](crate::string_enum_impls). Written as one table so a
/// generated file names each variant once instead of three times.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($fallback:ident) {
            $($(#[$vmeta:meta])* $variant:ident => $wire:literal $(($wire_doc:literal))?),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                // After the document's own words (a blank line apart), so its title stays
                // the summary; a leading blank line is dropped when there is none.
                #[doc = concat!("\n\n`", $crate::doc_text!($($wire_doc)? $wire), "`")]
                $variant,
            )*
            /// A value this version of the SDK does not know yet.
            $fallback(::std::string::String),
        }
        $crate::string_enum_impls!($name, $fallback, { $($variant => $wire),* });
    };
}

#[doc(hidden)]
pub use crate::__string_enum as string_enum;

/// The constructor and setters of a generated struct. Generated structs are
/// `#[non_exhaustive]` (a field the document adds later must not break a struct literal), so
/// this is how code outside the crate builds one: `new` takes the fields that must hold a value
/// (`impl Into<_>` each), `fixed` fields get the one value their schema allows, and every
/// other field starts empty (`None`, or an empty map) and, unless
/// listed under `empty`, has a chainable setter of its own name. `set` fields are `Option<T>`,
/// `set_nullable` fields `Option<Option<T>>` (optional and nullable: the setter sends a value;
/// assign `Some(None)` to the field to send `null`). The setters are compiled under the
/// `setters(..)` condition: `all()` for always, the `serde` feature for a type only read.
///
/// With `named(Args)`, `new` takes its required fields by name: `Args` is declared here, a
/// plain struct with a public field per required field, and `new(Args { .. })` moves them in.
/// The generator names a constructor's arguments so when more than three are positional or
/// two of one type could be swapped unseen.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __struct_constructor {
    ($name:ident {
        named($args:ident)
        new($($req:ident: $req_ty:ty),* $(,)?)
        $($rest:tt)*
    }) => {
        #[doc = concat!(
            "The required fields of [`", stringify!($name), "`], each named, for [`",
            stringify!($name), "::new`]: its arguments could be confused positionally."
        )]
        #[derive(Debug, Clone)]
        pub struct $args {
            $(#[allow(missing_docs)] pub $req: $req_ty,)*
        }
        $crate::struct_constructor!(@impl $name (required: $args) { $(($req) required.$req),* } $($rest)*);
    };
    ($name:ident {
        named()
        new($($req:ident: $req_ty:ty),* $(,)?)
        $($rest:tt)*
    }) => {
        $crate::struct_constructor!(@impl $name ($($req: impl ::std::convert::Into<$req_ty>),*) { $(($req) $req.into()),* } $($rest)*);
    };
    (@impl $name:ident ($($param:tt)*) { $(($req:ident) $value:expr),* }
        fixed($($fix:ident: $fix_value:literal),* $(,)?)
        set($($opt:ident: $opt_ty:ty),* $(,)?)
        set_nullable($($nul:ident: $nul_ty:ty),* $(,)?)
        empty($($empty:ident),* $(,)?)
        setters($setters:meta)
    ) => {
        impl $name {
            /// A value with the required fields set; every other field starts empty and has a
            /// chainable setter.
            pub fn new($($param)*) -> Self {
                Self {
                    $($req: $value,)*
                    $($fix: ::std::convert::Into::into($fix_value),)*
                    $($opt: ::std::option::Option::None,)*
                    $($nul: ::std::option::Option::None,)*
                    $($empty: ::std::default::Default::default(),)*
                }
            }
            $(
                #[doc = concat!("Sets `", stringify!($opt), "`.")]
                #[cfg($setters)]
                pub fn $opt(mut self, value: impl ::std::convert::Into<$opt_ty>) -> Self {
                    self.$opt = ::std::option::Option::Some(value.into());
                    self
                }
            )*
            $(
                #[doc = concat!("Sets `", stringify!($nul), "` to a value (not `null`).")]
                #[cfg($setters)]
                pub fn $nul(mut self, value: impl ::std::convert::Into<$nul_ty>) -> Self {
                    self.$nul = ::std::option::Option::Some(::std::option::Option::Some(value.into()));
                    self
                }
            )*
        }
    };
}

#[doc(hidden)]
pub use crate::__struct_constructor as struct_constructor;

/// `From` each listed variant's payload into a generated untagged union, so a payload value
/// goes wherever the union is taken (`impl Into<Union>` arguments) without naming the variant.
/// (A tagged union's `From` impls come with its JSON, from [`tagged_union!`](crate::tagged_union).)
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __union_from_variants {
    ($name:ident { $($variant:ident($payload:ty)),* $(,)? }) => {
        $(
            impl ::std::convert::From<$payload> for $name {
                fn from(value: $payload) -> Self {
                    Self::$variant(value)
                }
            }
        )*
    };
}

#[doc(hidden)]
pub use crate::__union_from_variants as union_from_variants;

#[cfg(test)]
mod tests {
    struct Cat {
        name: String,
        nickname: Option<String>,
        owner: Option<Option<String>>,
        note: Option<String>,
    }
    struct Dog {
        name: String,
        nickname: Option<String>,
        owner: Option<Option<String>>,
        note: Option<String>,
    }
    enum Pet {
        Cat(Cat),
        Dog(Dog),
        Other(()),
    }
    crate::shared_accessors!(Pet [Cat, Dog] Other {
        name: String = "name" req,
        nickname: String = "nickname" opt,
        owner: String = "owner" double,
        note: String = "note" nullable,
    });

    #[test]
    fn shared_accessors_read_each_kind_of_field() {
        let cat = Pet::Cat(Cat {
            name: "Tom".into(),
            nickname: None,
            owner: Some(None),
            note: None,
        });
        assert_eq!(cat.name().map(String::as_str), Some("Tom"));
        assert_eq!(cat.nickname(), None);
        assert_eq!(cat.owner(), None, "null reads as None");
        let dog = Pet::Dog(Dog {
            name: "Rex".into(),
            nickname: Some("R".into()),
            owner: Some(Some("Ann".into())),
            note: Some("good".into()),
        });
        assert_eq!(dog.nickname().map(String::as_str), Some("R"));
        assert_eq!(dog.owner().map(String::as_str), Some("Ann"));
        assert_eq!(dog.note().map(String::as_str), Some("good"));
        assert_eq!(cat.note(), None);
        let other = Pet::Other(());
        assert_eq!(
            (other.name(), other.nickname(), other.owner()),
            (None, None, None)
        );
    }
}
