//! The clients: one per kind of token, one async method per operation.

use std::sync::Arc;
use std::time::Duration;

use postmark_kit::api::email::{
    SendEmail, SendEmailBatch, SendEmailBatchWithTemplates, SendEmailResponse,
    SendEmailWithTemplate,
};
use postmark_kit::api::raw::Raw;
use postmark_kit::api::webhooks::{DeleteWebhook, ListWebhooks, Webhook};
use postmark_kit::ops::{DynPager, Operation};
use postmark_kit::windows::{Plan, SearchWindows, Window, Windowed};
use postmark_kit::{
    Account, BuildError, Config, Cursor, Endpoint, ErrorCode, Paged, Paginator, RetryPolicy,
    Server, Token, TokenKind, batching, parse,
};

use crate::transport::{Transport, tls_config};
use crate::{ClientError, DeleteWebhooksError, Items, SendBatchesError};

/// An async Postmark client holding one token of kind `K`.
///
/// Cloning is cheap and clones share the connection pool: hand one to each
/// task. Every method's future is `Send`; it needs a Tokio runtime with
/// its time driver (reqwest's timeouts and the retry waits use it).
#[derive(Debug)]
pub struct Client<K: TokenKind> {
    inner: Arc<Inner<K>>,
}

#[derive(Debug)]
struct Inner<K: TokenKind> {
    config: Config<K>,
    transport: Transport,
}

// Not derived: a derive would ask `K: Clone`, which the handle does not need.
impl<K: TokenKind> Clone for Client<K> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// A client for server-token operations: sending, bounces, messages, webhooks, the
/// current server.
pub type ServerClient = Client<Server>;
/// A client for account-token operations: servers, domains, sender signatures.
pub type AccountClient = Client<Account>;

/// What [`Client::walk_windows`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowedItems<T> {
    /// Every item reached, newest first.
    pub items: Vec<T>,
    /// Windows of a single second holding more items than Postmark pages:
    /// only their first 10,000 are in `items`.
    pub truncated: Vec<Window>,
}

/// Configures a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder<K: TokenKind> {
    config: Config<K>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
}

impl<K: TokenKind> ClientBuilder<K> {
    /// Sends requests to another base URL (a mock server, a proxy). Plain
    /// `http://` is refused unless the host is this machine (`localhost`,
    /// `127.0.0.0/8`, `[::1]`) or [`allow_insecure_http`](Self::allow_insecure_http)
    /// was called first: the token would cross the network in clear text.
    pub fn base_url(mut self, url: &str) -> Result<Self, BuildError> {
        self.config = self.config.with_base_url(url)?;
        Ok(self)
    }

    /// Lets [`base_url`](Self::base_url) take a plain `http://` URL to any
    /// host, sending the token unencrypted (a trusted proxy on a private
    /// network, say). Call it before `base_url`.
    pub fn allow_insecure_http(mut self) -> Self {
        self.config = self.config.allow_insecure_http();
        self
    }

    /// Total time one attempt may take, response body included (default
    /// 30 s). It applies to each request, so also with a reqwest client of
    /// your own ([`http_client`](Self::http_client)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time to establish a connection (default 10 s), for the reqwest client
    /// the builder makes; one passed to [`http_client`](Self::http_client)
    /// keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]; sends are not
    /// repeated after ambiguous failures unless the policy opts in).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: &str) -> Result<Self, BuildError> {
        self.config = self.config.with_user_agent(user_agent)?;
        Ok(self)
    }

    /// Sends through `http`, a reqwest client of your own: to share its
    /// connection pool with the rest of the application, or for its proxy,
    /// TLS or DNS settings. The token, `User-Agent`, timeout and retries are
    /// still this builder's, set on each request.
    ///
    /// The client this builder makes follows no redirect, since following
    /// one could carry the token to another host; give yours
    /// `.redirect(reqwest::redirect::Policy::none())` too (Postmark does not
    /// redirect). Middleware that works on connections goes in with
    /// reqwest's `connector_layer`.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client. It fails only when the reqwest client the builder makes
    /// cannot be set up ([`ClientError::Setup`]).
    pub fn build(self) -> Result<Client<K>, ClientError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .tls_backend_preconfigured(tls_config()?)
                .connect_timeout(self.connect_timeout)
                // Postmark does not redirect; following one could carry the
                // token to another host.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| ClientError::Setup(crate::error::describe(&error)))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                config: self.config,
                transport: Transport::new(http, self.timeout, self.retry),
            }),
        })
    }
}

impl<K: TokenKind> Client<K> {
    /// A client for Postmark's production API with default settings.
    pub fn new(token: &str) -> Result<Self, ClientError> {
        Self::builder(token)?.build()
    }

    /// A builder for a client with `token`.
    pub fn builder(token: &str) -> Result<ClientBuilder<K>, BuildError> {
        Ok(Self::builder_with_config(Config::new(Token::new(token)?)))
    }

    /// A builder for a client with `config`, made by
    /// [`Config::from_settings`] or [`Config::from_env`], say.
    pub fn builder_with_config(config: Config<K>) -> ClientBuilder<K> {
        ClientBuilder {
            config,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            http: None,
        }
    }

    /// A builder for a client with `token` and `base_url` where given, else
    /// from the environment: the token from [`token_variable`](Self::token_variable),
    /// the base URL from `POSTMARK_API_URL` when it is set. `None` when no
    /// token is given or set. A plain `http://` URL to another machine is
    /// refused: [`Config::from_env`] can allow it.
    pub fn builder_from_env(
        token: Option<&str>,
        base_url: Option<&str>,
    ) -> Option<Result<ClientBuilder<K>, BuildError>> {
        let config = Config::from_env(token, base_url, None, false, |name| {
            std::env::var(name).ok()
        })?;
        Some(config.map(Self::builder_with_config))
    }

    /// The environment variable that holds this kind's token:
    /// `POSTMARK_SERVER_TOKEN` or `POSTMARK_ACCOUNT_TOKEN`.
    pub fn token_variable() -> &'static str {
        K::ENV_VARIABLE
    }

    /// A client from [`token_variable`](Self::token_variable), and
    /// `POSTMARK_API_URL` when set. `None` when the token variable is unset.
    pub fn from_env() -> Option<Result<Self, ClientError>> {
        let builder = Self::builder_from_env(None, None)?;
        Some(
            builder
                .map_err(ClientError::from)
                .and_then(ClientBuilder::build),
        )
    }

    /// The base URL and token in use.
    pub fn config(&self) -> &Config<K> {
        &self.inner.config
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// Sends any endpoint that takes this client's kind of token.
    pub async fn execute<E: Endpoint<Token = K>>(
        &self,
        endpoint: &E,
    ) -> Result<E::Response, ClientError> {
        let parts = endpoint.parts()?;
        let idempotent = parts.idempotent;
        let request = parts.into_request(self.config())?;
        let response = self.transport().execute(request, idempotent).await?;
        Ok(parse::<E>(response)?)
    }

    /// Any request (method, path, query, JSON body) with this client's token,
    /// retries and error decoding; the answer as JSON.
    pub async fn raw(&self, request: &Raw<K>) -> Result<serde_json::Value, ClientError> {
        self.execute(request).await
    }

    /// Every item of a paged list, starting at the endpoint's offset, in pages
    /// of its count.
    pub fn paginate<E: Paged<Token = K>>(&self, endpoint: E) -> Result<Items<E>, ClientError> {
        self.paginate_at_most(endpoint, None)
    }

    /// Like [`paginate`](Self::paginate), stopping after `limit` items.
    pub fn paginate_at_most<E: Paged<Token = K>>(
        &self,
        endpoint: E,
        limit: Option<u64>,
    ) -> Result<Items<E>, ClientError> {
        Ok(Items::new(self.clone(), Paginator::new(endpoint, limit)?))
    }

    /// Resumes a walk from a [`Cursor`] saved from [`Items::cursor`].
    pub fn resume<E: Paged<Token = K>>(&self, endpoint: E, cursor: Cursor) -> Items<E> {
        Items::new(self.clone(), Paginator::resume(endpoint, cursor))
    }

    /// Calls an operation of the table ([`postmark_kit::ops`]) with JSON
    /// parameters and returns the JSON response with Postmark's wire names:
    /// the interface for callers that pick operations at run time.
    pub async fn call(&self, operation: &Operation, params: &str) -> Result<String, ClientError> {
        let built = operation.build(self.config(), params)?;
        let response = self
            .transport()
            .execute(built.request, built.idempotent)
            .await?;
        let (parts, body) = response.into_parts();
        Ok(operation.parse(&http::Response::from_parts(parts, body.as_slice()))?)
    }

    /// Every item of a capped search (bounces, sent or received messages)
    /// from `from` to `to` (`2026-01-31` or `2026-01-31T08:00:00`, bounds
    /// included), past the 10,000 items Postmark pages: the date window is
    /// halved until each part is under the cap ([`SearchWindows`]), and each
    /// part walked, newest first. The search's own date window is replaced,
    /// its other filters kept.
    ///
    /// Each window costs one request more than its pages when it must be
    /// split (its first page tells its total). Where a single second holds
    /// more than the cap, what the cap reaches is walked and the window is
    /// named in [`WindowedItems::truncated`].
    pub async fn walk_windows<E: Windowed<Token = K>>(
        &self,
        search: &E,
        from: &str,
        to: &str,
    ) -> Result<WindowedItems<E::Item>, ClientError> {
        let cap = E::DEPTH_CAP.unwrap_or(u32::MAX);
        let mut windows = SearchWindows::new(from, to, cap)?;
        let mut walked = WindowedItems {
            items: Vec::new(),
            truncated: Vec::new(),
        };
        while let Some(window) = windows.next_window() {
            let mut walk = Paginator::new(search.within(&window), None)?;
            // The first page tells the window's total, which decides its plan.
            let mut items = self.next_items(&mut walk).await?.unwrap_or_default();
            match windows.plan(&window, walk.cursor().total().unwrap_or_default()) {
                Plan::Split => continue,
                Plan::Truncated => walked.truncated.push(window.clone()),
                Plan::Walk => {}
            }
            while let Some(page) = self.next_items(&mut walk).await? {
                items.extend(page);
            }
            walked.items.extend(items);
            windows.walked(&window);
        }
        Ok(walked)
    }

    /// The items of a walk's next page, or `None` when the walk is over.
    async fn next_items<E: Paged<Token = K>>(
        &self,
        walk: &mut Paginator<E>,
    ) -> Result<Option<Vec<E::Item>>, ClientError> {
        let Some(next) = walk.next_request(self.config()) else {
            return Ok(None);
        };
        let (page, built) = next?;
        let response = self
            .transport()
            .execute(built.request, built.idempotent)
            .await?;
        Ok(Some(walk.on_response(page, response)?))
    }

    /// Fetches the next page of a walk by name and returns its items as a
    /// JSON array, or `None` when the walk is over. The walk moves on only
    /// when the page is in: after an error, or with the future dropped, the
    /// next call asks for the same page again.
    pub async fn next_page(&self, pager: &mut DynPager) -> Result<Option<String>, ClientError> {
        let Some((page, params)) = pager.next_params() else {
            return Ok(None);
        };
        let built = pager.operation().build(self.config(), &params)?;
        let response = self
            .transport()
            .execute(built.request, built.idempotent)
            .await?;
        let (parts, body) = response.into_parts();
        let items = pager.advance(page, &http::Response::from_parts(parts, body.as_slice()))?;
        Ok(Some(items))
    }
}

impl ServerClient {
    /// Sends any number of messages as batches Postmark takes (at most 500
    /// messages and 50 MB each, cut by [`batching::split`]) and answers one
    /// result per message, in their order. As in one batch, a message
    /// Postmark rejects has its rejection as its result and fails nothing.
    ///
    /// Every batch is checked before the first is sent, so a message refused
    /// locally sends nothing. A failure after that (a transport error, an
    /// error status) stops the sends: the error holds the results of the
    /// batches sent until then. Dropping the future stops them too; the
    /// batches already answered were sent.
    pub async fn send_email_batches(
        &self,
        messages: &[SendEmail],
    ) -> Result<Vec<SendEmailResponse>, SendBatchesError> {
        self.send_in_batches(messages, |batch| SendEmailBatch(batch.to_vec()))
            .await
    }

    /// [`send_email_batches`](Self::send_email_batches) of template sends,
    /// through `POST /email/batchWithTemplates`.
    pub async fn send_email_batches_with_templates(
        &self,
        messages: &[SendEmailWithTemplate],
    ) -> Result<Vec<SendEmailResponse>, SendBatchesError> {
        self.send_in_batches(messages, |batch| SendEmailBatchWithTemplates {
            messages: batch.to_vec(),
        })
        .await
    }

    async fn send_in_batches<T, E>(
        &self,
        messages: &[T],
        batch: impl Fn(&[T]) -> E,
    ) -> Result<Vec<SendEmailResponse>, SendBatchesError>
    where
        T: serde::Serialize,
        E: Endpoint<Token = Server, Response = Vec<SendEmailResponse>>,
    {
        let batches =
            batching::split_checked(messages, &batch).map_err(|error| SendBatchesError {
                sent: Vec::new(),
                error: error.into(),
            })?;
        let mut results = Vec::with_capacity(messages.len());
        for range in batches {
            match self.execute(&batch(&messages[range])).await {
                Ok(answers) => results.extend(answers),
                Err(error) => {
                    return Err(SendBatchesError {
                        sent: results,
                        error,
                    });
                }
            }
        }
        Ok(results)
    }

    /// The webhooks of the server (every stream) that post to `url`; scheme
    /// and host compare without case, a trailing slash does not count.
    pub async fn webhooks_pointing_at(&self, url: &str) -> Result<Vec<Webhook>, ClientError> {
        let list = self.list_webhooks(&ListWebhooks::default()).await?;
        Ok(list.pointing_at(url).cloned().collect())
    }

    /// Deletes every webhook of the server that posts to `url` and returns
    /// their IDs. A webhook that is already gone (deleted meanwhile by
    /// someone else) counts as deleted. On the first other failure it stops:
    /// the error says which webhooks were deleted until then.
    pub async fn delete_webhooks_pointing_at(
        &self,
        url: &str,
    ) -> Result<Vec<i64>, DeleteWebhooksError> {
        let doomed = self
            .webhooks_pointing_at(url)
            .await
            .map_err(|error| DeleteWebhooksError {
                deleted: Vec::new(),
                error,
            })?;
        let mut deleted = Vec::with_capacity(doomed.len());
        for webhook in doomed {
            match self.delete_webhook(&DeleteWebhook { id: webhook.id }).await {
                Ok(_) => {}
                Err(error) if error.code() == Some(ErrorCode::WEBHOOK_NOT_FOUND) => {}
                Err(error) => return Err(DeleteWebhooksError { deleted, error }),
            }
            deleted.push(webhook.id);
        }
        Ok(deleted)
    }
}

/// One async method per row of the core's operation table.
macro_rules! operation_methods {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        impl ServerClient {
            $(operation_methods!(@method $s, $sm $sr, $sty);)*
        }
        impl AccountClient {
            $(operation_methods!(@method $a, $am $ar, $aty);)*
        }
    };
    (@method $name:ident, $method:ident $path:literal, $ty:path) => {
        #[doc = concat!("`", stringify!($method), " ", $path, "`")]
        pub async fn $name(&self, request: &$ty) -> Result<<$ty as Endpoint>::Response, ClientError> {
            self.execute(request).await
        }
    };
}

postmark_kit::for_each_operation!(operation_methods);
