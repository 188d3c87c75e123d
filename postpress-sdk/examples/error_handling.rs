//! Tell errors apart with the helpers of [`postpress_sdk::Error`]: documented codes, rate
//! limits with the server's `Retry-After`, bad keys, transient failures and their causes, and
//! request ids for support.
//!
//! ```sh
//! POSTPRESS_API_KEY=pp_test_... cargo run -p postpress-sdk --example error_handling -- acc_missing
//! ```

use postpress_sdk::{Client, ErrorCode};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "acc_missing".into());
    let client = Client::from_env()?;
    let err = match client.accounts().get(id.as_str()).send().await {
        Ok(account) => {
            println!("found {account:?}");
            return Ok(());
        }
        Err(err) => err,
    };
    if err.is_not_found() {
        println!("no account {id}");
    } else if err.is_unauthorized() || err.code() == Some(ErrorCode::KeyInvalid) {
        eprintln!("check POSTPRESS_API_KEY: {err}");
    } else if err.is_rate_limited() {
        // The retries did not outlast the limit; the server says how long to wait.
        eprintln!(
            "rate limited; the server asks to wait {:?}",
            err.retry_after()
        );
    } else if err.is_retryable() {
        // Timeouts, lost connections, 5xx: worth another try later. The cause chain says
        // what happened below HTTP.
        let mut text = err.to_string();
        let mut cause = std::error::Error::source(&err);
        while let Some(c) = cause {
            text.push_str(&format!("\n  caused by: {c}"));
            cause = c.source();
        }
        eprintln!("transient failure, try later: {text}");
    } else {
        eprintln!(
            "failed ({:?}): {err}; quote request id {:?}",
            err.code::<ErrorCode>(),
            err.request_id()
        );
        return Err(err.into());
    }
    Ok(())
}
