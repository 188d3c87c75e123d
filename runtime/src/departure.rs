//! What lenient decoding did to an answer that departed from its type: the record a user can
//! read back ([`Response::departures`](crate::Response::departures)), log, or turn into a
//! failure with [`Decoding::Strict`].

use serde_json::Value;
use std::fmt;

/// How answers that depart from their documented types are decoded. Set for a client with
/// [`EngineConfig::decoding`](crate::EngineConfig::decoding).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Decoding {
    /// Repair what has one clear meaning, contain what has none at the nearest list item or
    /// optional field, and record each as a [`Departure`] (also a `tracing` warning, target
    /// `openapi_sdkgen_runtime::decode`). What cannot be contained (a required field of the
    /// answer itself) still fails, naming where.
    #[default]
    Lenient,
    /// The first departure fails the call with [`Error::Decode`](crate::Error::Decode), at
    /// exactly the place lenient decoding would have recorded it: for tests and CI, where a
    /// server drifting from its document should be loud.
    Strict,
}

/// One place where an answer departed from its type, and what decoding did about it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Departure {
    /// Where, as a JSON pointer into the body as received (`""` is the whole body). Indices
    /// are those of the body as sent, whatever was left out before them.
    pub pointer: String,
    /// What decoding did.
    pub repair: Repair,
    /// The value as received there (for a [`Repair::LeftOut`] item, the whole item).
    pub received: Value,
    /// Where the type's decoder failed: [`pointer`](Self::pointer) itself, or a place inside
    /// it whose failure left it out. Strict decoding fails here.
    pub failed_at: String,
    /// What the type expected there, as its decoder said it.
    pub reason: String,
}

/// What lenient decoding did at a [`Departure`]. Each rule is one reading of the value that
/// has a single clear meaning; anything else is left out, never guessed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Repair {
    /// A number sent as text (`"12"`, `"1.5"`) read as that number.
    NumberFromText,
    /// A whole number written with a fraction (`5.0`) read as the integer.
    IntegerFromFraction,
    /// A boolean sent as text (`"true"`, `"0"`) or as `0`/`1`, read as that boolean.
    BooleanFromTextOrNumber,
    /// A number where text is declared: its text, exactly as sent (`12` → `"12"`).
    TextFromNumber,
    /// A date-time written in another common form (a space for the `T`, an offset `+0000`
    /// or `+00`, a lower-case `z`) read as the same instant.
    DateTimeForm,
    /// A date-time without any offset read as UTC. The instant is an assumption: this record
    /// is how to tell it from an instant the server stated.
    DateTimeAssumedUtc,
    /// Seconds since the Unix epoch (a number, or a number as text, between 1970 and 2100)
    /// where a date-time is declared: that instant, in UTC.
    DateTimeFromUnixSeconds,
    /// A full date-time where a date is declared: its date, as written (the offset's own day).
    DateFromDateTime,
    /// `null` (or an empty body) for an object with no required fields: the empty object.
    EmptyObjectFromNull,
    /// `null` for an optional field that is not nullable: the field is absent.
    NullAsAbsent,
    /// The value did not decode and has no other reading: an optional field became absent,
    /// or a list item was left out of its list. [`Departure::failed_at`] and
    /// [`Departure::reason`] say why.
    LeftOut,
}

impl Repair {
    /// A short phrase for logs and messages.
    pub fn describe(self) -> &'static str {
        match self {
            Repair::NumberFromText => "a number sent as text, read as the number",
            Repair::IntegerFromFraction => "a whole number with a fraction, read as the integer",
            Repair::BooleanFromTextOrNumber => "a boolean sent as text or 0/1, read as the boolean",
            Repair::TextFromNumber => "a number where text is declared, kept as its text",
            Repair::DateTimeForm => "a date-time in another common form, read as the same instant",
            Repair::DateTimeAssumedUtc => "a date-time without an offset, read as UTC",
            Repair::DateTimeFromUnixSeconds => {
                "seconds since 1970 where a date-time is declared, read as that instant"
            }
            Repair::DateFromDateTime => "a date-time where a date is declared, its date kept",
            Repair::EmptyObjectFromNull => {
                "null or nothing for an object, read as the empty object"
            }
            Repair::NullAsAbsent => "null for a field that is not nullable, read as absent",
            Repair::LeftOut => "a value that did not decode, left out",
        }
    }
}

impl fmt::Display for Departure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "the body"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {}", self.repair.describe())?;
        if self.failed_at != self.pointer {
            write!(f, " (failed at {}: {})", self.failed_at, self.reason)
        } else {
            write!(f, " ({})", self.reason)
        }
    }
}
