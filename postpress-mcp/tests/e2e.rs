//! End to end, with a real MCP client: the built `postpress-mcp` binary, pointed at a scripted
//! HTTP server on 127.0.0.1, driven over stdio by the official Python MCP SDK
//! (`tools/mcp-client/client.py`, `mcp` pinned in `tools/mcp-client/requirements.txt`).
//!
//! The test installs the client itself: a virtualenv under the target's scratch folder,
//! made once (a lock folder keeps parallel tests and test processes from installing twice)
//! and made again when the requirements change. No python3 means a loud failure, never a skip.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const API_KEY: &str = "pp_test_e2e";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The virtualenv's python, with the pinned client installed.
fn client_python() -> PathBuf {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _one_thread = INSTALL.lock().unwrap_or_else(|p| p.into_inner());
    let requirements_path = root().join("tools/mcp-client/requirements.txt");
    let requirements = std::fs::read_to_string(&requirements_path).unwrap();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let venv = scratch.join("mcp-client-venv");
    let python = venv.join("bin/python");
    let marker = venv.join(".installed");
    let ready = || std::fs::read_to_string(&marker).ok().as_deref() == Some(requirements.as_str());
    if ready() {
        return python;
    }
    // Other test processes: a folder is created atomically; whoever creates it installs.
    std::fs::create_dir_all(scratch).unwrap();
    let lock = scratch.join("mcp-client-venv.lock");
    let started = Instant::now();
    loop {
        match std::fs::create_dir(&lock) {
            Ok(()) => break,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let stale = std::fs::metadata(&lock)
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(900));
                if stale {
                    let _ = std::fs::remove_dir(&lock);
                }
                assert!(
                    started.elapsed() < Duration::from_secs(900),
                    "waited 15 minutes for {} to go away",
                    lock.display()
                );
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("cannot create {}: {e}", lock.display()),
        }
    }
    struct Unlock(PathBuf);
    impl Drop for Unlock {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir(&self.0);
        }
    }
    let _unlock = Unlock(lock);
    if ready() {
        return python;
    }
    let _ = std::fs::remove_dir_all(&venv);
    let status = std::process::Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("the MCP end-to-end test needs python3 (with venv) to run the Python MCP client");
    assert!(
        status.success(),
        "python3 -m venv {} failed",
        venv.display()
    );
    let status = std::process::Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements_path)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "pip install -r {} failed",
        requirements_path.display()
    );
    std::fs::write(&marker, &requirements).unwrap();
    python
}

/// One request the scripted server saw.
#[derive(Clone, Debug)]
struct Seen {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// One scripted answer: status, headers, JSON body.
type Answer = (u16, Vec<(&'static str, &'static str)>, Value);

/// A server answering `METHOD /path` with its answers in order (the last one repeating), 501
/// for anything else, recording every request.
struct Api {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Api {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(script: Vec<(&'static str, Vec<Answer>)>) -> Api {
    let script: HashMap<String, VecDeque<Answer>> = script
        .into_iter()
        .map(|(route, answers)| (route.to_owned(), answers.into()))
        .collect();
    let script = Arc::new(Mutex::new(script));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorded = seen.clone();
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (script, seen) = (script.clone(), recorded.clone());
            async move {
                let route = format!("{method} {}", uri.path());
                seen.lock().unwrap().push(Seen {
                    method,
                    uri,
                    headers,
                    body,
                });
                let answer = {
                    let mut script = script.lock().unwrap();
                    script.get_mut(&route).and_then(|answers| {
                        if answers.len() > 1 {
                            answers.pop_front()
                        } else {
                            answers.front().cloned()
                        }
                    })
                };
                let (status, headers, body) = answer.unwrap_or((
                    501,
                    vec![],
                    json!({"error": {"code": "unscripted", "message": route}}),
                ));
                let mut response =
                    axum::response::Response::new(axum::body::Body::from(body.to_string()));
                *response.status_mut() = StatusCode::from_u16(status).unwrap();
                let h = response.headers_mut();
                h.insert("content-type", "application/json".parse().unwrap());
                for (k, v) in headers {
                    h.insert(k, v.parse().unwrap());
                }
                response
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Api { url, seen }
}

/// Runs the Python client against the binary (with `args`, pointed at `base_url`) through
/// `steps`; returns what each step got (after `initialize`).
async fn drive(args: &[&str], base_url: &str, steps: Value) -> Vec<Value> {
    drive_plan(json!({
        "command": env!("CARGO_BIN_EXE_postpress-mcp"),
        "args": args,
        "env": {"POSTPRESS_API_KEY": API_KEY, "POSTPRESS_BASE_URL": base_url},
        "steps": steps,
    }))
    .await
}

/// Runs the Python client on `plan` (see `tools/mcp-client/client.py`).
async fn drive_plan(plan: Value) -> Vec<Value> {
    let python = tokio::task::spawn_blocking(client_python).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).unwrap();
    let out = tokio::time::timeout(
        Duration::from_secs(120),
        tokio::process::Command::new(&python)
            .arg(root().join("tools/mcp-client/client.py"))
            .arg(&plan_path)
            .output(),
    )
    .await
    .expect("the MCP client did not finish in 120 s")
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the MCP client failed:\n{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("client output is not JSON ({e}):\n{stderr}"));
    let steps = report["steps"].as_array().unwrap().clone();
    assert_eq!(
        steps[0]["initialize"]["serverInfo"]["name"], "postpress-mcp",
        "{}",
        steps[0]
    );
    steps[1..].to_vec()
}

/// Starts the server with `args`, which it must refuse before serving; what it said.
fn refused_at_start(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_postpress-mcp"))
        .args(args)
        .env("POSTPRESS_API_KEY", API_KEY)
        .output()
        .unwrap();
    assert!(!out.status.success(), "{args:?} was not refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn list_tools() -> Value {
    json!([{"list_tools": true}])
}

fn names(tools: &Value) -> Vec<String> {
    tools["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

fn text_of(result: &Value) -> String {
    result["content"][0]["text"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_every_operation_as_a_tool_with_a_valid_schema_and_annotations() {
    let api = serve(vec![]).await;
    let steps = drive(&[], &api.url, list_tools()).await;
    let listed = &steps[0];
    let tools = listed["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 61, "one tool per operation");
    assert_eq!(
        listed["schema_errors"],
        json!({}),
        "input schemas the JSON Schema meta-schema rejects"
    );
    let by_name = |n: &str| tools.iter().find(|t| t["name"] == n).unwrap();
    let list = by_name("chats_list");
    assert_eq!(list["annotations"]["readOnlyHint"], true);
    assert!(list["inputSchema"]["properties"]["cursor"].is_object());
    assert!(list["inputSchema"]["properties"]["limit"]["maximum"].is_number());
    let send = by_name("chats_send_message");
    assert_eq!(send["annotations"]["readOnlyHint"], false);
    assert_eq!(send["annotations"]["idempotentHint"], true);
    assert!(
        send["description"]
            .as_str()
            .unwrap()
            .contains("Changes state")
    );
    assert_eq!(
        send["inputSchema"]["required"],
        json!(["chat_id", "body"]),
        "{}",
        send["inputSchema"]
    );
    assert!(send["inputSchema"]["properties"]["idempotency_key"].is_object());
    assert_eq!(
        by_name("messages_delete")["annotations"]["destructiveHint"],
        true
    );
    assert!(api.seen().is_empty(), "listing sends nothing to the API");

    let snapshot: Vec<String> = tools
        .iter()
        .map(|t| {
            let a = &t["annotations"];
            let flag = |k: &str, s: &'static str| if a[k] == true { s } else { "-" };
            format!(
                "{:<34} {} {} {}",
                t["name"].as_str().unwrap(),
                flag("readOnlyHint", "read-only"),
                flag("destructiveHint", "destructive"),
                flag("idempotentHint", "idempotent"),
            )
        })
        .collect();
    insta::assert_snapshot!("tool_list", snapshot.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_returns_the_page_as_structured_content() {
    let page =
        json!({"object": "ChatList", "items": [{"id": "c1"}, {"id": "c2"}], "cursor": "next-1"});
    let api = serve(vec![(
        "GET /chats",
        vec![(200, vec![("x-request-id", "req_list")], page.clone())],
    )])
    .await;
    let steps = drive(
        &[],
        &api.url,
        json!([{"call": "chats_list", "arguments": {"limit": 2, "cursor": "abc"}}]),
    )
    .await;
    let result = &steps[0]["result"];
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(result["structuredContent"], page);
    let text = text_of(result);
    assert!(text.contains("200") && text.contains("req_list"), "{text}");
    assert!(
        text.contains("2 items") && text.contains("next-1"),
        "{text}"
    );
    let seen = api.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].uri.query(), Some("limit=2&cursor=abc"));
    assert_eq!(
        seen[0].header("authorization").as_deref(),
        Some("Bearer pp_test_e2e")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_answered_502_is_retried_with_the_same_idempotency_key() {
    let created = json!({"object": "Webhook", "id": "wh_1"});
    let api = serve(vec![(
        "POST /webhooks",
        vec![
            (
                502,
                vec![],
                json!({"error": {"code": "upstream_error", "message": "try again"}}),
            ),
            (201, vec![("x-request-id", "req_created")], created.clone()),
        ],
    )])
    .await;
    let body =
        json!({"source": "messaging", "request_url": "https://example.com/hook", "name": "n"});
    let steps = drive(
        &[],
        &api.url,
        json!([
            {"call": "webhooks_create", "arguments": {"body": body}},
            {"call": "webhooks_create", "arguments": {"body": body, "idempotency_key": "key-e2e-1"}},
        ]),
    )
    .await;
    let result = &steps[0]["result"];
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(result["structuredContent"], created);
    let seen = api.seen();
    assert_eq!(seen.len(), 3, "502, its retry, and the second call");
    assert!(seen.iter().all(|s| s.method == Method::POST));
    let keys: Vec<Option<String>> = seen.iter().map(|s| s.header("idempotency-key")).collect();
    assert!(
        keys[0].as_deref().is_some_and(|k| !k.is_empty()),
        "{keys:?}"
    );
    assert_eq!(keys[0], keys[1], "one key for both attempts");
    assert_eq!(
        keys[2].as_deref(),
        Some("key-e2e-1"),
        "the caller's key is sent"
    );
    let sent: Value = serde_json::from_slice(&seen[1].body).unwrap();
    assert_eq!(sent, body);
    assert_eq!(
        seen[1].header("content-type").as_deref(),
        Some("application/json")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_are_tool_errors_with_code_request_id_and_retry_after() {
    let api = serve(vec![
        (
            "GET /chats/c404",
            vec![(
                404,
                vec![],
                json!({"error": {"code": "not_found", "message": "No chat c404.", "request_id": "req_404"}}),
            )],
        ),
        (
            "GET /chats",
            vec![(
                429,
                // Longer than the SDK waits (60 s): it gives up at once and passes it on.
                vec![("retry-after", "120")],
                json!({"title": "Too many requests", "type": "errors/rate_limited", "detail": "Slow down.", "instance": "req_429", "status": 429}),
            )],
        ),
    ])
    .await;
    let steps = drive(
        &[],
        &api.url,
        json!([
            {"call": "chats_get", "arguments": {"chat_id": "c404"}},
            {"call": "chats_list", "arguments": {}},
            {"call": "chats_get", "arguments": {"chat_id": {"not": "text"}}},
            {"call": "chats_list", "arguments": {"limit": 500}},
        ]),
    )
    .await;
    let missing = &steps[0]["result"];
    assert_eq!(missing["isError"], true, "{missing}");
    let e = &missing["structuredContent"]["error"];
    assert_eq!(e["code"], "not_found");
    assert_eq!(e["request_id"], "req_404");
    assert_eq!(e["status"], 404);
    assert!(text_of(missing).contains("No chat c404."), "{missing}");

    let limited = &steps[1]["result"];
    assert_eq!(limited["isError"], true, "{limited}");
    let e = &limited["structuredContent"]["error"];
    assert_eq!(e["code"], "rate_limited");
    assert_eq!(e["status"], 429);
    assert_eq!(e["request_id"], "req_429");
    assert_eq!(e["retry_after_seconds"], 120.0);

    let refused = &steps[2]["result"];
    assert_eq!(refused["isError"], true, "{refused}");
    assert_eq!(refused["structuredContent"]["error"]["argument"], "chat_id");
    // Checked against the input schema the host was shown: the bound is named.
    let over = &steps[3]["result"];
    assert_eq!(over["isError"], true, "{over}");
    assert_eq!(over["structuredContent"]["error"]["argument"], "limit");
    assert!(
        text_of(over).contains("500 is greater than the maximum of 250"),
        "{over}"
    );
    assert_eq!(api.seen().len(), 2, "a refused argument sends nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_deny_and_allow_choose_the_tools() {
    let api = serve(vec![]).await;
    let read_only = drive(&["--read-only"], &api.url, list_tools()).await;
    let tools = read_only[0]["tools"].as_array().unwrap();
    assert!(!tools.is_empty());
    assert!(
        tools
            .iter()
            .all(|t| t["annotations"]["readOnlyHint"] == true),
        "{tools:?}"
    );
    let read_names = names(&read_only[0]);
    assert!(read_names.contains(&"chats_list".to_owned()));
    assert!(!read_names.contains(&"chats_send_message".to_owned()));

    let denied = drive(&["--deny", "chats,messages_delete"], &api.url, list_tools()).await;
    let denied = names(&denied[0]);
    assert!(
        denied.iter().all(|n| !n.starts_with("chats_")),
        "{denied:?}"
    );
    assert!(!denied.contains(&"messages_delete".to_owned()));
    assert!(denied.contains(&"messages_get".to_owned()));

    let allowed = drive(
        &["--allow", "webhooks", "--allow", "chats_get"],
        &api.url,
        list_tools(),
    )
    .await;
    assert_eq!(
        names(&allowed[0]),
        [
            "chats_get",
            "webhooks_list",
            "webhooks_create",
            "webhooks_delete"
        ]
    );

    // A name that matches nothing stops the server before it starts, naming it.
    let stderr = refused_at_start(&["--deny", "no_such_group"]);
    assert!(stderr.contains("--deny no_such_group"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multipart_upload_sends_a_file_read_from_its_path() {
    let sent = json!({"object": "MessageSent", "message_id": "m_1"});
    let api = serve(vec![(
        "POST /chats/c1/messages",
        vec![(201, vec![], sent.clone())],
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.txt");
    let bytes = b"hello from disk \x00\x01\x02".to_vec();
    std::fs::write(&file, &bytes).unwrap();
    let steps = drive(
        &[],
        &api.url,
        json!([
            {"call": "chats_send_message", "arguments": {
                "chat_id": "c1",
                "body": {"account_id": "acc_1", "text": "see attached", "attachments": [{"path": file.to_str().unwrap()}]},
            }},
            {"call": "chats_send_message", "arguments": {
                "chat_id": "c1",
                "body": {"text": "x", "attachments": [{"path": dir.path().join("missing.bin").to_str().unwrap()}]},
            }},
        ]),
    )
    .await;
    let result = &steps[0]["result"];
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(result["structuredContent"], sent);
    let missing = &steps[1]["result"];
    assert_eq!(missing["isError"], true);
    assert_eq!(
        missing["structuredContent"]["error"]["argument"],
        "body.attachments[0].path"
    );

    let seen = api.seen();
    assert_eq!(seen.len(), 1, "the missing file sent nothing");
    let parts = parts_of(&seen[0]).await;
    let names: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(names, ["account_id", "text", "attachments"]);
    let attachment = &parts[2];
    assert_eq!(attachment.1.as_deref(), Some("note.txt"));
    assert_eq!(attachment.2.as_deref(), Some("text/plain"));
    assert_eq!(attachment.3.as_ref(), bytes.as_slice());
    assert_eq!(parts[1].3.as_ref(), b"see attached");
}

/// A multipart body's parts as `multer` (axum's parser) reads them: name, file name, content
/// type and bytes.
async fn parts_of(request: &Seen) -> Vec<(String, Option<String>, Option<String>, Bytes)> {
    let content_type = request.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data"),
        "{content_type}"
    );
    let boundary = multer::parse_boundary(&content_type).unwrap();
    let body = request.body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.unwrap() {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let mime = field.content_type().map(|m| m.to_string());
        let data = field.bytes().await.unwrap();
        parts.push((name, file_name, mime, data));
    }
    parts
}

/// The arguments of a multipart post with every kind of part: text, a list of objects the
/// document sends as one JSON part, two files.
fn post_arguments() -> Value {
    json!({"body": {
        "account_id": "acc_1",
        "text": "Launch day: {{0}} and {{1}} led the work.",
        "mentions": [
            {"name": "Jane Doe", "profile_id": "ACoAAB1234"},
            {"name": "Acme", "profile_id": "123456", "is_company": true}
        ],
        "attachments": [
            {"base64": "iVBORw0KGgo=", "file_name": "a.png", "content_type": "image/png"},
            {"base64": "iVBORw0KGgo=", "file_name": "b.png", "content_type": "image/png"}
        ]
    }})
}

/// The tool sends what the typed client sends for the same post, part for part (the client's
/// bytes are pinned by the SDK's wire goldens and checked by the validating mock), read back
/// by `multer` from both requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multipart_post_sends_the_parts_the_typed_client_sends() {
    use postpress_sdk::types::{
        CreatePostRequest, CreatePostRequestRequired, Mention, MentionRequired,
    };
    let created = json!({"object": "PostCreated", "post_id": "p_1"});
    let api = serve(vec![(
        "POST /posts",
        vec![
            (201, vec![], created.clone()),
            (201, vec![], created.clone()),
        ],
    )])
    .await;
    let steps = drive(
        &[],
        &api.url,
        json!([{"call": "posts_create", "arguments": post_arguments()}]),
    )
    .await;
    assert_eq!(steps[0]["result"]["isError"], false, "{}", steps[0]);

    let client = postpress_sdk::Client::builder()
        .api_key(API_KEY)
        .base_url(&api.url)
        .build()
        .unwrap();
    let png = |name: &str| {
        postpress_sdk::engine::Part::bytes(&b"\x89PNG\r\n\x1a\n"[..])
            .file_name(name)
            .mime("image/png")
    };
    let body = CreatePostRequest::new(CreatePostRequestRequired {
        account_id: "acc_1".into(),
        text: "Launch day: {{0}} and {{1}} led the work.".into(),
    })
    .mentions(vec![
        Mention::new(MentionRequired {
            name: "Jane Doe".into(),
            profile_id: "ACoAAB1234".into(),
        }),
        Mention::new(MentionRequired {
            name: "Acme".into(),
            profile_id: "123456".into(),
        })
        .is_company(true),
    ])
    .attachments(png("a.png"))
    .attachments(png("b.png"));
    client.posts().create(body).send().await.unwrap();

    let seen = api.seen();
    assert_eq!(seen.len(), 2);
    let mut by_tool = parts_of(&seen[0]).await;
    let mut by_client = parts_of(&seen[1]).await;
    // The tool sends fields in the order the agent gave them; the client in the body's.
    by_tool.sort();
    by_client.sort();
    assert_eq!(by_tool, by_client);
    let mentions: Vec<_> = by_tool.iter().filter(|p| p.0 == "mentions").collect();
    assert_eq!(mentions.len(), 1, "one JSON part for the list: {by_tool:?}");
}

/// A multipart post with every kind of part (text, a list of objects the document sends as
/// one JSON part, files) sent to the SDK's validating mock, which reads the parts with the
/// multipart parser axum uses and checks each against the document: it refuses a request
/// that does not fit with a 400, so a tool result without error is the check passing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multipart_post_passes_the_validating_mock() {
    let mock = postpress_sdk::mock::MockServer::start().await.unwrap();
    mock.answer_all_from_examples();
    let steps = drive(
        &[],
        &mock.base_url(),
        json!([{"call": "posts_create", "arguments": post_arguments()}]),
    )
    .await;
    let result = &steps[0]["result"];
    assert_eq!(result["isError"], false, "{result}");
    assert!(mock.refused().is_empty(), "{:?}", mock.refused());
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
}

/// The server killed when the test ends.
#[cfg(feature = "http")]
struct Child(tokio::process::Child);

#[cfg(feature = "http")]
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.start_kill();
    }
}

#[cfg(feature = "http")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamable_http_on_loopback_serves_the_same_tools() {
    use tokio::io::AsyncBufReadExt;
    let chat = json!({"object": "Chat", "id": "c7"});
    let api = serve(vec![("GET /chats/c7", vec![(200, vec![], chat.clone())])]).await;
    let mut child = Child(
        tokio::process::Command::new(env!("CARGO_BIN_EXE_postpress-mcp"))
            .args(["--http", "127.0.0.1:0", "--read-only"])
            .env("POSTPRESS_API_KEY", API_KEY)
            .env("POSTPRESS_BASE_URL", &api.url)
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap(),
    );
    let mut lines = tokio::io::BufReader::new(child.0.stderr.take().unwrap()).lines();
    let url = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("postpress-mcp: serving Streamable HTTP on ") {
                return url.to_owned();
            }
        }
        panic!("the server ended without saying where it listens");
    })
    .await
    .expect("the server did not start in 30 s");
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/mcp"),
        "{url}"
    );
    let steps = drive_plan(json!({
        "url": url,
        "steps": [{"list_tools": true}, {"call": "chats_get", "arguments": {"chat_id": "c7"}}],
    }))
    .await;
    let tools = steps[0]["tools"].as_array().unwrap();
    assert!(!tools.is_empty());
    assert!(
        tools
            .iter()
            .all(|t| t["annotations"]["readOnlyHint"] == true)
    );
    assert_eq!(steps[0]["schema_errors"], json!({}));
    let result = &steps[1]["result"];
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(result["structuredContent"], chat);
    drop(child);

    // Only loopback: anything else is refused before listening.
    let stderr = refused_at_start(&["--http", "0.0.0.0:0"]);
    assert!(stderr.contains("only loopback"), "{stderr}");
}
