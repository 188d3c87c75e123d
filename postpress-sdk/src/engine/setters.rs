//! Code every generated crate repeats, written once here as macros and expanded in place, so
//! the methods stay inherent (no trait to import): the setters request builders share (a
//! builder needs an `options: RequestOptions` field) and the impls of string enums.

/// Per-request overrides: `max_retries`, `timeout`, `deadline`.
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
#[doc(hidden)]
pub use crate::__request_option_setters as request_option_setters;

/// The impls of a generated string enum with an `Unknown(String)`-style fallback: `as_str`,
/// `Display`, `FromStr` and serde, from the variant -> wire value table.
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
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from_wire(&value))
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__string_enum_impls as string_enum_impls;
