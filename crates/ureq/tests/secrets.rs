//! The token never shows: every error a call can end in (refused before sending, each
//! kind of answer Postmark or a proxy gives, each transport failure), and the `Debug` of
//! everything that holds the token, scanned for it.

use std::net::TcpListener;
use std::time::Duration;

use postmark_kit::api::common::Header;
use postmark_kit::api::email::SendEmail;
use postmark_kit::api::servers::GetCurrentServer;
use postmark_kit::api::webhooks::{CreateWebhook, HttpAuth};
use postmark_kit::{Config, RetryPolicy, Server, Token};
use postmark_kit_mock::{Fault, MockServer, Options};
use postmark_kit_ureq::ServerClient;

const TOKEN: &str = "tok-9f3c-SECRET-token";
const PASSWORD: &str = "pw-7d1e-SECRET-password";

fn assert_hidden(texts: &[String]) {
    for text in texts {
        assert!(!text.contains(TOKEN), "the token shows in: {text}");
        assert!(!text.contains(PASSWORD), "the password shows in: {text}");
        assert!(!text.contains("SECRET"), "a secret shows in: {text}");
    }
}

fn client(base_url: &str) -> ServerClient {
    ServerClient::builder(TOKEN)
        .unwrap()
        .base_url(base_url)
        .unwrap()
        .retry(RetryPolicy::never())
        .timeout(Duration::from_millis(300))
        .build()
}

#[test]
fn no_error_nor_debug_output_shows_the_token() {
    let mock = MockServer::start_with(Options {
        server_token: Some(TOKEN.into()),
        ..Options::default()
    })
    .unwrap();
    let client = client(&mock.url());
    let mut texts = vec![
        format!("{client:?}"),
        format!("{:?}", client.config()),
        format!("{:?}", ServerClient::builder(TOKEN).unwrap()),
        format!("{mock:?}"),
        format!("{:?}", Token::<Server>::new(TOKEN).unwrap()),
        format!("{:?}", Config::<Server>::new(Token::new(TOKEN).unwrap())),
        format!("{:?}", Header::new("X-Webhook-Secret", PASSWORD)),
    ];
    let webhook = CreateWebhook {
        url: "https://hooks.example.com/postmark".into(),
        http_auth: Some(HttpAuth {
            username: "postmark".into(),
            password: PASSWORD.into(),
        }),
        http_headers: Some(vec![Header::new("X-Secret", PASSWORD)]),
        ..Default::default()
    };
    texts.push(format!("{webhook:?}"));

    let mut record = |error: postmark_kit_ureq::ClientError| {
        texts.push(format!("{error} {error:?}"));
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            texts.push(format!("{cause} {cause:?}"));
            source = cause.source();
        }
    };
    // Answers: every fault the mock injects, one call each.
    let faults = [
        Fault::Status {
            status: 401,
            retry_after: None,
        },
        Fault::Status {
            status: 429,
            retry_after: Some(1),
        },
        Fault::Status {
            status: 500,
            retry_after: None,
        },
        Fault::Status {
            status: 503,
            retry_after: None,
        },
        Fault::Page {
            status: 502,
            content_type: "text/html".into(),
            body: "<html>Bad gateway</html>".into(),
            retry_after: None,
        },
        Fault::Delay(Duration::from_secs(1)),
        Fault::Drop,
    ];
    for fault in faults {
        mock.inject(fault, 1);
        record(client.get_current_server(&GetCurrentServer {}).unwrap_err());
    }
    // Postmark's own refusals: a message it rejects.
    record(
        client
            .send_email(&SendEmail::new("nobody", "b@example.com", "s").text_body("t"))
            .unwrap_err(),
    );
    // Refused before sending.
    record(client.send_email(&SendEmail::new("", "", "")).unwrap_err());
    // A connection refused: a port bound, then released.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    record(
        self::client(&format!("http://127.0.0.1:{port}"))
            .get_current_server(&GetCurrentServer {})
            .unwrap_err(),
    );
    // A base URL with credentials in it, and a token that cannot be a header value.
    let url = format!("https://user:{PASSWORD}@api.example.com");
    texts.push(
        ServerClient::builder(TOKEN)
            .unwrap()
            .base_url(&url)
            .unwrap_err()
            .to_string(),
    );
    let bad_token = format!("{TOKEN}\nX-Injected: 1");
    texts.push(format!(
        "{:?}",
        ServerClient::builder(&bad_token).unwrap_err()
    ));
    assert_eq!(texts.len(), 20, "{texts:?}");
    assert_hidden(&texts);
}
