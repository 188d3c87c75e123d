//! The intermediate model: named types and operations, built from the document with every
//! `$ref` resolved and every inline schema named. Emission reads only this model.

mod cycles;
mod merge;
mod operations;
mod pagination;
mod schemas;
mod unions;

use crate::diagnostics::Diagnostics;
use crate::load::Document;

pub use schemas::TypeSpace;

/// A Rust type as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `String` (also date-time, date, uuid, byte: kept as text so a malformed value never
    /// fails a whole response).
    String,
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

/// A struct's fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// Declared `additionalProperties` beside the properties: a flattened map of this type.
    pub additional: Option<Ty>,
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
}

/// How a multipart field is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultipartKind {
    /// One file.
    File,
    /// Several files under one name.
    Files,
    /// A JSON-encoded part.
    Json,
    /// Plain text (scalars; arrays repeat the name).
    Text,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Required (always for path parameters).
    /// Text after looking through aliases: the method takes `impl Into<String>`.
    pub text: bool,
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

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Media type sent.
    pub content_type: String,
    /// Encoding.
    pub kind: BodyKind,
    /// `required: true`.
    pub required: bool,
    /// Other encodings the operation accepts, in order of preference: the caller may pick one
    /// instead of the default. Media types that encode alike (`application/json`,
    /// `text/json`, `application/*+json` of one schema) appear once.
    pub alternatives: Vec<BodyChoice>,
}

/// One more way to send an operation's body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyChoice {
    /// Media type sent.
    pub content_type: String,
    /// Encoding.
    pub kind: BodyKind,
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

/// One success status and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessCase {
    /// Status code (`200`), or 0 for `2XX`/`default`.
    pub status: u16,
    /// Body.
    pub body: Success,
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
    /// HTTP method, upper case.
    pub http_method: String,
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
    pub errors: Vec<(String, Option<Ty>)>,
    /// Detected pagination.
    pub pagination: Option<Pagination>,
    /// Declares an `Idempotency-Key` header.
    pub idempotent: bool,
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
}

/// Builds the model from a loaded document.
pub fn build(doc: &Document, diags: &mut Diagnostics) -> Model {
    let mut space = TypeSpace::new(doc);
    space.define_components(diags);
    let (groups, ops) = operations::build(&mut space, doc, diags);
    let mut types = space.finish();
    cycles::break_cycles(&mut types, diags);
    unions::find_shared_fields(&mut types);
    let info = &doc.api.info;
    Model {
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        server: doc.api.servers.first().map(server_url),
        auth: operations::auth_kind(&doc.api),
        types,
        groups,
        operations: ops,
    }
}

/// A server URL with each `{variable}` replaced by its declared default.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    url
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
