//! The arguments of generated constructors: which fields `new` takes and in what order.
//!
//! A constructor's arguments are pinned like names: the order a type's `new` first took its
//! arguments in is reported back (see [`Names::constructors`]) and, pinned, kept whatever
//! order the document lists `properties` or `required` in. Reordering a DTO's properties
//! upstream must not turn `new(provider_id, account_id)` into `new(account_id, provider_id)`,
//! which would still compile and send each value as the other.

use crate::ir::{TypeDef, TypeKind};
use crate::pins::Names;

/// Decides every struct's constructor: its arguments in pinned order (fields pinned first,
/// in their pinned order, then fields not pinned in document order), recording the order
/// chosen for each type whose constructor takes two or more arguments.
pub(super) fn order(types: &mut [TypeDef], pins: &Names, chosen: &mut Names) {
    for def in types.iter_mut() {
        let (TypeKind::Struct(s) | TypeKind::Multipart(s)) = &mut def.kind else {
            continue;
        };
        let takes: Vec<usize> = (0..s.fields.len())
            .filter(|&i| s.fields[i].in_constructor())
            .collect();
        let mut order: Vec<usize> = Vec::with_capacity(takes.len());
        if let Some(pinned) = pins.constructors.get(&def.pointer) {
            for wire in pinned {
                if let Some(&i) = takes.iter().find(|&&i| &s.fields[i].wire == wire)
                    && !order.contains(&i)
                {
                    order.push(i);
                }
            }
        }
        for i in takes {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        if order.len() >= 2 {
            let wires = order.iter().map(|&i| s.fields[i].wire.clone()).collect();
            chosen.constructors.insert(def.pointer.clone(), wires);
        }
        s.constructor = order;
    }
}
