//! The MCP side: which tools are offered, how they are listed, and how a call's outcome
//! becomes a tool result.

use postpress_sdk::engine::mcp::{self as table, ToolError, ToolLimits, ToolOutput};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};
use std::sync::Arc;

/// The tools `allow`, `deny` and `read_only` leave, or the name that matches no tool or
/// group.
pub(crate) fn select_tools(
    allow: &[String],
    deny: &[String],
    read_only: bool,
) -> anyhow::Result<Vec<&'static table::Tool>> {
    let all = postpress_sdk::mcp::TOOLS;
    let matches = |pattern: &str, tool: &table::Tool| tool.name == pattern || tool.group == pattern;
    for (flag, list) in [("--allow", allow), ("--deny", deny)] {
        for pattern in list.iter().map(|p| p.trim()) {
            if !all.iter().any(|t| matches(pattern, t)) {
                let mut groups: Vec<&str> = all.iter().map(|t| t.group).collect();
                groups.dedup();
                anyhow::bail!(
                    "{flag} {pattern}: no tool or group has this name (groups: {})",
                    groups.join(", ")
                );
            }
        }
    }
    Ok(all
        .iter()
        .filter(|t| allow.is_empty() || allow.iter().any(|p| matches(p.trim(), t)))
        .filter(|t| !deny.iter().any(|p| matches(p.trim(), t)))
        .filter(|t| !read_only || t.read_only)
        .collect())
}

/// The server: the SDK client and the tools it offers.
#[derive(Clone)]
pub(crate) struct PostPressServer {
    client: postpress_sdk::Client,
    tools: Arc<Vec<&'static table::Tool>>,
    listed: Arc<Vec<Tool>>,
    limits: Arc<ToolLimits>,
}

impl PostPressServer {
    pub(crate) fn new(
        client: postpress_sdk::Client,
        tools: Vec<&'static table::Tool>,
        limits: ToolLimits,
    ) -> Self {
        let listed = tools.iter().map(|t| describe(t)).collect();
        Self {
            client,
            tools: Arc::new(tools),
            listed: Arc::new(listed),
            limits: Arc::new(limits),
        }
    }

    /// Serves on stdin and stdout until the client closes them.
    pub(crate) async fn serve_stdio(self) -> anyhow::Result<()> {
        let running = self
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| anyhow::anyhow!("the MCP session did not start: {e}"))?;
        running
            .waiting()
            .await
            .map_err(|e| anyhow::anyhow!("the MCP session ended abnormally: {e}"))?;
        Ok(())
    }

    /// Serves Streamable HTTP at `/mcp` on `addr` (a loopback address) until interrupted;
    /// the address served is printed on stderr.
    #[cfg(feature = "http")]
    pub(crate) async fn serve_http(self, addr: std::net::SocketAddr) -> anyhow::Result<()> {
        use rmcp::transport::streamable_http_server::{
            StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
        };
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("--http {addr}: cannot listen: {e}"))?;
        let local = listener.local_addr()?;
        // Requests must name a loopback host (rmcp's default allow-list), which keeps web
        // pages from reaching the server through DNS rebinding.
        let config = StreamableHttpServerConfig::default();
        let stop = config.cancellation_token.clone();
        let server = self.clone();
        let service = StreamableHttpService::new(
            move || Ok(server.clone()),
            std::sync::Arc::new(LocalSessionManager::default()),
            config,
        );
        let app = axum::Router::new().route_service("/mcp", service);
        eprintln!("postpress-mcp: serving Streamable HTTP on http://{local}/mcp");
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                stop.cancel();
            })
            .await
            .map_err(|e| anyhow::anyhow!("--http {local}: {e}"))
    }

    async fn call(&self, name: &str, arguments: Option<JsonObject>) -> CallToolResult {
        let Some(tool) = self.tools.iter().find(|t| t.name == name) else {
            return error_result(&ToolError::UnknownTool(name.to_owned()));
        };
        let arguments = arguments.map_or(Value::Null, Value::Object);
        let engine = postpress_sdk::engine::ApiClient::engine(&self.client);
        match table::call_tool(engine, tool, arguments, &self.limits).await {
            Ok(output) => success_result(tool, output),
            Err(e) => error_result(&e),
        }
    }
}

/// A table row as an MCP tool.
fn describe(tool: &table::Tool) -> Tool {
    let schema: JsonObject = match serde_json::from_str(tool.input_schema) {
        Ok(Value::Object(map)) => map,
        // The generator writes an object; anything else would be its bug, not the caller's.
        _ => {
            let mut map = JsonObject::new();
            map.insert("type".into(), "object".into());
            map
        }
    };
    let annotations = ToolAnnotations::new()
        .read_only(tool.read_only)
        .destructive(tool.destructive)
        .idempotent(tool.idempotent)
        .open_world(true);
    Tool::new(tool.name, tool.description, Arc::new(schema)).with_annotations(annotations)
}

/// The body as structured content (an object as it is; anything else under `result`), and a
/// line saying what happened.
fn success_result(tool: &table::Tool, output: ToolOutput) -> CallToolResult {
    let mut summary = format!("{} {} -> {}", tool.method, tool.path, output.status);
    if let Some(id) = &output.request_id {
        summary.push_str(&format!(" (request id {id})"));
    }
    if let Some(items) = items_in(&output.body) {
        summary.push_str(&format!("; {items} items in this page"));
    }
    if tool.page.is_some() {
        match &output.next_cursor {
            Some(cursor) => summary.push_str(&format!(
                "; more: call again with {} = {cursor:?}",
                tool.page.map_or("cursor", |p| p.cursor)
            )),
            None => summary.push_str("; last page"),
        }
    }
    let structured = match output.body {
        Value::Object(map) => Value::Object(map),
        other => json!({ "result": other }),
    };
    let mut result = CallToolResult::success(vec![ContentBlock::text(summary)]);
    result.structured_content = Some(structured);
    result
}

/// The length of the first list in a page's top-level fields.
fn items_in(body: &Value) -> Option<usize> {
    match body {
        Value::Array(items) => Some(items.len()),
        Value::Object(map) => map.values().find_map(|v| v.as_array().map(Vec::len)),
        _ => None,
    }
}

fn error_result(error: &ToolError) -> CallToolResult {
    let mut result = CallToolResult::error(vec![ContentBlock::text(error.to_string())]);
    result.structured_content = Some(error.to_json());
    result
}

impl ServerHandler for PostPressServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "postpress-mcp",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(
                "PostPress API tools. Read tools (readOnlyHint) change nothing. Every other tool \
                 acts on the user's behalf (posts, messages, invitations, deletions): confirm \
                 with the user before calling one. Lists return one page; pass the cursor from \
                 the answer to get the next.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.listed.to_vec()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        Ok(self.call(&request.name, request.arguments).await.into())
    }
}
