//! Cursor pagination detected from the document: a GET with a cursor-like query parameter whose
//! response holds an item array (`items`, `data`) and a next cursor (`cursor`, `next_cursor`,
//! `next_page_token`, or one of those nested one level down, e.g. `paging.cursor`).

use super::space::TypeSpace;
use crate::ir::{
    Field, Pagination, Param, ParamLocation, Success, SuccessCase, Ty, TypeKind, is_text,
};

const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pagetoken",
    "next_token",
    "starting_after",
    "continuation_token",
];
const ITEM_FIELDS: &[&str] = &["items", "data", "results"];
const CURSOR_FIELDS: &[&str] = &[
    "cursor",
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
];

fn depth(f: &Field) -> u8 {
    match (f.required, f.nullable) {
        (true, false) => 0,
        (false, true) => 2,
        _ => 1,
    }
}

/// Detects pagination for an operation, or `None`.
pub(super) fn detect(
    space: &TypeSpace<'_>,
    params: &[Param],
    success: &[SuccessCase],
) -> Option<Pagination> {
    let cursor = params.iter().find(|p| {
        p.location == ParamLocation::Query
            && !p.required
            && p.ty == Ty::String
            && CURSOR_PARAMS.contains(&p.wire.to_ascii_lowercase().as_str())
    })?;
    let [case] = success else { return None };
    let Success::Json(Ty::Named(name)) = &case.body else {
        return None;
    };
    let fields = struct_fields(space, name)?;
    let items = fields
        .iter()
        .find(|f| ITEM_FIELDS.contains(&f.wire.as_str()) && matches!(f.ty, Ty::Vec(_)))?;
    let Ty::Vec(item_ty) = &items.ty else {
        return None;
    };
    let is_cursor = |f: &&Field| {
        CURSOR_FIELDS.contains(&f.wire.to_ascii_lowercase().as_str())
            && is_text(|n| space.defined(n).map(|d| &d.kind), &f.ty)
    };
    let (next_cursor, wire) = if let Some(c) = fields.iter().find(is_cursor) {
        (vec![(c.ident.clone(), depth(c))], c.wire.clone())
    } else {
        fields.iter().find_map(|outer| {
            let Ty::Named(inner) = &outer.ty else {
                return None;
            };
            let inner_fields = struct_fields(space, inner)?;
            let c = inner_fields.iter().find(is_cursor)?;
            Some((
                vec![
                    (outer.ident.clone(), depth(outer)),
                    (c.ident.clone(), depth(c)),
                ],
                format!("{}.{}", outer.wire, c.wire),
            ))
        })?
    };
    Some(Pagination {
        cursor_param: cursor.ident.clone(),
        items: (items.ident.clone(), depth(items)),
        item_ty: (**item_ty).clone(),
        next_cursor,
        next_cursor_wire: wire,
        items_wire: items.wire.clone(),
    })
}

fn struct_fields(space: &TypeSpace<'_>, name: &str) -> Option<Vec<Field>> {
    space.defined(name).and_then(|d| match &d.kind {
        TypeKind::Struct(s) => Some(s.fields.clone()),
        _ => None,
    })
}
