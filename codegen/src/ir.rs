//! The intermediate model: named types and operations, with every `$ref` resolved, every
//! inline schema named and every name decided. It is built by `lower` and read by `emit`; what
//! the document only spells (methods, statuses, locations) is typed here, so no later step
//! parses text again.

use std::fmt;

/// A Rust type as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `String` (also uuid and byte, and date-time and date with [`Dates::Text`]).
    ///
    /// [`Dates::Text`]: crate::Dates::Text
    String,
    /// An instant (`format: date-time`): `engine::Timestamp`.
    DateTime,
    /// A calendar date (`format: date`): `engine::Date`.
    Date,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// A file (`format: binary`): a multipart part in requests.
    Binary,
    /// Any JSON (`serde_json::Value`).
    Value,
    /// A generated type by name.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>` (nullable values inside arrays and maps).
    Option(Box<Ty>),
    /// `Box<T>` (to break recursion).
    Boxed(Box<Ty>),
}

/// Documentation carried from the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// `title`.
    pub title: Option<String>,
    /// `summary` or `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `example`, as compact JSON.
    pub example: Option<String>,
    /// `default`, as compact JSON.
    pub default: Option<String>,
}

/// A named, generated type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// JSON pointer of the schema it came from.
    pub pointer: String,
    /// Docs.
    pub doc: Doc,
    /// Shape.
    pub kind: TypeKind,
}

/// The shape of a generated type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct.
    Struct(Struct),
    /// A string enum with an `Unknown(String)` fallback.
    Enum(StringEnum),
    /// A union told apart by a tag property, with an `Unknown(Value)` fallback.
    Tagged(Tagged),
    /// A union tried in order, with a `Value` fallback.
    Untagged(Untagged),
    /// `type Name = T;`.
    Alias(Ty),
    /// A `multipart/form-data` body (holds files, so it is not serde-derived).
    Multipart(Struct),
}

impl TypeKind {
    /// The variants of a union as (identifier, payload type), in order; empty for anything
    /// else.
    pub fn union_variants(&self) -> Vec<(&String, &Ty)> {
        match self {
            TypeKind::Tagged(t) => t.variants.iter().map(|v| (&v.ident, &v.ty)).collect(),
            TypeKind::Untagged(u) => u.variants.iter().map(|v| (&v.ident, &v.ty)).collect(),
            _ => Vec::new(),
        }
    }
}

/// A struct's fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// Declared `additionalProperties` beside the properties: a flattened map of this type.
    pub additional: Option<Ty>,
    /// The constructor's arguments, as indices into `fields`, in the order `new` takes them:
    /// the fields that must hold a value (see [`Field::in_constructor`]), in the order pinned
    /// for this type, or document order for a type seen first (decided once the whole model
    /// is built, so a reordered `properties` or `required` never reorders arguments).
    pub constructor: Vec<usize>,
    /// When `new` takes its arguments by name: the struct of required fields it takes
    /// (`ChatRequired`), because positional arguments could be confused (more than
    /// [`MAX_POSITIONAL`], or two that one value could be passed as). `None`: positional.
    pub named: Option<String>,
}

/// The most arguments a constructor takes positionally; with more, they are named (see
/// [`Struct::named`]).
pub const MAX_POSITIONAL: usize = 3;

impl Struct {
    /// The fields a constructor takes, in argument order (see [`Struct::constructor`]).
    /// Fields with a [fixed value](Field::fixed_value) are filled in; every other field starts
    /// empty and gets a setter.
    pub fn constructor_fields(&self) -> impl Iterator<Item = &Field> {
        self.constructor.iter().map(|&i| &self.fields[i])
    }
}

/// One struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust name.
    pub ident: String,
    /// Name on the wire.
    pub wire: String,
    /// Value type, without the optional/nullable wrapping.
    pub ty: Ty,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Docs.
    pub doc: Doc,
    /// For multipart bodies: how this field travels.
    pub multipart: Option<MultipartKind>,
    /// The one value the schema allows (a single-value string `enum`).
    pub constant: Option<String>,
}

impl Field {
    /// Whether a constructor takes this field: it is required and cannot be left empty. A
    /// nullable field starts as `null`, and a list of files starts with none (files are added
    /// one by one).
    pub fn in_constructor(&self) -> bool {
        self.required
            && !self.nullable
            && self.multipart != Some(MultipartKind::Files)
            && self.fixed_value().is_none()
    }

    /// The value a constructor fills in by itself: that of a required field whose schema
    /// allows exactly one (a tag such as `"object": "Account"`), so callers never spell it.
    pub fn fixed_value(&self) -> Option<&str> {
        self.constant
            .as_deref()
            .filter(|_| self.required && !self.nullable && self.ty == Ty::String)
    }
}

/// How a multipart field is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MultipartKind {
    /// One file.
    File,
    /// Several files under one name.
    Files,
    /// A JSON-encoded part.
    Json,
    /// Plain text (scalars; arrays repeat the name).
    Text,
    /// Text under the content type the property's `encoding.contentType` declares (scalars
    /// as text, structures as JSON text; arrays repeat the name).
    Typed(String),
    /// Text parts named by the property's `encoding.style`, the way a query string would
    /// carry it: `deepObject` spreads an object into `name[key][sub]` parts, an exploded
    /// `form` array repeats the name once per item.
    Styled {
        /// `encoding.<property>.style`.
        style: ParamStyle,
        /// `encoding.<property>.explode`.
        explode: bool,
    },
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Name of the `Unknown(String)` variant.
    pub fallback: String,
}

/// One known enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// Rust name.
    pub ident: String,
    /// Wire value.
    pub wire: String,
    /// Docs.
    pub doc: Doc,
}

/// A tagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    /// The tag property on the wire.
    pub tag: String,
    /// Variants.
    pub variants: Vec<TaggedVariant>,
    /// Name of the `Unknown(Value)` variant.
    pub fallback: String,
    /// Fields every variant has with the same name, type and optionality (the tag excluded):
    /// the union gets an accessor for each.
    pub shared: Vec<Field>,
}

/// One tagged variant.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// Rust name.
    pub ident: String,
    /// Tag values that select it.
    pub values: Vec<String>,
    /// Payload type.
    pub ty: Ty,
    /// Docs.
    pub doc: Doc,
}

/// An untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct Untagged {
    /// Variants in the order they are tried.
    pub variants: Vec<UntaggedVariant>,
    /// Name of the `Value` fallback variant.
    pub fallback: String,
}

/// One untagged variant.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// Rust name.
    pub ident: String,
    /// Payload type.
    pub ty: Ty,
    /// Docs.
    pub doc: Doc,
}

/// A resource group (one per tag).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Module and accessor name.
    pub module: String,
    /// Struct name.
    pub type_name: String,
    /// Tag description.
    pub doc: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// Path segment.
    Path,
    /// Query string.
    Query,
    /// Header.
    Header,
    /// Cookie.
    Cookie,
}

/// Query serialization style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name.
    pub ident: String,
    /// Wire name.
    pub wire: String,
    /// Location.
    pub location: ParamLocation,
    /// Type.
    pub ty: Ty,
    /// Text after looking through aliases: the method takes `impl Into<String>`.
    pub text: bool,
    /// Required (always for path parameters).
    pub required: bool,
    /// Query style.
    pub style: ParamStyle,
    /// Query explode.
    pub explode: bool,
    /// Declared numeric bounds.
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// Docs.
    pub doc: Doc,
}

impl Param {
    /// Whether the operation's method takes this parameter as a positional argument: only
    /// path parameters, in path order. Every other input is a named setter on the request
    /// builder (a required one is checked before sending), so two values of one type can
    /// never be swapped silently.
    pub fn is_argument(&self) -> bool {
        self.location == ParamLocation::Path
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The encoding sent unless the caller picks another.
    pub default: BodyChoice,
    /// Other encodings the operation accepts, in order of preference: the caller may pick one
    /// instead of the default. Media types that encode alike (`application/json`,
    /// `text/json`, `application/*+json` of one schema) appear once.
    pub alternatives: Vec<BodyChoice>,
    /// `required: true`.
    pub required: bool,
    /// Name of the enum the caller picks an encoding with; `Some` exactly when there are
    /// alternatives.
    pub choice_enum: Option<String>,
}

impl Body {
    /// Every encoding, the default first.
    pub fn choices(&self) -> impl Iterator<Item = &BodyChoice> {
        std::iter::once(&self.default).chain(&self.alternatives)
    }
}

/// One way to send an operation's body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyChoice {
    /// Media type sent.
    pub content_type: String,
    /// Encoding.
    pub kind: BodyKind,
    /// Its variant in the body's choice enum.
    pub variant: String,
    /// The document's example of this body, as compact JSON: the media type's `example`,
    /// else its first inline `examples` value, else the example of its schema.
    pub example: Option<String>,
    /// For a form body, the fields the media type's `encoding` map encodes in a way of its
    /// own, by wire name; every other field keeps the default encoding. Empty otherwise.
    pub form_encodings: Vec<(String, FormFieldEncoding)>,
}

/// How one field of an `application/x-www-form-urlencoded` body is encoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FormFieldEncoding {
    /// As a query parameter of this style would be.
    Styled {
        /// The style.
        style: ParamStyle,
        /// Whether arrays and objects are exploded.
        explode: bool,
    },
    /// As one JSON text (`contentType: application/json`).
    Json,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON of this type.
    Json(Ty),
    /// `application/x-www-form-urlencoded` of this type.
    Form(Ty),
    /// `multipart/form-data` with this generated struct.
    Multipart(String),
    /// Raw bytes.
    Bytes,
    /// Text.
    Text,
}

/// What a successful response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// JSON of this type.
    Json(Ty),
    /// Text.
    Text,
    /// Raw bytes.
    Binary,
    /// Nothing.
    Empty,
}

/// A response status as the document keys it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// One code (`404`).
    Code(u16),
    /// A class of codes (`4XX`), by its first digit.
    Range(u16),
    /// `default`: every status not listed.
    Default,
}

impl Status {
    /// Whether the status is a success (`2xx` or `2XX`).
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(class) => class == 2,
            Status::Default => false,
        }
    }

    /// The one code this status stands for; `None` for a range or `default`.
    pub fn code(self) -> Option<u16> {
        match self {
            Status::Code(code) => Some(code),
            Status::Range(_) | Status::Default => None,
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;

    /// Reads a key of a `responses` object: `404`, `4XX` (any case) or `default`.
    fn from_str(key: &str) -> Result<Self, String> {
        let key = key.trim();
        if key.eq_ignore_ascii_case("default") {
            return Ok(Status::Default);
        }
        if let Some(class) = key
            .strip_suffix("XX")
            .or_else(|| key.strip_suffix("xx"))
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|c| (1..=5).contains(c))
        {
            return Ok(Status::Range(class));
        }
        key.parse::<u16>()
            .map(Status::Code)
            .map_err(|_| format!("`{key}` is not a response status"))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

/// One success status and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessCase {
    /// Status; a range or `default` matches any success status not listed.
    pub status: Status,
    /// Its variant in the operation's response enum.
    pub variant: String,
    /// Body.
    pub body: Success,
}

/// One documented error status and its JSON body type, when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    /// Status.
    pub status: Status,
    /// Body type.
    pub body: Option<Ty>,
}

/// An HTTP method an operation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item lists them.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The method as sent on the wire (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The key of this method in a path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// This method's operation in a path item.
    pub fn of(self, item: &openapiv3::PathItem) -> Option<&openapiv3::Operation> {
        match self {
            HttpMethod::Get => item.get.as_ref(),
            HttpMethod::Put => item.put.as_ref(),
            HttpMethod::Post => item.post.as_ref(),
            HttpMethod::Delete => item.delete.as_ref(),
            HttpMethod::Options => item.options.as_ref(),
            HttpMethod::Head => item.head.as_ref(),
            HttpMethod::Patch => item.patch.as_ref(),
            HttpMethod::Trace => item.trace.as_ref(),
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A detected cursor-paginated list.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The cursor query parameter's Rust name.
    pub cursor_param: String,
    /// Path of the item array in the response: (field ident, option depth).
    pub items: (String, u8),
    /// Item type.
    pub item_ty: Ty,
    /// Path of the next cursor in the response.
    pub next_cursor: Vec<(String, u8)>,
    /// Wire path of the cursor, for docs.
    pub next_cursor_wire: String,
    /// Wire name of the items field, for docs.
    pub items_wire: String,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Index into [`Model::groups`].
    pub group: usize,
    /// Method name on the group.
    pub method: String,
    /// Request builder type name.
    pub builder: String,
    /// Name of the enum of its success responses; `Some` when they differ in body.
    pub response_enum: Option<String>,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// Path template.
    pub path: String,
    /// `operationId`, when given.
    pub operation_id: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Pointer to the operation.
    pub pointer: String,
    /// Parameters (the idempotency header excluded).
    pub params: Vec<Param>,
    /// Body.
    pub body: Option<Body>,
    /// Success responses.
    pub success: Vec<SuccessCase>,
    /// Documented error statuses and body types.
    pub errors: Vec<ErrorCase>,
    /// Detected pagination.
    pub pagination: Option<Pagination>,
    /// Declares an `Idempotency-Key` header.
    pub idempotent: bool,
    /// The Cargo feature that compiles this operation in a crate split by feature: its first
    /// tag, or for an untagged operation the first path segment that names a resource (not a
    /// version like `v1`, not a parameter), as a snake_case name, with a `-group` suffix where
    /// Cargo or the generator already uses the name (`default`, `full`, `mock`, `serde`,
    /// `std`). Taken from the document's words, never from order, so it stays the same across
    /// regenerations.
    pub feature: String,
}

/// How the API wants its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// No security scheme.
    None,
    /// HTTP bearer.
    Bearer,
    /// API key in a header.
    Header(String),
    /// API key in the query.
    Query(String),
}

/// The whole model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// First server URL, its variables replaced by their defaults.
    pub server: Option<String>,
    /// Preferred auth.
    pub auth: AuthKind,
    /// Named types in definition order.
    pub types: Vec<TypeDef>,
    /// Resource groups.
    pub groups: Vec<Group>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// Requests the API sends to its users (callbacks and webhooks), in document order.
    pub callbacks: Vec<Callback>,
    /// The type that decodes a schema's JSON where it is not just the type named after the
    /// schema: every JSON response body schema, and every nullable component schema (as an
    /// `Option`); once per schema.
    pub schema_types: Vec<SchemaType>,
    /// The string enum that types the `code` of the operations' error answers (their body's
    /// `code`, or its `error` envelope's), the one most error answers use; `None` when no
    /// error answer types its code so. The generated root re-exports it as `ErrorCode`.
    pub error_code: Option<String>,
}

/// A request the API sends to an endpoint its user serves: a 3.0 callback of an operation, or
/// a 3.1 top-level webhook. The payload is typed; there is nothing to call.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    /// What declares it.
    pub origin: CallbackOrigin,
    /// The runtime expression of the target URL (`{$request.body#/url}`); none for webhooks.
    pub expression: Option<String>,
    /// The method the API sends with.
    pub method: HttpMethod,
    /// The media types the payload may arrive in, as the document lists them.
    pub content_types: Vec<String>,
    /// The payload's type (of the preferred media type); `None` when no schema is given.
    pub payload: Option<Ty>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
}

/// What declares a [`Callback`].
#[derive(Debug, Clone, PartialEq)]
pub enum CallbackOrigin {
    /// A 3.0 callback named `name` of the operation `method path`.
    Operation {
        /// The operation's method.
        method: HttpMethod,
        /// The operation's path.
        path: String,
        /// The callback's key in `callbacks`.
        name: String,
    },
    /// A 3.1 webhook named `name`.
    Webhook {
        /// The key in `webhooks`.
        name: String,
    },
}

impl CallbackOrigin {
    /// The callback's or webhook's own name.
    pub fn name(&self) -> &str {
        match self {
            CallbackOrigin::Operation { name, .. } | CallbackOrigin::Webhook { name } => name,
        }
    }
}

/// A schema of the document and the type that decodes its JSON (for conformance tests).
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaType {
    /// Where the schema stands, references to responses followed (each pointer resolves
    /// inside the document without crossing a `$ref`, except the schema itself may be one).
    pub pointer: String,
    /// The type.
    pub ty: Ty,
}

/// Whether `ty` is text, looking through aliases with `kind_of` (a name -> definition lookup).
pub(crate) fn is_text<'a>(kind_of: impl Fn(&str) -> Option<&'a TypeKind>, ty: &Ty) -> bool {
    let mut ty = ty.clone();
    // Alias chains are short; the bound only guards against an alias cycle.
    for _ in 0..16 {
        match ty {
            Ty::String => return true,
            Ty::Named(ref n) => match kind_of(n) {
                Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}
