//! JSON bodies into generated types, strictly or leniently.
//!
//! Both start with plain serde_json on the bytes: an answer that matches its type costs nothing
//! more. When it does not, strict decoding reports the first failure with its path; lenient
//! decoding reads the body as a JSON value and repairs it one failure at a time. At each place
//! the type's decoder fails it tries the readings in [`repairs`](super::repairs) (a number sent
//! as text, a date-time in another form, ...) and keeps the first after which the decoder gets
//! past that place. When none does, the value is left out of its container: an optional field
//! becomes absent, a list item leaves its list. A required field left out fails its object at
//! the next attempt, so containment climbs to the nearest optional field or list item; at the
//! body itself, decoding fails as strict decoding would, at the first cause.
//!
//! Every repair and every value left out is recorded as a [`Departure`] whose pointer names the
//! place in the body as received (indices count the items left out before them).

use super::departure::{Decoding, Departure, Repair};
use super::error::{ApiError, Error, Result, excerpt};
use super::repairs::{Edit, candidates};
use super::variant::Failure;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// A decoded body with what lenient decoding did to it (empty when it matched its type).
pub(crate) type WithDepartures<T> = (T, Vec<Departure>);

/// Decodes a JSON body as `T`; a failure names its path, keeps an excerpt and the whole body.
pub(crate) fn decode_json<T: DeserializeOwned>(
    status: StatusCode,
    body: &bytes::Bytes,
    request_id: Option<&str>,
    decoding: Decoding,
) -> Result<WithDepartures<T>> {
    // Fast path: plain serde_json. Tracking the path costs on every field, so it is paid only
    // when decoding failed, to say where.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok((value, Vec::new()));
    }
    let fail = |path: String, message: String| Error::Decode {
        status,
        path,
        message,
        excerpt: excerpt(body),
        request_id: request_id.map(str::to_owned),
        body: Box::new(body.clone()),
    };
    if decoding == Decoding::Strict {
        let de = &mut serde_json::Deserializer::from_slice(body);
        let Err(e) = serde_path_to_error::deserialize::<_, T>(de) else {
            unreachable!("serde_json decoded these bytes a moment ago and failed");
        };
        let failure = Failure::read(&e.path().to_string(), &e.inner().to_string());
        return Err(fail(failure.path.clone(), failure.detail()));
    }
    // Nothing at all (a 201 or 202 with an empty body) reads as `null`, which the repairs
    // handle like any other `null` answer.
    let value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => value,
            Err(e) => return Err(fail(".".into(), e.to_string())),
        }
    };
    match repair::<T>(value) {
        Ok((decoded, departures)) => {
            log_departures(&departures, "answer", request_id);
            Ok((decoded, departures))
        }
        Err(Unrepaired { path, message }) => Err(fail(path, message)),
    }
}

/// Decodes a JSON value already read (a webhook delivery) by the same rules as
/// [`decode_json`]; `what` names it in the warnings (`"delivery"`). A failure is the first
/// one strict decoding meets, or the one lenient decoding could not contain, with the tags of
/// the union variants that led to it.
pub(crate) fn decode_value<T: DeserializeOwned>(
    value: &Value,
    decoding: Decoding,
    what: &str,
) -> std::result::Result<WithDepartures<T>, Failure> {
    let failure = match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(decoded) => return Ok((decoded, Vec::new())),
        Err(e) => Failure::read(&e.path().to_string(), &e.inner().to_string()),
    };
    if decoding == Decoding::Strict {
        return Err(failure);
    }
    match repair::<T>(value.clone()) {
        Ok((decoded, departures)) => {
            log_departures(&departures, what, None);
            Ok((decoded, departures))
        }
        // The message is a failure's detail (its tag clauses, then the decoder's words), whose
        // tag paths are already whole: read back from the root.
        Err(Unrepaired { path, message }) => Err(Failure {
            path,
            ..Failure::read(".", &message)
        }),
    }
}

/// Each departure as a `tracing` warning (target `openapi_sdkgen_runtime::decode`).
fn log_departures(departures: &[Departure], what: &str, request_id: Option<&str>) {
    for departure in departures {
        tracing::warn!(
            target: "openapi_sdkgen_runtime::decode",
            pointer = %departure.pointer,
            repair = ?departure.repair,
            failed_at = %departure.failed_at,
            request_id = request_id.unwrap_or_default(),
            "the {what} departed from its type: {departure}"
        );
    }
}

impl ApiError {
    /// Decodes the body into a documented error type.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        // Strict: an error body is read to be shown, and a repair would go unseen here.
        let decoded = decode_json(
            self.status,
            &self.body,
            self.request_id.as_deref(),
            Decoding::Strict,
        );
        decoded.map(|(body, _)| body)
    }
}

/// Decodes a JSON body received some other way (from a queue, a file, a recorded answer)
/// exactly as clients decode answers, with what lenient decoding repaired or left out. A
/// failure is an [`Error::Decode`] whose status reads `200 OK`.
pub fn decode_body<T: DeserializeOwned>(
    body: impl Into<bytes::Bytes>,
    decoding: Decoding,
) -> Result<(T, Vec<Departure>)> {
    decode_json(StatusCode::OK, &body.into(), None, decoding)
}

/// A failure lenient decoding could not contain: where (a path like [`Error::Decode`]'s, in
/// the body as received) and what the decoder said.
#[derive(Debug)]
pub(crate) struct Unrepaired {
    pub path: String,
    pub message: String,
}

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The value being repaired, with the items left out of its arrays so far.
struct Body {
    value: Value,
    /// For each array (by its pointer in the body as received), the indices as received of
    /// the items left out, ascending.
    left_out: HashMap<String, Vec<usize>>,
    departures: Vec<Departure>,
    /// The arrays whose items are being repaired one at a time, outermost first: the steps to
    /// each, and the index (as received) of the one item it holds meanwhile.
    probing: Vec<(Vec<Step>, usize)>,
    /// The arrays (pointers as received) already repaired item by item: a failure in one of
    /// them later is handled in place.
    probed: HashSet<String>,
    /// Decode attempts left.
    budget: usize,
}

/// Decodes `value` as `T`, repairing and containing as the module documentation says.
///
/// A failure inside a list item starts an item-by-item pass over that list and the items after
/// it: the list holds one item at a time, so each decode attempt reads that item (and the
/// fields around the list) instead of the whole body. A list whose every item departs the
/// same way (a server writing all its dates without an offset) then costs a few small decodes
/// per item rather than a few whole-body decodes per item.
pub(crate) fn repair<T: DeserializeOwned>(value: Value) -> Result<WithDepartures<T>, Unrepaired> {
    let budget = 4 * count_nodes(&value) + 16;
    // What each departure received is read from the body as sent, not from a value that
    // repairs inside it already changed.
    let original = value.clone();
    let mut body = Body {
        value,
        left_out: HashMap::new(),
        departures: Vec::new(),
        probing: Vec::new(),
        probed: HashSet::new(),
        budget,
    };
    match run::<T>(&mut body, &original, &[], 0)? {
        Some(decoded) => Ok((decoded, body.departures)),
        None => unreachable!("the whole body is always in scope"),
    }
}

/// Repairs failures inside `scope` (steps to a value; empty for the whole body) until `T`
/// decodes (`Some`) or the first failure lies outside the scope (`None`: the scoped value
/// decodes). Lists at depth `probe_from` or deeper are repaired item by item.
fn run<T: DeserializeOwned>(
    body: &mut Body,
    original: &Value,
    scope: &[Step],
    probe_from: usize,
) -> Result<Option<T>, Unrepaired> {
    let mut outcome = attempt::<T>(body);
    loop {
        let failure = match outcome {
            Ok(decoded) => return Ok(Some(decoded)),
            Err(failure) => failure,
        };
        let at = locate(&body.value, &failure.path);
        if !at.starts_with(scope) {
            return Ok(None);
        }
        if body.budget == 0 {
            return Err(Unrepaired {
                path: dotted(&body.original_pointer(&at)),
                message: format!(
                    "{} (lenient decoding gave up: too many repairs)",
                    failure.detail()
                ),
            });
        }
        // The outermost list around the failure not yet repaired item by item.
        let list = (probe_from..at.len()).find(|&i| {
            matches!(at[i], Step::Index(_))
                && !body.probed.contains(&body.original_pointer(&at[..i]))
        });
        if let Some(i) = list {
            let Step::Index(first) = at[i] else {
                unreachable!("found as an index")
            };
            probe_items::<T>(body, original, &at[..i], first)?;
            outcome = attempt::<T>(body);
            continue;
        }
        outcome = repair_at::<T>(body, original, &at, &failure)?;
    }
}

/// Repairs the items of the list at `list` from `first` on, one at a time: the list holds
/// only the item being repaired, the others wait aside and come back after, without those
/// left out.
fn probe_items<T: DeserializeOwned>(
    body: &mut Body,
    original: &Value,
    list: &[Step],
    first: usize,
) -> Result<(), Unrepaired> {
    let pointer = body.original_pointer(list);
    body.probed.insert(pointer);
    let Some(Value::Array(items)) = node_mut(&mut body.value, list) else {
        return Ok(());
    };
    let mut waiting = std::mem::take(items);
    let after = waiting.split_off(first.min(waiting.len()));
    let mut kept = waiting;
    let mut scope = list.to_vec();
    scope.push(Step::Index(0));
    // The indices the items had in the list as received, before any is left out here.
    let indices: Vec<usize> = (first..first + after.len())
        .map(|now| body.original_index(list, now))
        .collect();
    for (item, index) in after.into_iter().zip(indices) {
        if let Some(Value::Array(items)) = node_mut(&mut body.value, list) {
            *items = vec![item];
        }
        body.probing.push((list.to_vec(), index));
        let probed = run::<T>(body, original, &scope, list.len() + 1);
        body.probing.pop();
        probed?;
        if let Some(Value::Array(items)) = node_mut(&mut body.value, list) {
            kept.append(items);
        }
    }
    if let Some(Value::Array(items)) = node_mut(&mut body.value, list) {
        *items = kept;
    }
    Ok(())
}

/// Handles the failure at `at`: the first reading after which the decoder gets past it, or
/// else the value left out of its container. Returns the next attempt.
fn repair_at<T: DeserializeOwned>(
    body: &mut Body,
    original: &Value,
    at: &[Step],
    failure: &Failure,
) -> Result<Result<T, Failure>, Unrepaired> {
    let pointer = body.original_pointer(at);
    let received = original.pointer(&pointer).cloned().unwrap_or(Value::Null);
    let current = node(&body.value, at).cloned().unwrap_or(Value::Null);
    let parent_key = match at.last() {
        Some(Step::Key(key)) => Some(key.clone()),
        _ => None,
    };
    for (edit, kind) in candidates(&current, parent_key.is_some(), at.is_empty()) {
        let saved = apply(&mut body.value, at, &edit);
        let next = attempt::<T>(body);
        let moved = match &next {
            Ok(_) => true,
            Err(next) => {
                let next_at = locate(&body.value, &next.path);
                let missing_self = matches!(&edit, Edit::Remove)
                    && next_at.as_slice() == &at[..at.len() - 1]
                    && missing_field(&next.message) == parent_key.as_deref();
                next_at != at && !missing_self
            }
        };
        if moved {
            body.departures.push(Departure {
                failed_at: pointer.clone(),
                pointer,
                repair: kind,
                received,
                reason: failure.detail(),
            });
            return Ok(next);
        }
        restore(&mut body.value, at, saved);
    }
    // The reason is what made this place fail: when a required field inside it was left out
    // before, that field's own failure.
    let cause = missing_field(&failure.message)
        .map(|field| format!("{pointer}/{}", escape(field)))
        .and_then(|inner| {
            body.departures
                .iter()
                .find(|d| {
                    d.pointer == inner && matches!(d.repair, Repair::LeftOut | Repair::NullAsAbsent)
                })
                .map(|d| (d.failed_at.clone(), d.reason.clone()))
        })
        .unwrap_or_else(|| (pointer.clone(), failure.detail()));
    if at.is_empty() {
        return Err(Unrepaired {
            path: dotted(&cause.0),
            message: cause.1,
        });
    }
    // What was repaired or left out inside this value goes with it.
    let inside = format!("{pointer}/");
    body.departures
        .retain(|d| d.pointer != pointer && !d.pointer.starts_with(&inside));
    body.leave_out(at, &pointer);
    body.departures.push(Departure {
        pointer,
        repair: Repair::LeftOut,
        received,
        failed_at: cause.0,
        reason: cause.1,
    });
    Ok(attempt::<T>(body))
}

impl Body {
    /// The JSON pointer, in the body as received, of the value at `steps` in the body now.
    fn original_pointer(&self, steps: &[Step]) -> String {
        let mut pointer = String::new();
        for (depth, step) in steps.iter().enumerate() {
            match step {
                Step::Key(key) => {
                    pointer.push('/');
                    pointer.push_str(&escape(key));
                }
                Step::Index(now) => {
                    // A list holding one item while it is repaired: that item's own index.
                    let probed = (self.probing.iter())
                        .find(|(list, _)| list.as_slice() == &steps[..depth])
                        .map(|(_, index)| *index);
                    let index = match probed {
                        Some(index) => index,
                        None => self.shifted(&pointer, *now),
                    };
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
            }
        }
        pointer
    }

    /// The index as received of the item now at `now` in the list at `list`.
    fn original_index(&self, list: &[Step], now: usize) -> usize {
        self.shifted(&self.original_pointer(list), now)
    }

    /// `now` counted with the items left out before it of the list at `pointer` (as received).
    fn shifted(&self, pointer: &str, now: usize) -> usize {
        let mut index = now;
        for gone in self.left_out.get(pointer).into_iter().flatten() {
            if *gone <= index {
                index += 1;
            }
        }
        index
    }

    /// Removes the value at `steps` (not the root), whose pointer as received is `pointer`.
    fn leave_out(&mut self, steps: &[Step], pointer: &str) {
        let Some((last, parent)) = steps.split_last() else {
            return;
        };
        match (node_mut(&mut self.value, parent), last) {
            (Some(Value::Object(map)), Step::Key(key)) => {
                map.shift_remove(key);
            }
            (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                items.remove(*index);
                let (array, received) = pointer.rsplit_once('/').unwrap_or_default();
                if let Ok(received) = received.parse::<usize>() {
                    let gone = self.left_out.entry(array.to_owned()).or_default();
                    let at = gone.partition_point(|g| *g < received);
                    gone.insert(at, received);
                }
            }
            _ => {}
        }
    }
}

/// One decode of the whole value, with the failing path when it fails.
fn attempt<T: DeserializeOwned>(body: &mut Body) -> Result<T, Failure> {
    body.budget = body.budget.saturating_sub(1);
    serde_path_to_error::deserialize(&body.value)
        .map_err(|e| Failure::read(&e.path().to_string(), &e.inner().to_string()))
}

/// The field a `missing field` message names.
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// The steps to the deepest value of `value` that `path` (as serde_path_to_error writes it:
/// `data[3].author.name`, `.` for the root) reaches. A key may itself hold dots or brackets:
/// the longest key the object has that the path continues with is taken.
fn locate(value: &Value, path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    if path == "." {
        return steps;
    }
    let mut rest = path;
    let mut here = value;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let Some((digits, after)) = after.split_once(']') else {
                break;
            };
            let (Ok(index), Value::Array(items)) = (digits.parse::<usize>(), here) else {
                break;
            };
            let Some(item) = items.get(index) else { break };
            steps.push(Step::Index(index));
            here = item;
            rest = after;
            continue;
        }
        let name = rest.strip_prefix('.').unwrap_or(rest);
        let Value::Object(map) = here else { break };
        let key = map
            .keys()
            .filter(|key| {
                name.strip_prefix(key.as_str())
                    .is_some_and(|after| after.is_empty() || after.starts_with(['.', '[']))
            })
            .max_by_key(|key| key.len());
        let Some(key) = key else { break };
        rest = &name[key.len()..];
        here = &map[key.as_str()];
        steps.push(Step::Key(key.clone()));
    }
    steps
}

fn node<'v>(value: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    steps.iter().try_fold(value, |here, step| match step {
        Step::Key(key) => here.get(key.as_str()),
        Step::Index(index) => here.get(*index),
    })
}

fn node_mut<'v>(value: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    steps.iter().try_fold(value, |here, step| match step {
        Step::Key(key) => here.get_mut(key.as_str()),
        Step::Index(index) => here.get_mut(*index),
    })
}

/// What an [`apply`] replaced, for [`restore`].
enum Saved {
    Nothing,
    Replaced(Value),
    /// A removed key's value and its position in its object (the decoder reads keys in order).
    Removed(usize, Value),
}

/// Applies `edit` at `steps`.
fn apply(value: &mut Value, steps: &[Step], edit: &Edit) -> Saved {
    match edit {
        Edit::Replace(new) => match node_mut(value, steps) {
            Some(here) => Saved::Replaced(std::mem::replace(here, new.clone())),
            None => Saved::Nothing,
        },
        Edit::Remove => {
            let Some((Step::Key(key), parent)) = steps.split_last() else {
                return Saved::Nothing;
            };
            let Some(Value::Object(map)) = node_mut(value, parent) else {
                return Saved::Nothing;
            };
            let Some(position) = map.keys().position(|k| k == key) else {
                return Saved::Nothing;
            };
            match map.shift_remove(key) {
                Some(was) => Saved::Removed(position, was),
                None => Saved::Nothing,
            }
        }
    }
}

/// Undoes an [`apply`].
fn restore(value: &mut Value, steps: &[Step], saved: Saved) {
    match saved {
        Saved::Nothing => {}
        Saved::Replaced(was) => {
            if let Some(here) = node_mut(value, steps) {
                *here = was;
            }
        }
        Saved::Removed(position, was) => {
            let Some((Step::Key(key), parent)) = steps.split_last() else {
                return;
            };
            if let Some(Value::Object(map)) = node_mut(value, parent) {
                map.shift_insert(position, key.clone(), was);
            }
        }
    }
}

fn count_nodes(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// A key as a JSON pointer token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer as a path like the decoder's (`data[3].author`, `.` for the root).
fn dotted(pointer: &str) -> String {
    let mut path = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{token}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&token);
        }
    }
    if path.is_empty() { ".".into() } else { path }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Author {
        name: String,
        #[serde(default)]
        headline: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Post {
        id: String,
        #[serde(default)]
        likes: Option<u32>,
        #[serde(default)]
        pinned: Option<bool>,
        #[serde(default)]
        author: Option<Author>,
        #[serde(default)]
        at: Option<jiff::Timestamp>,
        #[serde(default)]
        day: Option<jiff::civil::Date>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Page {
        items: Vec<Post>,
        cursor: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize, Default)]
    struct Accepted {
        #[serde(default)]
        job: Option<String>,
    }

    fn lenient<T: DeserializeOwned>(value: Value) -> (T, Vec<Departure>) {
        repair::<T>(value).expect("repaired")
    }

    fn kinds(departures: &[Departure]) -> Vec<(&str, Repair)> {
        departures
            .iter()
            .map(|d| (d.pointer.as_str(), d.repair))
            .collect()
    }

    #[test]
    fn scalars_with_one_clear_reading_are_repaired_and_recorded() {
        let (post, departures) = lenient::<Post>(json!({
            "id": 17, "likes": "12", "pinned": 1,
            "at": "2024-05-01 10:20:30 UTC", "day": "2024-05-01T23:00:00Z"
        }));
        assert_eq!(post.id, "17");
        assert_eq!(post.likes, Some(12));
        assert_eq!(post.pinned, Some(true));
        assert_eq!(post.at.unwrap().to_string(), "2024-05-01T10:20:30Z");
        assert_eq!(post.day.unwrap().to_string(), "2024-05-01");
        // jiff itself reads `+0000`, `+00` and a space for the `T`: no departure there.
        let (read, none) = lenient::<Post>(json!({"id": "a", "at": "2024-05-01 10:20:30+0000"}));
        assert!(none.is_empty() && read.at.is_some());
        assert_eq!(
            kinds(&departures),
            vec![
                ("/id", Repair::TextFromNumber),
                ("/likes", Repair::NumberFromText),
                ("/pinned", Repair::BooleanFromTextOrNumber),
                ("/at", Repair::DateTimeForm),
                ("/day", Repair::DateFromDateTime),
            ]
        );
        assert_eq!(departures[1].received, json!("12"));
        assert!(
            departures[1].reason.contains("expected u32"),
            "{}",
            departures[1].reason
        );
    }

    #[test]
    fn seconds_since_1970_where_a_date_time_is_declared_are_that_instant() {
        let (post, departures) =
            lenient::<Post>(json!({"id": "a", "at": "1421866952.062", "likes": 3}));
        assert_eq!(post.at.unwrap().to_string(), "2015-01-21T19:02:32.062Z");
        assert_eq!(
            kinds(&departures),
            vec![("/at", Repair::DateTimeFromUnixSeconds)]
        );
        // Where text is declared, a number keeps its text rather than becoming a date.
        let (post, departures) = lenient::<Post>(json!({"id": 1421866952}));
        assert_eq!(post.id, "1421866952");
        assert_eq!(kinds(&departures), vec![("/id", Repair::TextFromNumber)]);
    }

    #[test]
    fn a_date_time_without_offset_is_read_as_utc_and_says_so() {
        let (post, departures) = lenient::<Post>(json!({"id": "a", "at": "2024-05-01T10:20:30"}));
        assert_eq!(post.at.unwrap().to_string(), "2024-05-01T10:20:30Z");
        assert_eq!(
            kinds(&departures),
            vec![("/at", Repair::DateTimeAssumedUtc)]
        );
    }

    #[test]
    fn a_list_item_that_cannot_be_read_is_left_out_with_its_index_as_received() {
        let mut items: Vec<Value> = (0..6).map(|i| json!({"id": format!("p{i}")})).collect();
        items[1] = json!({"likes": 3});
        items[4] = json!({"id": "p4", "likes": "many"});
        let (page, departures) = lenient::<Page>(json!({"items": items, "cursor": null}));
        let ids: Vec<_> = page.items.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["p0", "p2", "p3", "p4", "p5"]);
        // `likes` is optional: "many" has no reading as a number, so it is left out of item 4,
        // which stays; item 1 lacks its required id and leaves the list.
        assert_eq!(
            kinds(&departures),
            vec![
                ("/items/1", Repair::LeftOut),
                ("/items/4/likes", Repair::LeftOut)
            ]
        );
        assert_eq!(departures[0].received, json!({"likes": 3}));
        assert_eq!(departures[0].failed_at, "/items/1");
        assert!(departures[0].reason.contains("missing field `id`"));
    }

    #[test]
    fn a_required_field_climbs_to_the_nearest_optional_field_with_its_own_cause() {
        let (post, departures) =
            lenient::<Post>(json!({"id": "a", "author": {"name": null, "headline": "x"}}));
        assert_eq!(post.author, None);
        assert_eq!(kinds(&departures), vec![("/author", Repair::LeftOut)]);
        assert_eq!(departures[0].failed_at, "/author/name");
        assert!(
            departures[0].reason.contains("invalid type: null"),
            "{}",
            departures[0].reason
        );
    }

    #[test]
    fn null_for_an_optional_field_is_absent() {
        let (post, departures) =
            lenient::<Post>(json!({"id": "a", "author": {"name": "n", "headline": null}}));
        assert_eq!(post.author.unwrap().headline, None);
        assert!(departures.is_empty(), "Option accepts null: {departures:?}");
        #[derive(Debug, Deserialize)]
        struct NotNullable {
            #[serde(default, deserialize_with = "no_null")]
            note: Option<String>,
        }
        fn no_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
            String::deserialize(d).map(Some)
        }
        let (value, departures) = lenient::<NotNullable>(json!({"note": null}));
        assert_eq!(value.note, None);
        assert_eq!(kinds(&departures), vec![("/note", Repair::NullAsAbsent)]);
    }

    #[test]
    fn what_cannot_be_contained_fails_at_its_first_cause_like_strict_decoding() {
        let Err(failure) = repair::<Post>(json!({"id": null, "likes": "x"})) else {
            panic!("a required id cannot be repaired");
        };
        assert_eq!(failure.path, "id");
        assert!(
            failure.message.contains("invalid type: null"),
            "{}",
            failure.message
        );
        let strict = decode_json::<Post>(
            StatusCode::OK,
            &bytes::Bytes::from_static(br#"{"id": null, "likes": "x"}"#),
            None,
            Decoding::Strict,
        );
        assert!(matches!(strict, Err(Error::Decode { path, .. }) if path == "id"));
    }

    #[test]
    fn an_empty_body_or_null_is_an_empty_object_when_nothing_is_required() {
        for body in [&b""[..], b"  ", b"null"] {
            let (value, departures) = decode_json::<Accepted>(
                StatusCode::ACCEPTED,
                &bytes::Bytes::copy_from_slice(body),
                None,
                Decoding::Lenient,
            )
            .expect("empty answer");
            assert_eq!(value, Accepted::default());
            assert_eq!(kinds(&departures), vec![("", Repair::EmptyObjectFromNull)]);
        }
        let strict = decode_json::<Accepted>(
            StatusCode::ACCEPTED,
            &bytes::Bytes::new(),
            None,
            Decoding::Strict,
        );
        assert!(strict.is_err());
    }

    #[test]
    fn strict_decoding_fails_where_lenient_decoding_records() {
        let body = json!({"items": [{"id": "a"}, {"id": "b", "at": "yesterday"}], "cursor": null});
        let (_, departures) = lenient::<Page>(body.clone());
        let strict = decode_json::<Page>(
            StatusCode::OK,
            &bytes::Bytes::from(body.to_string()),
            None,
            Decoding::Strict,
        );
        let Err(Error::Decode { path, .. }) = strict else {
            panic!("strict decoding accepted a departure");
        };
        assert_eq!(departures.len(), 1);
        assert_eq!(dotted(&departures[0].failed_at), path);
        assert_eq!(path, "items[1].at");
    }

    #[test]
    fn items_repaired_one_at_a_time_keep_their_indices_as_received_at_every_depth() {
        #[derive(Debug, Deserialize)]
        struct Tagged {
            id: String,
            tags: Vec<u32>,
        }
        #[derive(Debug, Deserialize)]
        struct List {
            items: Vec<Tagged>,
            total: u32,
        }
        let (list, departures) = lenient::<List>(json!({
            "items": [
                {"id": "a", "tags": [1]},
                {"id": "b", "tags": ["x", 2, "3", "y", 5]},
                {"tags": []},
                {"id": "d", "tags": [1, "x"]},
            ],
            "total": "4"
        }));
        let tags: Vec<(&str, &[u32])> = list
            .items
            .iter()
            .map(|t| (t.id.as_str(), t.tags.as_slice()))
            .collect();
        assert_eq!(
            tags,
            [("a", &[1][..]), ("b", &[2, 3, 5][..]), ("d", &[1][..])]
        );
        assert_eq!(list.total, 4);
        assert_eq!(
            kinds(&departures),
            vec![
                ("/items/1/tags/0", Repair::LeftOut),
                ("/items/1/tags/2", Repair::NumberFromText),
                ("/items/1/tags/3", Repair::LeftOut),
                ("/items/2", Repair::LeftOut),
                ("/items/3/tags/1", Repair::LeftOut),
                ("/total", Repair::NumberFromText),
            ]
        );
        assert_eq!(departures[2].received, json!("y"));
        assert_eq!(departures[3].received, json!({"tags": []}));
    }

    #[test]
    fn a_fixed_length_list_is_repaired_in_place() {
        // A list that holds one item at a time no longer fits `[u32; 2]`: the failure lands
        // outside the item, and the item is repaired where it stands.
        #[derive(Debug, Deserialize)]
        struct Pair {
            pair: [u32; 2],
        }
        let (pair, departures) = lenient::<Pair>(json!({"pair": [1, "2"]}));
        assert_eq!(pair.pair, [1, 2]);
        assert_eq!(
            kinds(&departures),
            vec![("/pair/1", Repair::NumberFromText)]
        );
    }

    #[test]
    fn keys_holding_dots_and_brackets_are_found() {
        let value = json!({"a.b": {"c[0]": [1, {"d": 2}]}});
        let steps = locate(&value, "a.b.c[0][1].d");
        assert_eq!(
            steps,
            vec![
                Step::Key("a.b".into()),
                Step::Key("c[0]".into()),
                Step::Index(1),
                Step::Key("d".into())
            ]
        );
    }

    #[test]
    fn many_bad_items_end_in_a_bounded_number_of_attempts() {
        let items: Vec<Value> = (0..300).map(|i| json!({"id": i, "likes": "x"})).collect();
        let (page, departures) = lenient::<Page>(json!({"items": items, "cursor": "c"}));
        assert_eq!(page.items.len(), 300);
        assert_eq!(departures.len(), 600);
    }
}
