//! Tell API errors apart: documented codes, retryable failures, and request ids for support.
//!
//! ```sh
//! POSTPRESS_API_KEY=pp_test_... cargo run -p postpress-sdk --example error_handling -- acc_missing
//! ```

use postpress_sdk::{Client, Error, ErrorCode};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "acc_missing".into());
    let client = Client::from_env()?;
    match client.accounts().get(id.as_str()).send().await {
        Ok(account) => println!("found {account:?}"),
        Err(Error::Api(api)) => match api.error_code() {
            Some(ErrorCode::NotFound) => println!("no account {id}"),
            Some(ErrorCode::KeyMissing | ErrorCode::KeyInvalid) => {
                eprintln!("check POSTPRESS_API_KEY")
            }
            code => eprintln!(
                "API error {} ({code:?}): {}; quote request id {:?}",
                api.status,
                api.message.as_deref().unwrap_or("no message"),
                api.request_id
            ),
        },
        Err(e) if e.is_timeout() => eprintln!("timed out after retries: {e}"),
        Err(e) if e.is_retryable() => eprintln!("transient failure, try later: {e}"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
