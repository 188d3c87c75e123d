//! Publish a post with an image attachment.
//!
//! ```sh
//! POSTPRESS_API_KEY=pp_test_... cargo run -p postpress-sdk --example create_post -- acc_123 photo.png
//! ```

use postpress_sdk::{Client, Part, types::PostsCreateRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let account_id = args
        .next()
        .ok_or("usage: create_post <account_id> <image>")?;
    let image = args
        .next()
        .ok_or("usage: create_post <account_id> <image>")?;

    let client = Client::from_env()?;
    let bytes = tokio::fs::read(&image).await?;
    let post = PostsCreateRequest::new(account_id, "Hello from the PostPress Rust SDK")
        .attachments(Part::bytes(bytes).file_name("photo.png").mime("image/png"));
    // POST requests carry an Idempotency-Key, so the automatic retries can never publish twice.
    let created = client.posts().create(post).send().await?;
    println!("published post {}", created.post_id);
    Ok(())
}
