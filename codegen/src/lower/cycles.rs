//! Recursive types: fields and variants that contain their own type (directly or through other
//! types) are boxed; aliases that expand into themselves become `Value`.

use crate::diagnostics::Diagnostics;
use crate::ir::{Ty, TypeDef, TypeKind};
use std::collections::HashMap;

/// Named types a value of `ty` holds inline (not behind `Vec`, map or `Box`).
fn direct_refs(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Option(inner) => direct_refs(inner, out),
        _ => {}
    }
}

/// Every named type mentioned anywhere in `ty`.
fn all_refs(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Option(i) | Ty::Vec(i) | Ty::Map(i) | Ty::Boxed(i) => all_refs(i, out),
        _ => {}
    }
}

fn payload_types(kind: &TypeKind) -> Vec<&Ty> {
    match kind {
        TypeKind::Struct(s) | TypeKind::Multipart(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Tagged(t) => t.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Untagged(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Strongly connected components (iterative Tarjan, so huge documents cannot overflow the stack).
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

fn box_if(ty: &mut Ty, needs_box: &dyn Fn(&str) -> bool) {
    match ty {
        Ty::Named(n) if needs_box(n) => *ty = Ty::Boxed(Box::new(ty.clone())),
        Ty::Option(inner) => box_if(inner, needs_box),
        _ => {}
    }
}

/// Boxes recursive fields and variants and neutralises self-expanding aliases.
pub(super) fn break_cycles(types: &mut [TypeDef], diags: &mut Diagnostics) {
    let ids: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();

    // Aliases that expand into themselves cannot be written in Rust at all.
    let alias_edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Alias(ty) => {
                let mut refs = Vec::new();
                all_refs(ty, &mut refs);
                refs.iter()
                    .filter_map(|r| ids.get(r).copied())
                    .filter(|&j| matches!(types[j].kind, TypeKind::Alias(_)))
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let alias_comp = components(&alias_edges);
    for i in 0..types.len() {
        let cyclic = alias_edges[i]
            .iter()
            .any(|&j| alias_comp[j] == alias_comp[i]);
        if cyclic {
            diags.warn(
                &types[i].pointer,
                "this schema only refers to itself through aliases; using any JSON",
            );
            types[i].kind = TypeKind::Alias(Ty::Value);
        }
    }

    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut refs = Vec::new();
            for ty in payload_types(&t.kind) {
                direct_refs(ty, &mut refs);
            }
            refs.iter().filter_map(|r| ids.get(r).copied()).collect()
        })
        .collect();
    let comp = components(&edges);
    for i in 0..types.len() {
        let mine = comp[i];
        let needs_box = |name: &str| ids.get(name).is_some_and(|&j| comp[j] == mine);
        if !edges[i].iter().any(|&j| comp[j] == mine) {
            continue;
        }
        match &mut types[i].kind {
            TypeKind::Struct(s) | TypeKind::Multipart(s) => s
                .fields
                .iter_mut()
                .for_each(|f| box_if(&mut f.ty, &needs_box)),
            TypeKind::Tagged(t) => t
                .variants
                .iter_mut()
                .for_each(|v| box_if(&mut v.ty, &needs_box)),
            TypeKind::Untagged(u) => u
                .variants
                .iter_mut()
                .for_each(|v| box_if(&mut v.ty, &needs_box)),
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
}
