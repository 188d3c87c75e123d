//! Which component schemas admit `null` as a whole. Decided before any type is lowered, so
//! that every reference to one is an `Option` whatever order components are lowered in: a
//! schema marked `nullable` (or admitting only `null`), a reference to such a component, or a
//! union with a branch that admits `null` (lowering hoists that to `Option<Union>`).

use super::shapes::is_null_only;
use crate::pointer;
use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind};
use std::collections::HashSet;

/// Unions nested deeper than this inside one component are not looked into.
const MAX_UNION_DEPTH: usize = 32;

/// The keys of the components whose values may be `null`.
pub(super) fn nullable_components(
    components: &IndexMap<String, ReferenceOr<Schema>>,
) -> HashSet<String> {
    let mut nullable = HashSet::new();
    // A reference's answer depends on its target's: repeat until nothing changes (each pass
    // but the last adds a component, so there are at most as many passes as components).
    loop {
        let before = nullable.len();
        for (key, schema) in components {
            if !nullable.contains(key) && admits_null(schema, &nullable, 0) {
                nullable.insert(key.clone());
            }
        }
        if nullable.len() == before {
            return nullable;
        }
    }
}

fn admits_null(schema: &ReferenceOr<Schema>, nullable: &HashSet<String>, depth: usize) -> bool {
    match schema {
        ReferenceOr::Reference { reference } => {
            pointer::component_key(reference, "schemas").is_some_and(|k| nullable.contains(&k))
        }
        ReferenceOr::Item(s) if s.schema_data.nullable || is_null_only(s) => true,
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches }
                if depth < MAX_UNION_DEPTH =>
            {
                branches.iter().any(|b| admits_null(b, nullable, depth + 1))
            }
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn components(json: &str) -> IndexMap<String, ReferenceOr<Schema>> {
        serde_json::from_str(json).expect("components")
    }

    #[test]
    fn nullable_schemas_references_to_them_and_unions_with_a_null_branch_admit_null() {
        let c = components(
            r##"{
              "Alias": {"$ref": "#/components/schemas/AliasOfAlias"},
              "AliasOfAlias": {"$ref": "#/components/schemas/Tags"},
              "Tags": {"type": "array", "items": {"type": "string"}, "nullable": true},
              "Pet": {"type": "object", "properties": {"tags": {"$ref": "#/components/schemas/Tags"}}},
              "PetOrNull": {"anyOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "string", "nullable": true, "enum": [null]}]},
              "PetOrTags": {"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"$ref": "#/components/schemas/Alias"}]},
              "PetOrName": {"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "string"}]},
              "Loop": {"$ref": "#/components/schemas/Loop"}
            }"##,
        );
        let mut found: Vec<String> = nullable_components(&c).into_iter().collect();
        found.sort();
        assert_eq!(
            found,
            ["Alias", "AliasOfAlias", "PetOrNull", "PetOrTags", "Tags"]
        );
    }
}
