//! Copied into the crate generated from `tests/generated_crates_input/features.yaml` with
//! `--group-features on`, and run by `generated_crates.rs` with only the `billing` and `orders`
//! features: the enabled groups (a tagged module, and one path group of the untagged module)
//! send their requests to a server on 127.0.0.1 and decode the answers, shared types
//! included.

use axum::http::{Method, Uri};
use feature_ops::Client;
use feature_ops::types::{Invoice, InvoiceStatus, Money, Order, OrderInput};
use std::sync::{Arc, Mutex};

async fn serve() -> (Client, Arc<Mutex<Vec<(Method, String)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let app = axum::Router::new().fallback(move |method: Method, uri: Uri| {
        let record = record.clone();
        async move {
            let path = uri.path().to_owned();
            record.lock().unwrap().push((method.clone(), path.clone()));
            let body = match (method.as_str(), path.as_str()) {
                ("GET", "/invoices/in_1") => {
                    r#"{"id":"in_1","total":{"amount":1200,"currency":"eur"},"status":"paid"}"#
                }
                ("POST", "/v1/orders") => r#"{"id":"or_1","total":{"amount":99,"currency":"usd"}}"#,
                _ => r#"{}"#,
            };
            let status = if method == Method::POST { 201 } else { 200 };
            let mut resp = axum::response::Response::new(axum::body::Body::from(body));
            *resp.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
            resp.headers_mut()
                .insert("content-type", "application/json".parse().unwrap());
            resp
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (Client::new(Some(&url), None).unwrap(), seen)
}

#[tokio::test]
async fn a_tagged_group_feature_compiles_its_module_and_its_types() {
    let (client, seen) = serve().await;
    let invoice: Invoice = client.billing().get_invoice("in_1").send().await.unwrap();
    assert_eq!(invoice.id, "in_1");
    assert_eq!(invoice.total, Money::new(1200, "eur"));
    assert_eq!(invoice.status, InvoiceStatus::Paid);
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [(Method::GET, "/invoices/in_1".to_owned())]
    );
}

#[tokio::test]
async fn a_path_group_feature_compiles_its_operations_of_the_shared_module() {
    let (client, seen) = serve().await;
    let order: Order = client
        .default()
        .create_order(OrderInput::new("pr_1"))
        .send()
        .await
        .unwrap();
    assert_eq!(order.id, "or_1");
    assert_eq!(order.total.amount, 99);
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [(Method::POST, "/v1/orders".to_owned())]
    );
}
