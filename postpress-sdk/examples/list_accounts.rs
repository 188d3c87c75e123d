//! List every account with auto-pagination, handle an API error and send a body built with a
//! constructor.
//! Run with `POSTPRESS_API_KEY=pp_test_... cargo run -p postpress-sdk --example list_accounts`.

use postpress_sdk::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let mut accounts = client.accounts().list().limit(250).items();
    while let Some(account) = accounts.try_next().await? {
        println!("{account:?}");
    }
    match client.accounts().get("acc_missing").send().await {
        Ok(account) => println!("found {account:?}"),
        Err(e) if e.is_not_found() => println!("not found (request id {:?})", e.request_id()),
        Err(e) => return Err(e),
    }
    // Bodies: `new(required fields)` and a setter per optional one. Only path parameters are
    // arguments; other inputs are named setters.
    let reaction = postpress_sdk::types::AddPostReactionRequest::new(
        postpress_sdk::types::AddPostReactionRequestRequired {
            account_id: "acc_123".into(),
            post_id: "urn:li:activity:1".into(),
        },
    )
    .comment_id("7123");
    client.posts().add_reaction(reaction).send().await?;
    Ok(())
}
