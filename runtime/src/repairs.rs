//! The readings lenient decoding tries for a value its type refused: each has one clear
//! meaning (the same number, boolean, instant or date), in the order tried. Which one the
//! type wants is not known here; [`decode`](super::decode) keeps the first after which the
//! type's decoder gets past the value.

use super::departure::Repair;
use serde_json::{Number, Value};

/// A change to the refused value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Edit {
    /// Put this value in its place.
    Replace(Value),
    /// Remove the field from its object (only offered for fields).
    Remove,
}

/// The readings of `value` to try, each with the repair it would record. `is_field`: the
/// value is an object's field; `is_body`: it is the whole body.
pub(crate) fn candidates(value: &Value, is_field: bool, is_body: bool) -> Vec<(Edit, Repair)> {
    let mut out = Vec::new();
    match value {
        Value::Null => {
            if is_field {
                out.push((Edit::Remove, Repair::NullAsAbsent));
            }
            if is_field || is_body {
                out.push((
                    Edit::Replace(Value::Object(Default::default())),
                    Repair::EmptyObjectFromNull,
                ));
            }
        }
        Value::String(text) => {
            if let Some(number) = number_from_text(text) {
                out.push((
                    Edit::Replace(Value::Number(number.clone())),
                    Repair::NumberFromText,
                ));
                if let Some(whole) = whole_number(&number) {
                    out.push((Edit::Replace(Value::Number(whole)), Repair::NumberFromText));
                }
            }
            if let Some(instant) = unix_seconds(text) {
                out.push((
                    Edit::Replace(Value::String(instant)),
                    Repair::DateTimeFromUnixSeconds,
                ));
            }
            if let Some(flag) = match text.as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            } {
                out.push((
                    Edit::Replace(Value::Bool(flag)),
                    Repair::BooleanFromTextOrNumber,
                ));
            }
            if let Some(form) = DateTimeText::read(text) {
                let same = form.canonical();
                if same != *text {
                    out.push((Edit::Replace(Value::String(same)), Repair::DateTimeForm));
                }
                if form.offset.is_none() {
                    out.push((
                        Edit::Replace(Value::String(format!("{}Z", form.canonical()))),
                        Repair::DateTimeAssumedUtc,
                    ));
                }
                out.push((
                    Edit::Replace(Value::String(text[..10].to_owned())),
                    Repair::DateFromDateTime,
                ));
            }
        }
        Value::Number(number) => {
            if let Some(whole) = whole_number(number) {
                out.push((
                    Edit::Replace(Value::Number(whole)),
                    Repair::IntegerFromFraction,
                ));
            }
            match number.as_u64() {
                Some(0) => out.push((
                    Edit::Replace(Value::Bool(false)),
                    Repair::BooleanFromTextOrNumber,
                )),
                Some(1) => out.push((
                    Edit::Replace(Value::Bool(true)),
                    Repair::BooleanFromTextOrNumber,
                )),
                _ => {}
            }
            out.push((
                Edit::Replace(Value::String(number.to_string())),
                Repair::TextFromNumber,
            ));
            if let Some(instant) = unix_seconds(&number.to_string()) {
                out.push((
                    Edit::Replace(Value::String(instant)),
                    Repair::DateTimeFromUnixSeconds,
                ));
            }
        }
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => {}
    }
    out
}

/// The number `text` writes in JSON's own syntax (no spaces, no `+`, no hex): what a server
/// that quoted a number meant.
fn number_from_text(text: &str) -> Option<Number> {
    let first = *text.as_bytes().first()?;
    if !(first == b'-' || first.is_ascii_digit()) {
        return None;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Number(number)) => Some(number),
        _ => None,
    }
}

/// Seconds since the Unix epoch, written as a plain decimal (`1421866952.062`), as the
/// RFC 3339 instant they name; `None` outside 1970 to 2100, where the number is more likely
/// milliseconds or something else than seconds.
fn unix_seconds(text: &str) -> Option<String> {
    const YEAR_2100: i64 = 4_102_444_800;
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 9
    {
        return None;
    }
    let seconds: i64 = whole.parse().ok()?;
    if seconds >= YEAR_2100 {
        return None;
    }
    let nanos: i32 = format!("{fraction:0<9}").parse().ok()?;
    let instant = jiff::Timestamp::new(seconds, nanos).ok()?;
    Some(instant.to_string())
}

/// `5.0` as the integer `5`; `None` for a number that is already an integer or has a fraction.
fn whole_number(number: &Number) -> Option<Number> {
    if number.is_i64() || number.is_u64() {
        return None;
    }
    let float = number.as_f64()?;
    if float.fract() != 0.0 || float.abs() > 9_007_199_254_740_992.0 {
        return None;
    }
    // In range and whole, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation)]
    let whole = float as i64;
    Some(Number::from(whole))
}

/// A date-time in one of the forms servers write: `YYYY-MM-DD`, then `T`, `t` or a space, then
/// `HH:MM`, optional `:SS` and fraction, then an optional offset (`Z`, `z`, `UTC`, `GMT`,
/// `+HH:MM`, `+HHMM`, `+HH`), perhaps after a space, and nothing after.
#[derive(Debug, PartialEq)]
struct DateTimeText<'a> {
    date: &'a str,
    time: &'a str,
    /// The offset as RFC 3339 writes it (`Z` or `+HH:MM`).
    offset: Option<String>,
}

impl<'a> DateTimeText<'a> {
    fn read(text: &'a str) -> Option<Self> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let shape = |s: &str, pattern: &str| {
            s.len() == pattern.len()
                && s.bytes().zip(pattern.bytes()).all(|(c, p)| {
                    if p == b'9' {
                        c.is_ascii_digit()
                    } else {
                        c == p
                    }
                })
        };
        let date = text.get(..10)?;
        if !shape(date, "9999-99-99")
            || !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' '))
        {
            return None;
        }
        let rest = &text[11..];
        // The time is digits, colons and a decimal point; the offset follows, perhaps after a
        // space.
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
            .unwrap_or(rest.len());
        let (time, offset) = rest.split_at(end);
        let offset = offset.strip_prefix(' ').unwrap_or(offset);
        let clock = time.get(..5)?;
        if !shape(clock, "99:99") {
            return None;
        }
        let seconds = &time[5..];
        if !(seconds.is_empty()
            || shape(seconds, ":99")
            || (seconds.len() > 4
                && shape(&seconds[..3], ":99")
                && seconds.as_bytes()[3] == b'.'
                && digits(&seconds[4..])))
        {
            return None;
        }
        let offset = match offset {
            "" => None,
            "Z" | "z" | "UTC" | "GMT" => Some("Z".to_owned()),
            signed => {
                let (sign, hours_minutes) = signed.split_at(1);
                let (hours, minutes) = match hours_minutes.len() {
                    2 => (hours_minutes, "00"),
                    4 => hours_minutes.split_at(2),
                    5 if hours_minutes.as_bytes()[2] == b':' => {
                        (&hours_minutes[..2], &hours_minutes[3..])
                    }
                    _ => return None,
                };
                if !digits(hours) || !digits(minutes) {
                    return None;
                }
                Some(format!("{sign}{hours}:{minutes}"))
            }
        };
        Some(Self { date, time, offset })
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]` with the offset as RFC 3339 writes it, if there is one.
    fn canonical(&self) -> String {
        let seconds = if self.time.len() == 5 { ":00" } else { "" };
        format!(
            "{}T{}{seconds}{}",
            self.date,
            self.time,
            self.offset.as_deref().unwrap_or_default()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn replacements(value: Value) -> Vec<(Value, Repair)> {
        candidates(&value, true, false)
            .into_iter()
            .filter_map(|(edit, repair)| match edit {
                Edit::Replace(v) => Some((v, repair)),
                Edit::Remove => None,
            })
            .collect()
    }

    #[test]
    fn date_times_in_common_forms_are_read_as_rfc_3339() {
        let form = |s| DateTimeText::read(s).map(|f| f.canonical());
        assert_eq!(
            form("2024-05-01 10:20:30+0000").as_deref(),
            Some("2024-05-01T10:20:30+00:00")
        );
        assert_eq!(
            form("2024-05-01T10:20:30.125z").as_deref(),
            Some("2024-05-01T10:20:30.125Z")
        );
        assert_eq!(
            form("2024-05-01T10:20-05").as_deref(),
            Some("2024-05-01T10:20:00-05:00")
        );
        assert_eq!(
            form("2024-05-01T10:20:30").as_deref(),
            Some("2024-05-01T10:20:30")
        );
        assert_eq!(
            form("2024-05-01 10:20:30 +0000").as_deref(),
            Some("2024-05-01T10:20:30+00:00")
        );
        assert_eq!(
            form("2024-05-01 10:20:30 UTC").as_deref(),
            Some("2024-05-01T10:20:30Z")
        );
        for not_a_date_time in [
            "2024-05-01",
            "2024-05-01T1:20",
            "2024-05-01T10:20:30+1",
            "x024-05-01T10:20",
            "2024-05-01T10:20:30  Z",
        ] {
            assert_eq!(form(not_a_date_time), None, "{not_a_date_time}");
        }
    }

    #[test]
    fn readings_of_text_numbers_and_null() {
        let text = replacements(json!("12"));
        assert_eq!(text[0], (json!(12), Repair::NumberFromText));
        assert!(replacements(json!("5.0")).contains(&(json!(5), Repair::NumberFromText)));
        assert!(
            replacements(json!("0")).contains(&(json!(false), Repair::BooleanFromTextOrNumber))
        );
        assert!(replacements(json!(1)).contains(&(json!(true), Repair::BooleanFromTextOrNumber)));
        assert!(replacements(json!(7.5)).contains(&(json!("7.5"), Repair::TextFromNumber)));
        assert!(replacements(json!("1421866952.062")).contains(&(
            json!("2015-01-21T19:02:32.062Z"),
            Repair::DateTimeFromUnixSeconds
        )));
        assert!(replacements(json!(1458680301)).contains(&(
            json!("2016-03-22T20:58:21Z"),
            Repair::DateTimeFromUnixSeconds
        )));
        // Milliseconds (or anything past 2100) have no reading as seconds.
        assert!(
            !replacements(json!(1458680301000_i64))
                .iter()
                .any(|(_, r)| *r == Repair::DateTimeFromUnixSeconds)
        );
        assert_eq!(replacements(json!("+12")), vec![]);
        assert_eq!(replacements(json!(" 12")), vec![]);
        let no_offset = replacements(json!("2024-05-01 10:20:30"));
        assert_eq!(
            no_offset,
            vec![
                (json!("2024-05-01T10:20:30"), Repair::DateTimeForm),
                (json!("2024-05-01T10:20:30Z"), Repair::DateTimeAssumedUtc),
                (json!("2024-05-01"), Repair::DateFromDateTime),
            ]
        );
        assert_eq!(
            candidates(&Value::Null, true, false)[0],
            (Edit::Remove, Repair::NullAsAbsent)
        );
        assert_eq!(candidates(&Value::Null, false, false), vec![]);
    }
}
