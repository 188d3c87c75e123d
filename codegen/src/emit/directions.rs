//! Which types a generated crate writes ([`JsonImpls::AsUsed`](crate::JsonImpls)). Every
//! type is read: responses, errors, pages and webhooks decode into them, and a user may read
//! any of them from stored JSON. A type is written only when some request sends it (a body or
//! parameter, or a type inside one); the writing of the others, and their setters, come with
//! the crate's `serde` feature (which `mock` turns on) and in its own tests. JSON code is most
//! of what a generated crate costs to check (BENCHMARKS.md), and most types of an API are
//! only ever read.
//!
//! What a type gets only grows as its document grows: a type starts being written when an
//! operation, field or variant starts sending it, and nothing is taken away from code written
//! against an earlier version. (Reading only what responses carry would break that: a type no
//! operation uses yet, then used only in a request, would lose its reading.) The exception is
//! a change that splits two identical inline schemas the lowering shared as one type: the copy
//! left on the response side stops being written.

use super::features::{closure, request_types, type_index};
use crate::ir::Model;

/// For each type of `model.types` (same order), whether some request sends it.
pub(crate) fn sent_types(model: &Model) -> Vec<bool> {
    let index = type_index(model);
    let mut roots = Vec::new();
    for op in &model.operations {
        request_types(op, &mut roots);
    }
    let mut sent = vec![false; model.types.len()];
    for i in closure(model, &index, roots) {
        sent[i] = true;
    }
    sent
}

#[cfg(test)]
mod tests {
    use super::sent_types;
    use crate::{Options, generate};
    use std::collections::BTreeMap;

    /// An order is sent, its receipt comes back, money travels both ways; `Event` is used by
    /// no operation, and a receipt's payment is a union of two kinds.
    const DOC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /orders:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Receipt'}}}}
components:
  schemas:
    Order: {type: object, properties: {line: {$ref: '#/components/schemas/Line'}}}
    Line: {type: object, properties: {price: {$ref: '#/components/schemas/Money'}}}
    Money: {type: object, properties: {cents: {type: integer}}}
    Receipt:
      type: object
      properties:
        total: {$ref: '#/components/schemas/Money'}
        payment:
          oneOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Wire'}]
    Card: {type: object, properties: {last4: {type: string}}}
    Wire: {type: object, properties: {iban: {type: string}}}
    Event: {type: object, properties: {customer: {$ref: '#/components/schemas/Customer'}}}
    Customer: {type: object, properties: {id: {type: string}}}
"#;

    fn sent(doc: &str) -> BTreeMap<String, bool> {
        let out = generate(doc.as_bytes(), &Options::default()).unwrap();
        (out.model.types.iter())
            .map(|t| t.name.clone())
            .zip(sent_types(&out.model))
            .collect()
    }

    #[test]
    fn a_type_is_written_when_a_request_sends_it() {
        let sent = sent(DOC);
        assert!(sent["Order"]);
        assert!(sent["Line"], "inside a sent type");
        assert!(sent["Money"], "sent in a line, received in a receipt");
        for only_read in ["Receipt", "Card", "Wire", "Event", "Customer"] {
            assert!(!sent[only_read], "{only_read}");
        }
    }

    #[test]
    fn a_growing_document_never_takes_writing_away() {
        // A new operation sends `Event` (once unused) and receives `Order` (once only sent).
        let grown = DOC.replace(
            "components:",
            r#"  /events:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
components:"#,
        );
        let after = sent(&grown);
        assert!(after["Event"] && after["Customer"]);
        for (name, was) in sent(DOC) {
            assert!(after[&name] || !was, "{name} is no longer written");
        }
    }

    #[test]
    fn types_only_read_carry_the_engine_marker() {
        let types = |options: &Options| {
            let out = generate(DOC.as_bytes(), options).unwrap();
            let file = (out.files.iter())
                .find(|f| f.path == "src/generated/types.rs")
                .unwrap();
            (out.serde_feature, file.contents.clone())
        };
        let (feature, as_used) = types(&Options::default());
        assert!(feature);
        assert!(as_used.contains("received Receipt {"), "{as_used}");
        assert!(as_used.contains("received Card {"), "{as_used}");
        assert!(as_used.contains("object!(Order {"), "{as_used}");
        assert!(!as_used.contains("received Order"), "{as_used}");
        let both = Options {
            json: crate::JsonImpls::BothWays,
            ..Options::default()
        };
        let (feature, both_ways) = types(&both);
        assert!(!feature);
        assert!(!both_ways.contains("received "), "{both_ways}");
    }
}
