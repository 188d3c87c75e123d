//! `cargo xtask corpus --examples`: do the generated types accept the response examples the
//! document itself gives? Vendors mostly record them from live servers, so they show what the
//! API really sends, departures from its own schema included.
//!
//! Collected per document ([`collect`]), for every response (inline under `paths` or under
//! `components/responses`) and every JSON media type of it:
//! - the media type's `example`, and each of its `examples` with a `value` (directly, or
//!   through a `$ref` to `#/components/examples/..`; an `externalValue` is not fetched);
//! - the body schema's own `example` when it is written inline;
//! - the `example` of every component schema a response body reaches through `$ref`s.
//!
//! A `null` example is read as "none given". Each example is decoded with the conformance
//! harness (`conformance::decode_in_crate`) into the type the generator's table names for its
//! schema, and re-encoded. Each one that fails to decode, or comes back different, is checked
//! by Ajv (`tools/check-examples.mjs`) against its schema: an invalid example whose validation
//! errors include the place decoding failed (the same JSON path, or one inside the other)
//! *contradicts its schema*; any other failure is the *generator being stricter than the
//! schema*, a fault to fix in `codegen/`.

use crate::conformance::{self, Crate};
use anyhow::{Context, Result, bail};
use openapi_sdkgen::pointer;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::process::{Command, Stdio};

/// The formats Ajv asserts: those the generated types check (a `Date`, a `Timestamp`, an
/// `i32`, an `i64`). Any other format is text to the generated types, and an annotation here.
const FORMATS: &[&str] = &["date", "date-time", "int32", "int64"];

/// Keywords whose values are data, not schemas: no `$ref` in them is followed.
const DATA_KEYWORDS: &[&str] = &[
    "example",
    "examples",
    "default",
    "enum",
    "const",
    "x-examples",
];
/// Keywords whose values map names to schemas: a property called `example` is a schema.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "definitions", "$defs"];
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One documented example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Where the example is written (a `$ref`'d example: where it is used).
    pub origin: String,
    /// The schema it is an instance of, as the generator's table names it.
    pub schema: String,
    pub value: Value,
}

/// Every response example of a document, in document order (see the module docs).
pub fn collect(document: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    let mut bodies = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            for method in METHODS {
                let Some(responses) = item[*method]["responses"].as_object() else {
                    continue;
                };
                for (status, response) in responses {
                    // A referenced response is collected once, where it is written.
                    if response.get("$ref").is_some() {
                        continue;
                    }
                    let at = format!(
                        "#/paths/{}/{method}/responses/{}",
                        pointer::escape(path),
                        pointer::escape(status)
                    );
                    response_examples(document, response, &at, &mut found, &mut bodies);
                }
            }
        }
    }
    if let Some(responses) = document["components"]["responses"].as_object() {
        for (name, response) in responses {
            let at = format!("#/components/responses/{}", pointer::escape(name));
            response_examples(document, response, &at, &mut found, &mut bodies);
        }
    }
    for key in reached_components(document, &bodies) {
        let at = format!("#/components/schemas/{}", pointer::escape(&key));
        if let Some(value) = given(&document["components"]["schemas"][&key]["example"]) {
            found.push(Example {
                origin: format!("{at}/example"),
                schema: at,
                value: value.clone(),
            });
        }
    }
    found
}

/// `value` unless it is absent or `null`.
fn given(value: &Value) -> Option<&Value> {
    (!value.is_null()).then_some(value)
}

/// The examples of one response's JSON media types; the pointers of their body schemas go to
/// `bodies`.
fn response_examples(
    document: &Value,
    response: &Value,
    at: &str,
    found: &mut Vec<Example>,
    bodies: &mut Vec<String>,
) {
    let Some(content) = response["content"].as_object() else {
        return;
    };
    for (media_type, media) in content {
        // What the generator decodes as JSON (`lower/responses`).
        if !media_type.to_ascii_lowercase().contains("json") {
            continue;
        }
        let media_at = format!("{at}/content/{}", pointer::escape(media_type));
        let schema = format!("{media_at}/schema");
        let mut push = |origin: String, value: &Value| {
            found.push(Example {
                origin,
                schema: schema.clone(),
                value: value.clone(),
            });
        };
        if let Some(value) = given(&media["example"]) {
            push(format!("{media_at}/example"), value);
        }
        for (name, example) in media["examples"].as_object().into_iter().flatten() {
            let example = match example["$ref"].as_str().and_then(pointer::local) {
                Some(target) => document.pointer(&target).unwrap_or(&Value::Null),
                None => example,
            };
            if let Some(value) = given(&example["value"]) {
                push(
                    format!("{media_at}/examples/{}", pointer::escape(name)),
                    value,
                );
            }
        }
        if media["schema"].get("$ref").is_none()
            && let Some(value) = given(&media["schema"]["example"])
        {
            push(format!("{schema}/example"), value);
        }
        if media.get("schema").is_some() {
            bodies.push(schema.clone());
        }
    }
}

/// The keys of the component schemas reached from `starts` through `$ref`s (transitively), in
/// the order the document lists them.
fn reached_components(document: &Value, starts: &[String]) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue: Vec<String> = starts
        .iter()
        .map(|p| p.trim_start_matches('#').to_owned())
        .collect();
    while let Some(at) = queue.pop() {
        if !seen.insert(at.clone()) {
            continue;
        }
        let Some(schema) = document.pointer(&at) else {
            continue;
        };
        let mut refs = Vec::new();
        references(schema, false, &mut refs);
        queue.extend(refs.iter().filter_map(|r| pointer::local(r)));
    }
    let Some(schemas) = document["components"]["schemas"].as_object() else {
        return Vec::new();
    };
    schemas
        .keys()
        .filter(|key| seen.contains(&format!("/components/schemas/{}", pointer::escape(key))))
        .cloned()
        .collect()
}

/// The `$ref`s inside a schema (`names`: `value` maps names to schemas).
fn references(value: &Value, names: bool, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| references(v, false, out)),
        Value::Object(map) if names => map.values().for_each(|v| references(v, false, out)),
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    (k, _) if DATA_KEYWORDS.contains(&k) => {}
                    (k, _) => references(child, SCHEMA_MAPS.contains(&k), out),
                }
            }
        }
        _ => {}
    }
}

/// Why an example failed: from the decoder's message, or a round trip that came back
/// different.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// `null` where the type holds none.
    Null,
    /// A required property absent.
    Missing,
    /// Another JSON type than the one declared (or a number out of the type's range).
    Type,
    /// A `date` or `date-time` string the engine's types do not read.
    DateTime,
    /// A value no variant of an enum names.
    Enum,
    Other,
    /// Decoded, but came back different.
    RoundTrip,
}

impl Cause {
    pub const ALL: [Cause; 7] = [
        Cause::Null,
        Cause::Missing,
        Cause::Type,
        Cause::DateTime,
        Cause::Enum,
        Cause::Other,
        Cause::RoundTrip,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Cause::Null => "null",
            Cause::Missing => "missing",
            Cause::Type => "type",
            Cause::DateTime => "date/time",
            Cause::Enum => "enum",
            Cause::Other => "other",
            Cause::RoundTrip => "round trip",
        }
    }

    /// The cause a decoder's message names: serde's wording, and for dates jiff's (its
    /// parse errors, `failed to find time component, which is required for parsing a
    /// timestamp`, say).
    fn of(error: &str) -> Cause {
        let lower = error.to_ascii_lowercase();
        let dates = [
            "timestamp",
            "civil date",
            "date/time",
            "failed to find",
            "failed to parse",
        ];
        if lower.starts_with("invalid type: null") {
            Cause::Null
        } else if lower.starts_with("missing field") {
            Cause::Missing
        } else if lower.starts_with("invalid type:") {
            Cause::Type
        } else if dates.iter().any(|w| lower.contains(w)) {
            Cause::DateTime
        } else if lower.starts_with("unknown variant") {
            Cause::Enum
        } else if lower.starts_with("invalid value:") || lower.starts_with("invalid length") {
            Cause::Type
        } else {
            Cause::Other
        }
    }
}

/// Whose fault a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The example is not valid for its schema where decoding failed.
    Contradiction,
    /// The example is valid there: the generated type is stricter than the schema.
    Generator,
}

/// One example that did not decode, or did not come back the same.
#[derive(Debug, Clone)]
pub struct Failure {
    pub origin: String,
    pub schema: String,
    pub cause: Cause,
    pub class: Class,
    /// A contradiction only of the type the schema's keywords imply: the value is not an
    /// object, and the schema states no `type` (see [`Verdict::typeless`]).
    pub typeless: bool,
    /// Where in the example (`a.b[0]`, `.` for the whole).
    pub path: String,
    /// The decoder's message, or what came back.
    pub error: String,
    /// The value at `path`, compact.
    pub value: String,
    /// What the validator said about that place (`valid`, or its first error there).
    pub validator: String,
    /// What the runtime's lenient decoding made of the example: its departures (pointer and
    /// repair, `LeftOut` for a value it contained), or `None` when it failed too (and for a
    /// round trip, which decoded).
    pub lenient: Option<Vec<Departure>>,
}

/// One departure lenient decoding recorded (see the runtime's `Departure`).
#[derive(Debug, Clone, PartialEq)]
pub struct Departure {
    pub pointer: String,
    pub repair: String,
}

impl Failure {
    /// Lenient decoding kept every value, repaired.
    fn repaired(&self) -> bool {
        self.lenient
            .as_ref()
            .is_some_and(|d| d.iter().all(|d| d.repair != "LeftOut"))
    }

    /// Lenient decoding decoded it, with a value left out where it was contained.
    fn contained(&self) -> bool {
        self.lenient.is_some() && !self.repaired()
    }

    fn lenient_text(&self) -> String {
        match &self.lenient {
            None if self.cause == Cause::RoundTrip => "decoded".into(),
            None => "fails too".into(),
            Some(departures) => {
                let each: Vec<String> = departures
                    .iter()
                    .map(|d| {
                        format!(
                            "{} {}",
                            if d.pointer.is_empty() {
                                "/"
                            } else {
                                &d.pointer
                            },
                            d.repair
                        )
                    })
                    .collect();
                format!("decodes: {}", each.join("; "))
            }
        }
    }
}

/// What one document's examples did.
#[derive(Debug, Default, Clone)]
pub struct Examples {
    /// Examples decoded (their schema has a generated type).
    pub examples: usize,
    /// Examples whose schema has no generated type (a second JSON media type of a response,
    /// a media type without a schema, a response no operation uses).
    pub untyped: usize,
    pub decoded: usize,
    pub round_tripped: usize,
    pub failures: Vec<Failure>,
}

impl Examples {
    /// Failed strictly, decoded leniently with every value kept.
    pub fn repaired(&self) -> usize {
        self.failures.iter().filter(|f| f.repaired()).count()
    }

    /// Failed strictly, decoded leniently with a value left out where it was contained.
    pub fn contained(&self) -> usize {
        self.failures.iter().filter(|f| f.contained()).count()
    }
}

/// A document's examples, split by whether the generated crate has a type for their schema.
pub struct Plan {
    pub typed: Vec<Example>,
    pub untyped: usize,
}

/// The examples of a document the generated crate can decode.
pub fn plan(document: &Value, generated: &openapi_sdkgen::Generated) -> Plan {
    let typed_pointers: HashSet<String> =
        openapi_sdkgen::conformance::schema_types(&generated.model)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
    let (typed, untyped): (Vec<Example>, Vec<Example>) = collect(document)
        .into_iter()
        .partition(|e| typed_pointers.contains(&e.schema));
    Plan {
        typed,
        untyped: untyped.len(),
    }
}

/// A failure before the validator has seen it: example index, cause, path, message, and what
/// lenient decoding made of the example.
type Unchecked = (usize, Cause, Vec<String>, String, Option<Vec<Departure>>);

/// Decodes a document's examples with the harness of its prepared, built crate, and classes
/// each failure.
pub fn run(document: &Value, plan: &Plan, krate: &Crate<'_>) -> Result<Examples> {
    let mut entries = Map::new();
    // Per schema pointer, the examples (indices into `plan.typed`) in harness order.
    let mut slots: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in plan.typed.iter().enumerate() {
        let entry = entries
            .entry(e.schema.clone())
            .or_insert_with(|| json!({"instances": []}));
        if let Some(list) = entry["instances"].as_array_mut() {
            list.push(e.value.clone());
        }
        slots.entry(&e.schema).or_default().push(i);
    }
    let results = conformance::decode_in_crate(krate, &entries)?;
    let mut out = Examples {
        untyped: plan.untyped,
        ..Examples::default()
    };
    let mut failed: Vec<Unchecked> = Vec::new();
    for line in results.lines().filter(|l| !l.trim().is_empty()) {
        let r: Value = serde_json::from_str(line).context("reading the harness's results")?;
        let pointer = r["pointer"].as_str().unwrap_or_default();
        let index = r["index"].as_u64().unwrap_or_default() as usize;
        let Some(&i) = slots.get(pointer).and_then(|s| s.get(index)) else {
            continue;
        };
        if r["untyped"] == Value::Bool(true) {
            out.untyped += 1;
            continue;
        }
        out.examples += 1;
        let sent = &plan.typed[i].value;
        if r["decoded"] != Value::Bool(true) {
            let error = r["error"].as_str().unwrap_or_default().to_owned();
            let path = decoder_path(r["path"].as_str().unwrap_or("."));
            let lenient = r["lenient"].as_array().map(|departures| {
                departures
                    .iter()
                    .map(|d| Departure {
                        pointer: d["pointer"].as_str().unwrap_or_default().to_owned(),
                        repair: d["repair"].as_str().unwrap_or_default().to_owned(),
                    })
                    .collect()
            });
            failed.push((i, Cause::of(&error), path, error, lenient));
            continue;
        }
        out.decoded += 1;
        match conformance::difference(sent, &r["reencoded"], "") {
            None => out.round_tripped += 1,
            Some(path) => {
                let path = difference_path(&path);
                let back = value_at(&r["reencoded"], &path).map_or("(absent)".into(), compact);
                failed.push((i, Cause::RoundTrip, path, format!("came back {back}"), None));
            }
        }
    }
    if failed.is_empty() {
        return Ok(out);
    }
    let asked: Vec<&Example> = failed.iter().map(|(i, ..)| &plan.typed[*i]).collect();
    let verdicts = validate(document, &asked, krate)?;
    for ((i, cause, path, error, lenient), verdict) in failed.into_iter().zip(verdicts) {
        let example = &plan.typed[i];
        let (class, validator) = classify(&path, &verdict);
        out.failures.push(Failure {
            origin: example.origin.clone(),
            schema: example.schema.clone(),
            cause,
            class,
            typeless: verdict.typeless && verdict.errors.is_empty(),
            value: value_at(&example.value, &path).map_or("(absent)".into(), compact),
            path: json_path(&path),
            error,
            validator,
            lenient,
        });
    }
    Ok(out)
}

/// What the validator said about one example.
#[derive(Debug, Default)]
struct Verdict {
    /// Its errors, each its path's segments and its message; none when the example is valid.
    errors: Vec<(Vec<String>, String)>,
    /// Valid only vacuously: a value that is not an object, against a schema without `type`
    /// whose keywords all constrain objects (it is invalid once they imply `type: object`).
    typeless: bool,
}

/// Whose fault a failure at `path` is, given the validator's errors for the example (path
/// and message each), and what the validator said there: the example contradicts its schema
/// when an error is at that place, inside it or around it (a decoder reports a missing
/// property, and an untagged union that fits no branch, where the object or union is).
fn classify(path: &[String], verdict: &Verdict) -> (Class, String) {
    let errors = &verdict.errors;
    let related = (errors.iter()).find(|(at, _)| at.starts_with(path) || path.starts_with(at));
    match (related, errors.first()) {
        (Some((at, message)), _) => (Class::Contradiction, format!("{} {message}", json_path(at))),
        (None, Some((at, message))) => (
            Class::Generator,
            format!(
                "valid there (invalid elsewhere: {} {message})",
                json_path(at)
            ),
        ),
        // JSON Schema lets a schema with `properties` and no `type` accept a string, but the
        // document means an object: Ajv's strict mode refuses such a schema ("missing type
        // object for keyword properties"), and generators read it as the object it describes.
        // The example contradicts the type the schema's own keywords imply.
        (None, None) if verdict.typeless => (
            Class::Contradiction,
            "valid only vacuously: not an object, where the schema states no `type` and its keywords constrain objects only (the type they imply, which Ajv's strictTypes requires stated)".into(),
        ),
        (None, None) => (Class::Generator, "valid".into()),
    }
}

/// Ajv's errors for each example.
fn validate(document: &Value, examples: &[&Example], krate: &Crate<'_>) -> Result<Vec<Verdict>> {
    let work = krate.dir.join("conformance");
    std::fs::create_dir_all(&work)?;
    let document_path = work.join("document.json");
    let request_path = work.join("examples.json");
    std::fs::write(&document_path, serde_json::to_vec(document)?)?;
    let asked: Vec<Value> = (examples.iter())
        .map(|e| json!({"pointer": e.schema, "value": e.value}))
        .collect();
    std::fs::write(
        &request_path,
        serde_json::to_vec(&json!({"examples": asked, "formats": FORMATS}))?,
    )?;
    let out = Command::new("node")
        .arg(krate.root.join("tools/check-examples.mjs"))
        .arg(&document_path)
        .arg(&request_path)
        .stdin(Stdio::null())
        .output()
        .context("running node (is Node.js installed?)")?;
    for scratch in [&document_path, &request_path] {
        let _ = std::fs::remove_file(scratch);
    }
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        bail!(
            "check-examples.mjs failed: {}",
            stderr.lines().next().unwrap_or_default()
        );
    }
    let answers: Vec<Value> =
        serde_json::from_slice(&out.stdout).context("reading check-examples.mjs's answer")?;
    if answers.len() != examples.len() {
        bail!(
            "check-examples.mjs answered {} of {} examples",
            answers.len(),
            examples.len()
        );
    }
    Ok(answers
        .iter()
        .map(|a| Verdict {
            errors: (a["errors"].as_array().into_iter().flatten())
                .map(|e| {
                    (
                        validator_path(e["path"].as_str().unwrap_or_default()),
                        e["message"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
            typeless: a["typeless"] == Value::Bool(true),
        })
        .collect())
}

/// The segments of a decoder's path (`a.b[0].c`, `.` for the whole value).
fn decoder_path(path: &str) -> Vec<String> {
    if path == "." {
        return Vec::new();
    }
    path.split('.')
        .flat_map(|part| part.split('['))
        .map(|s| s.trim_end_matches(']'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The segments of a path as `conformance::difference` spells it (`.a.[1]`).
fn difference_path(path: &str) -> Vec<String> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_start_matches('[').trim_end_matches(']').to_owned())
        .collect()
}

/// The segments of Ajv's `instancePath` (a JSON pointer, `/a/0`).
fn validator_path(path: &str) -> Vec<String> {
    path.split('/').skip(1).map(pointer::unescape).collect()
}

/// A path for the report: `$.a[0].b`.
fn json_path(segments: &[String]) -> String {
    let mut out = String::from("$");
    for s in segments {
        if s.parse::<usize>().is_ok() {
            let _ = write!(out, "[{s}]");
        } else {
            let _ = write!(out, ".{s}");
        }
    }
    out
}

fn value_at<'v>(value: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, seg| match v {
        Value::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
        Value::Object(map) => map.get(seg),
        _ => None,
    })
}

/// A value on one line, cut to 160 characters.
fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 160 {
        format!("{}…", text.chars().take(160).collect::<String>())
    } else {
        text
    }
}

/// Example figures over all documents of a run.
#[derive(Default)]
pub struct Totals {
    pub documents: usize,
    pub failed_runs: usize,
    pub examples: usize,
    pub untyped: usize,
    pub decoded: usize,
    pub round_tripped: usize,
    /// Failed strictly; decoded leniently, every value kept (repaired).
    pub repaired: usize,
    /// Failed strictly; decoded leniently, with a value left out where it was contained.
    pub contained: usize,
    /// Failures by cause: (contradicting their schema, the generator's).
    pub by_cause: BTreeMap<Cause, (usize, usize)>,
    /// Contradictions only of the type a schema's keywords imply (see `Verdict::typeless`).
    pub typeless_faults: usize,
}

impl Totals {
    /// Over the runs of a list (`None`: a document not run).
    pub fn of<'a>(runs: impl IntoIterator<Item = Option<&'a Result<Examples, String>>>) -> Self {
        let mut t = Self::default();
        for run in runs.into_iter().flatten() {
            match run {
                Ok(e) => t.add(e),
                Err(_) => t.failed_runs += 1,
            }
        }
        t
    }

    fn add(&mut self, e: &Examples) {
        self.documents += 1;
        self.examples += e.examples;
        self.untyped += e.untyped;
        self.decoded += e.decoded;
        self.round_tripped += e.round_tripped;
        self.repaired += e.repaired();
        self.contained += e.contained();
        self.typeless_faults += e.failures.iter().filter(|f| f.typeless).count();
        for f in &e.failures {
            let entry = self.by_cause.entry(f.cause).or_default();
            match f.class {
                Class::Contradiction => entry.0 += 1,
                Class::Generator => entry.1 += 1,
            }
        }
    }

    /// Decoded by lenient decoding: strictly, or repaired, or with a value contained.
    pub fn lenient(&self) -> usize {
        self.decoded + self.repaired + self.contained
    }

    pub fn generator_faults(&self) -> usize {
        self.by_cause.values().map(|(_, g)| g).sum()
    }

    pub fn contradictions(&self) -> usize {
        self.by_cause.values().map(|(c, _)| c).sum()
    }

    pub fn summary(&self) -> String {
        let causes: Vec<String> = (self.by_cause.iter())
            .filter(|(_, (c, _))| *c > 0)
            .map(|(cause, (c, _))| format!("{} {c}", cause.word()))
            .collect();
        format!(
            "{} documents, {} examples (and {} without a generated type): decoded {} ({:.1}%), leniently {} ({:.1}%: {} more repaired, {} more with a value left out where it was contained), round-tripped {} ({:.1}%); generator faults {}, contradicting their schema {}{}{}; runs failed {}",
            self.documents,
            self.examples,
            self.untyped,
            self.decoded,
            percent(self.decoded, self.examples),
            self.lenient(),
            percent(self.lenient(), self.examples),
            self.repaired,
            self.contained,
            self.round_tripped,
            percent(self.round_tripped, self.examples),
            self.generator_faults(),
            self.contradictions(),
            if causes.is_empty() {
                String::new()
            } else {
                format!(" ({})", causes.join(", "))
            },
            if self.typeless_faults > 0 {
                format!(
                    " ({} of them only of the type a schema's keywords imply: a non-object where the schema states no `type` and its keywords constrain objects only)",
                    self.typeless_faults
                )
            } else {
                String::new()
            },
            self.failed_runs,
        )
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// The headers of the per-document columns [`cells`] fills.
pub fn headers() -> Vec<String> {
    let mut h: Vec<String> = [
        "examples",
        "no type",
        "decode %",
        "lenient %",
        "round trip %",
    ]
    .map(String::from)
    .to_vec();
    h.extend(Cause::ALL.iter().map(|c| c.word().to_owned()));
    h.extend(["generator faults", "first generator fault", "examples s"].map(String::from));
    h
}

/// One document's cells under [`headers`] (all but the time, the caller's).
pub fn cells(run: Option<&Result<Examples, String>>) -> Vec<String> {
    let width = headers().len() - 1;
    match run {
        None => vec!["-".to_owned(); width],
        Some(Err(e)) => {
            let mut row = vec!["-".to_owned(); width];
            row[width - 1] = format!("harness: {e}");
            row
        }
        Some(Ok(e)) => {
            let mut row = vec![
                e.examples.to_string(),
                e.untyped.to_string(),
                format!("{:.1}", percent(e.decoded, e.examples)),
                format!(
                    "{:.1}",
                    percent(e.decoded + e.repaired() + e.contained(), e.examples)
                ),
                format!("{:.1}", percent(e.round_tripped, e.examples)),
            ];
            row.extend(
                Cause::ALL
                    .iter()
                    .map(|c| (e.failures.iter().filter(|f| f.cause == *c).count()).to_string()),
            );
            let faults: Vec<&Failure> = (e.failures.iter())
                .filter(|f| f.class == Class::Generator)
                .collect();
            row.push(faults.len().to_string());
            row.push(faults.first().map_or(String::new(), |f| describe(f)));
            row
        }
    }
}

/// A failure on one line: where, why, the value, and what the validator said.
fn describe(f: &Failure) -> String {
    format!(
        "{} ({}) at {}: {}; value {}; validator: {}; lenient decoding: {}",
        f.origin,
        f.cause.word(),
        f.path,
        f.error,
        f.value,
        f.validator,
        f.lenient_text()
    )
}

/// The report's sections after its table: failures by cause and class, every generator
/// fault, and the first few contradictions of each cause (what a lenient decoder meets).
pub fn sections(runs: &[(&str, &Examples)]) -> String {
    let mut md = String::new();
    let mut totals = Totals::default();
    runs.iter().for_each(|(_, e)| totals.add(e));
    md.push_str("## Failures by cause\n\n| cause | contradicts its schema | generator stricter than the schema | documents |\n|---|---:|---:|---:|\n");
    for cause in Cause::ALL {
        let (c, g) = totals.by_cause.get(&cause).copied().unwrap_or_default();
        let documents = (runs.iter())
            .filter(|(_, e)| e.failures.iter().any(|f| f.cause == cause))
            .count();
        let _ = writeln!(md, "| {} | {c} | {g} | {documents} |", cause.word());
    }
    let _ = writeln!(
        md,
        "| all | {} | {} | {} |\n",
        totals.contradictions(),
        totals.generator_faults(),
        runs.iter().filter(|(_, e)| !e.failures.is_empty()).count()
    );
    let faults: Vec<(&str, &Failure)> = (runs.iter())
        .flat_map(|(spec, e)| e.failures.iter().map(move |f| (*spec, f)))
        .filter(|(_, f)| f.class == Class::Generator)
        .collect();
    let _ = writeln!(md, "## Generator faults ({})\n", faults.len());
    if faults.is_empty() {
        md.push_str("None: every example valid for its schema decodes and round-trips.\n\n");
    }
    for (spec, f) in &faults {
        let _ = writeln!(md, "- `{spec}`: {}", cell(&describe(f)));
    }
    if !faults.is_empty() {
        md.push('\n');
    }
    let rescued: Vec<(&str, &Failure)> = (runs.iter())
        .flat_map(|(spec, e)| e.failures.iter().map(move |f| (*spec, f)))
        .filter(|(_, f)| f.lenient.is_some())
        .collect();
    let _ = writeln!(
        md,
        "## Decoded by lenient decoding ({}: {} repaired, {} with a value left out)\n",
        rescued.len(),
        totals.repaired,
        totals.contained
    );
    md.push_str("Each failed the strict decode; the runtime's lenient decoding (the clients' default) read it and recorded each departure, with its JSON pointer and what it did.\n\n");
    for (spec, f) in &rescued {
        let _ = writeln!(
            md,
            "- `{spec}` {} ({}): {}",
            cell(&f.origin),
            f.cause.word(),
            cell(&f.lenient_text())
        );
    }
    if !rescued.is_empty() {
        md.push('\n');
    }
    md.push_str("## Contradictions, the first three of each cause\n\n");
    for cause in Cause::ALL {
        let first: Vec<(&str, &Failure)> = (runs.iter())
            .flat_map(|(spec, e)| e.failures.iter().map(move |f| (*spec, f)))
            .filter(|(_, f)| f.class == Class::Contradiction && f.cause == cause)
            .take(3)
            .collect();
        if first.is_empty() {
            continue;
        }
        let _ = writeln!(md, "{}:\n", cause.word());
        for (spec, f) in first {
            let _ = writeln!(md, "- `{spec}`: {}", cell(&describe(f)));
        }
        md.push('\n');
    }
    md
}

/// Every failure, a row each: the TSV written beside the report.
pub fn failures_tsv(runs: &[(&str, &Examples)]) -> String {
    let mut out = String::from(
        "spec\tclass\tcause\torigin\tschema\tpath\terror\tvalue\tvalidator\tlenient decoding\n",
    );
    for (spec, e) in runs {
        for f in &e.failures {
            let class = match f.class {
                Class::Contradiction => "contradicts its schema",
                Class::Generator => "generator stricter",
            };
            let lenient = f.lenient_text();
            let fields = [
                *spec,
                class,
                f.cause.word(),
                &f.origin,
                &f.schema,
                &f.path,
                &f.error,
                &f.value,
                &f.validator,
                &lenient,
            ];
            let row: Vec<String> = fields
                .iter()
                .map(|s| s.replace(['\t', '\n'], " "))
                .collect();
            let _ = writeln!(out, "{}", row.join("\t"));
        }
    }
    out
}

/// Text for a markdown line: no table pipes, backticks or new lines, at most 400 characters.
fn cell(text: &str) -> String {
    let line = text.replace(['\t', '\n', '|'], " ").replace('`', "'");
    if line.chars().count() > 400 {
        format!("{}…", line.chars().take(400).collect::<String>())
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
      "paths": {"/pets/{id}": {"get": {"responses": {
        "200": {"description": "", "content": {
          "application/json": {"schema": {"$ref": "#/components/schemas/Pet"},
            "example": {"name": "Rex"},
            "examples": {"one": {"value": {"name": "Tom"}}, "shared": {"$ref": "#/components/examples/Cat"},
                         "far": {"externalValue": "https://example.com/pet.json"}}},
          "text/plain": {"example": "Rex"}}},
        "404": {"$ref": "#/components/responses/Missing"}}}}},
      "components": {
        "schemas": {
          "Pet": {"type": "object", "properties": {"name": {"type": "string"}, "owner": {"$ref": "#/components/schemas/Owner"},
                  "example": {"$ref": "#/components/schemas/Named"}}, "example": {"name": "Max"}},
          "Owner": {"type": "object", "example": {"id": 1}},
          "Named": {"type": "object", "example": {"n": 1}},
          "Unused": {"type": "object", "example": {"x": 1}},
          "Null": {"type": "object", "example": null}},
        "examples": {"Cat": {"value": {"name": "Tibbles"}}},
        "responses": {"Missing": {"description": "", "content": {"application/problem+json": {
          "schema": {"type": "object", "example": {"why": "gone"}}}}}}}}"##;

    #[test]
    fn every_kind_of_response_example_is_collected_where_it_is_written() {
        let doc: Value = serde_json::from_str(DOC).unwrap();
        let found: Vec<(String, String, Value)> = collect(&doc)
            .into_iter()
            .map(|e| (e.origin, e.schema, e.value))
            .collect();
        let body = "#/paths/~1pets~1{id}/get/responses/200/content/application~1json";
        let missing = "#/components/responses/Missing/content/application~1problem+json";
        let expected = vec![
            (
                format!("{body}/example"),
                format!("{body}/schema"),
                json!({"name": "Rex"}),
            ),
            (
                format!("{body}/examples/one"),
                format!("{body}/schema"),
                json!({"name": "Tom"}),
            ),
            (
                format!("{body}/examples/shared"),
                format!("{body}/schema"),
                json!({"name": "Tibbles"}),
            ),
            (
                format!("{missing}/schema/example"),
                format!("{missing}/schema"),
                json!({"why": "gone"}),
            ),
            // Components a response reaches, through a property named `example` too.
            (
                "#/components/schemas/Pet/example".into(),
                "#/components/schemas/Pet".into(),
                json!({"name": "Max"}),
            ),
            (
                "#/components/schemas/Owner/example".into(),
                "#/components/schemas/Owner".into(),
                json!({"id": 1}),
            ),
            (
                "#/components/schemas/Named/example".into(),
                "#/components/schemas/Named".into(),
                json!({"n": 1}),
            ),
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn causes_are_read_from_the_decoders_messages() {
        for (message, cause) in [
            ("invalid type: null, expected a string", Cause::Null),
            ("missing field `id`", Cause::Missing),
            ("invalid type: string \"1\", expected i64", Cause::Type),
            ("invalid value: integer `-1`, expected u32", Cause::Type),
            ("unknown variant `x`, expected one of `a`, `b`", Cause::Enum),
            (
                "invalid type: integer `5`, expected a timestamp string",
                Cause::Type,
            ),
            (
                "failed to find offset component, which is required for parsing a timestamp",
                Cause::DateTime,
            ),
            (
                "cannot parse civil date/time from string with a Zulu offset",
                Cause::DateTime,
            ),
            (
                "data did not match any variant of untagged enum Pet",
                Cause::Other,
            ),
        ] {
            assert_eq!(Cause::of(message), cause, "{message}");
        }
    }

    #[test]
    fn a_failure_is_the_examples_only_where_the_validator_finds_it_invalid() {
        let at = |p: &str| validator_path(p);
        let error = |p: &str, m: &str| (at(p), m.to_owned());
        let verdict = |errors: Vec<(Vec<String>, String)>| Verdict {
            errors,
            typeless: false,
        };
        // Valid: the generator's.
        assert_eq!(classify(&at("/a/0"), &verdict(vec![])).0, Class::Generator);
        // Invalid at the same place, inside it, or around it: the example's.
        for errors in [
            vec![error("/a/0", "must be string")],
            vec![error("/a/0/b", "must have required property 'c'")],
            vec![error("/a", "must match exactly one schema in oneOf")],
        ] {
            let (class, said) = classify(&at("/a/0"), &verdict(errors));
            assert_eq!(class, Class::Contradiction, "{said}");
        }
        // Invalid only somewhere else: still the generator's, where it failed.
        let (class, said) = classify(&at("/a/0"), &verdict(vec![error("/z", "must be integer")]));
        assert_eq!(class, Class::Generator);
        assert_eq!(said, "valid there (invalid elsewhere: $.z must be integer)");
    }

    #[test]
    fn paths_of_the_decoder_the_round_trip_and_the_validator_agree() {
        let segments = ["data", "0", "name"].map(String::from).to_vec();
        assert_eq!(decoder_path("data[0].name"), segments);
        assert_eq!(difference_path(".data.[0].name"), segments);
        assert_eq!(validator_path("/data/0/name"), segments);
        assert_eq!(decoder_path("."), Vec::<String>::new());
        assert_eq!(validator_path(""), Vec::<String>::new());
        assert_eq!(validator_path("/a~1b"), ["a/b"]);
        assert_eq!(json_path(&segments), "$.data[0].name");
        let v = json!({"data": [{"name": "x"}]});
        assert_eq!(value_at(&v, &segments), Some(&json!("x")));
    }
}
