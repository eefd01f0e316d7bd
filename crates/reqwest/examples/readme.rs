#![allow(clippy::print_stdout, reason = "an example reports what it does")]

use futures_util::StreamExt;
use postmark_kit_reqwest::postmark_kit::api::bounces::ListBounces;
use postmark_kit_reqwest::postmark_kit::api::email::SendEmail;
use postmark_kit_reqwest::{ClientError, ServerClient};

#[tokio::main]
async fn main() -> Result<(), ClientError> {
    // Clones share one connection pool: hand one to each task or handler.
    let client = ServerClient::new("your-server-token")?;

    let email = SendEmail::new("you@example.com", "them@example.com", "Hello")
        .html_body("<p>Hello from postmark-kit</p>");
    let sent = client.send_email(&email).await?;
    println!("sent: {:?}", sent.message_id);

    // Every bounce, fetched a page at a time, as a Stream.
    let mut bounces = client.paginate(ListBounces::default())?;
    while let Some(bounce) = bounces.next().await {
        println!("bounced: {:?}", bounce?.email);
    }
    Ok(())
}
