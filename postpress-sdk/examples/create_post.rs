//! Publish a post with an image attachment, read it back and react to it: bodies are built
//! with `new(required fields)` and chainable setters for the optional ones.
//!
//! ```sh
//! POSTPRESS_API_KEY=pp_test_... cargo run -p postpress-sdk --example create_post -- acc_123 photo.png
//! ```

use postpress_sdk::types::{
    AddPostReactionRequest, AddPostReactionRequestReactionType, AddPostReactionRequestRequired,
    CreatePostRequestRequired,
};
use postpress_sdk::{Client, Part, types, types::CreatePostRequest};

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
    let post = CreatePostRequest::new(CreatePostRequestRequired {
        account_id: account_id.as_str().into(),
        text: "Hello from the PostPress Rust SDK".into(),
    })
    .attachments(Part::bytes(bytes).file_name("photo.png").mime("image/png"));
    // POST requests carry an Idempotency-Key, so the automatic retries can never publish twice.
    let created = client.posts().create(post).send().await?;
    // Some providers publish asynchronously and answer without an id yet.
    let Some(post_id) = created.post_id else {
        println!("published; the provider has not given the post an id yet");
        return Ok(());
    };
    println!("published post {post_id}");

    // Only path parameters are arguments; the account is a named (and required) setter.
    let read = client
        .posts()
        .get(post_id.as_str())
        .account_id(account_id.as_str())
        .send()
        .await?;
    match &read {
        types::Post::LinkedIn(post) => println!("read back LinkedIn post {}", post.id),
        other => println!("read back {other:?}"),
    }

    let reaction = AddPostReactionRequest::new(AddPostReactionRequestRequired {
        account_id,
        post_id,
    })
    .reaction_type(AddPostReactionRequestReactionType::Celebrate);
    client.posts().add_reaction(reaction).send().await?;
    Ok(())
}
