//! Copied into the crates `generated_crates.rs` and `cargo xtask corpus --mcp` generate with
//! `--mcp` (`the_crate` replaced by each crate's name): the tool table of any document is well
//! formed, every input schema stands alone, and a call missing a required argument is refused
//! naming it, before anything is sent. With `MCP_TOOL_SCHEMAS` set, the input schemas are also
//! written there (`{"tool": schema, ...}`) for a JSON Schema validator to read.

use serde_json::{Value, json};
use the_crate::engine::mcp::{ToolError, ToolLimits};
use the_crate::mcp::TOOLS;

fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                out.push(r);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_tool_is_named_once_and_its_schema_stands_alone() {
    assert!(!TOOLS.is_empty());
    if let Ok(path) = std::env::var("MCP_TOOL_SCHEMAS") {
        let schemas: serde_json::Map<String, Value> = TOOLS
            .iter()
            .map(|t| (t.name.to_owned(), serde_json::from_str(t.input_schema).unwrap()))
            .collect();
        std::fs::write(path, serde_json::to_vec(&schemas).unwrap()).unwrap();
    }
    let mut names = std::collections::BTreeSet::new();
    for tool in TOOLS {
        assert!(names.insert(tool.name), "{} twice", tool.name);
        assert!(
            tool.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{}",
            tool.name
        );
        assert!(!tool.description.is_empty(), "{}", tool.name);
        let schema: Value = serde_json::from_str(tool.input_schema).unwrap();
        assert_eq!(schema["type"], "object", "{}", tool.name);
        assert_eq!(schema["additionalProperties"], false, "{}", tool.name);
        let mut found = Vec::new();
        refs(&schema, &mut found);
        for r in found {
            let name = r
                .strip_prefix("#/$defs/")
                .unwrap_or_else(|| panic!("{}: `{r}` points outside the schema", tool.name));
            assert!(schema["$defs"].get(name).is_some(), "{}: `{r}`", tool.name);
        }
        for p in tool.params {
            assert!(schema["properties"].get(p.arg).is_some(), "{}: {}", tool.name, p.arg);
            if p.required {
                let required = schema["required"].as_array().unwrap();
                assert!(required.contains(&json!(p.arg)), "{}: {}", tool.name, p.arg);
            }
        }
        assert_eq!(tool.read_only, matches!(tool.method, "GET" | "HEAD"), "{}", tool.name);
        assert_eq!(tool.destructive, tool.method == "DELETE", "{}", tool.name);
    }
}

#[tokio::test]
async fn a_missing_required_argument_is_refused_by_name() {
    // Nothing listens on port 9: a request that were sent would fail otherwise.
    let client = the_crate::Client::new(Some("http://127.0.0.1:9"), None).unwrap();
    let limits = ToolLimits::default();
    let mut checked = 0;
    for tool in TOOLS {
        let Some(p) = tool.params.iter().find(|p| p.required) else {
            continue;
        };
        match the_crate::mcp::call(&client, tool.name, json!({}), &limits).await {
            Err(ToolError::InvalidArgument { argument, .. }) => assert_eq!(argument, p.arg),
            other => panic!("{}: {other:?}", tool.name),
        }
        checked += 1;
    }
    assert!(checked > 0, "some tool takes a required parameter");
    let unknown = the_crate::mcp::call(&client, "no_such_tool", json!({}), &limits).await;
    assert!(matches!(unknown, Err(ToolError::UnknownTool(_))), "{unknown:?}");
}
