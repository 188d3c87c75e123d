//! Configure retries, timeouts and the client-side rate limiter, then fan out requests from
//! clones of one client (they share connections and the token bucket).
//!
//! ```sh
//! POSTPRESS_API_KEY=pp_test_... cargo run -p postpress-sdk --example retries_and_rate_limits
//! ```

use postpress_sdk::{Client, RetryPolicy, Tier};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .from_env()
        // Starter keys get 60 requests a minute: bursts wait here instead of drawing 429s.
        .rate_limit(Tier::Starter)
        .retry_policy(RetryPolicy {
            max_retries: 4,
            initial_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
            // Never wait longer than this for a server's Retry-After; give up instead.
            max_retry_after: Duration::from_secs(30),
        })
        .timeout(Duration::from_secs(20))
        .connect_timeout(Duration::from_secs(5))
        .build()?;

    let page = client.accounts().list().limit(10).send().await?;
    let lookups = page.items.iter().map(|account| {
        let client = client.clone();
        let id = account.id().cloned().unwrap_or_default();
        async move {
            // One request may override the client's settings.
            client
                .accounts()
                .get(id.as_str())
                .max_retries(1)
                .deadline(Duration::from_secs(10))
                .send()
                .await
        }
    });
    for result in futures_util::future::join_all(lookups).await {
        match result {
            Ok(account) => println!("{:?}", account.id()),
            Err(e) => eprintln!("lookup failed (request id {:?}): {e}", e.request_id()),
        }
    }
    Ok(())
}
