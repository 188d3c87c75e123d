//! `postpress-mcp`: a Model Context Protocol server that offers every PostPress API operation
//! as a tool, over stdio (and, with the `http` feature, Streamable HTTP on loopback).
//!
//! The tools are the SDK's generated table (`postpress_sdk::mcp::TOOLS`); each call goes
//! through the SDK's client, so retries, idempotency keys, rate limits and timeouts apply as
//! to any SDK call. Configuration comes from the environment like the SDK's
//! (`POSTPRESS_API_KEY`, `POSTPRESS_BASE_URL`, `POSTPRESS_TIER`) and the flags below.

mod server;

use clap::Parser;
use postpress_sdk::Tier;
use postpress_sdk::engine::mcp::ToolLimits;
use std::process::ExitCode;

/// Serve the PostPress API as MCP tools on stdio.
#[derive(Parser, Debug)]
#[command(name = "postpress-mcp", version)]
pub(crate) struct Args {
    /// Offer only these tools: tool names (`chats_list`) or groups (`chats`); repeat or
    /// separate with commas. Default: every tool.
    #[arg(long, value_delimiter = ',')]
    allow: Vec<String>,
    /// Hide these tools: tool names or groups; repeat or separate with commas.
    #[arg(long, value_delimiter = ',')]
    deny: Vec<String>,
    /// Offer only the tools that change nothing (GET).
    #[arg(long)]
    read_only: bool,
    /// The key's rate-limit tier, waited for client-side: starter, scale or enterprise
    /// (default: `POSTPRESS_TIER`, else no client-side limit).
    #[arg(long, env = "POSTPRESS_TIER", value_parser = parse_tier)]
    tier: Option<Tier>,
    /// Retries after a failed attempt (default 2; 0 disables them).
    #[arg(long)]
    max_retries: Option<u32>,
    /// The largest file a tool call may upload, in MiB.
    #[arg(long, default_value_t = 25)]
    max_file_mib: u64,
    /// Refuse files named by a local `path`: uploads must come as `base64`.
    #[arg(long)]
    no_file_paths: bool,
    /// Serve Streamable HTTP at `http://ADDR/mcp` instead of stdio, e.g. `127.0.0.1:8931`
    /// (port 0 picks a free one, printed on stderr). Loopback addresses only: the server
    /// acts with your API key, and has no authentication of its own.
    #[cfg(feature = "http")]
    #[arg(long, value_name = "ADDR")]
    http: Option<std::net::SocketAddr>,
}

fn parse_tier(text: &str) -> Result<Tier, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "starter" => Ok(Tier::Starter),
        "scale" => Ok(Tier::Scale),
        "enterprise" => Ok(Tier::Enterprise),
        other => Err(format!(
            "`{other}` is not a tier; use starter, scale or enterprise"
        )),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("postpress-mcp: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("postpress-mcp: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let mut builder = postpress_sdk::Client::builder().from_env();
    if let Some(tier) = args.tier {
        builder = builder.rate_limit(tier);
    }
    if let Some(n) = args.max_retries {
        builder = builder.max_retries(n);
    }
    let client = builder
        .build()
        .map_err(|e| anyhow::anyhow!("cannot configure the PostPress client: {e}"))?;
    let tools = server::select_tools(&args.allow, &args.deny, args.read_only)?;
    let limits = ToolLimits {
        max_file_bytes: args.max_file_mib.saturating_mul(1024 * 1024),
        allow_file_paths: !args.no_file_paths,
    };
    let server = server::PostPressServer::new(client, tools, limits);
    #[cfg(feature = "http")]
    if let Some(addr) = args.http {
        if !addr.ip().is_loopback() {
            anyhow::bail!(
                "--http {addr}: only loopback addresses (127.0.0.1, ::1) are served; the server acts with your API key and has no authentication of its own"
            );
        }
        return server.serve_http(addr).await;
    }
    server.serve_stdio().await
}
