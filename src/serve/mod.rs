//! `jwtctl serve`: a strict local OAuth 2.0 / OpenID Connect server on the keyring, the token
//! rules and the refresh flow of the CLI (DECISIONS §10, issue #14). The top layer: it uses
//! `commands::flow` to open the store and mint, so a token it issues is one `jwtctl verify` and
//! `jwtctl refresh` accept, and the reverse.
//!
//! The async runtime exists only here: one-shot commands never build it. Parts: `config` (the
//! TOML file), `http` (strict request parsing, OAuth error responses), `app` (shared state,
//! keyring cache, store access), `grants` (issuing and checking tokens), `endpoints` and
//! `authorize` (the routes), `limit` (rate limiting), `log` (one line per request), `tls`.

mod app;
mod authorize;
mod config;
mod endpoints;
mod grants;
mod http;
mod limit;
mod log;
mod tls;
mod writer;

use crate::Ctx;
use crate::cli::ServeArgs;
use anyhow::{Context, Result};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use axum::routing::{get, post};
use endpoints::{LoggedClient, LoggedError, Remote};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};

/// Most connections open at once; past it new ones are closed at once (bounded memory).
const MAX_CONNECTIONS: usize = 1024;
/// The largest request head (request line and headers) read.
const MAX_HEAD: usize = 16 * 1024;
/// How long SIGTERM waits for requests in flight before exiting anyway.
const DRAIN: Duration = Duration::from_secs(10);

/// Runs the server until SIGTERM or Ctrl-C. `fixed_now` is `--now`/`JWTCTL_NOW` when given.
pub fn run(args: &ServeArgs, ctx: &Ctx, fixed_now: Option<i64>) -> Result<()> {
    let config = match &args.config {
        Some(path) => config::load(path)?,
        None => config::Config::open(),
    };
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls::acceptor(cert, key)?),
        _ => None,
    };
    log::init(log::Style {
        json: args.json_log,
        quiet: ctx.out.quiet(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(32)
        .thread_name("jwtctl-serve")
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(args, ctx, fixed_now, config, tls))
}

fn routes(app: Arc<app::App>) -> Router {
    Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(endpoints::discovery),
        )
        .route(
            "/.well-known/oauth-authorization-server",
            get(endpoints::discovery),
        )
        .route("/.well-known/jwks.json", get(endpoints::jwks))
        .route("/token", post(endpoints::token))
        .route(
            "/authorize",
            get(authorize::authorize).post(authorize::authorize),
        )
        .route("/introspect", post(endpoints::introspect))
        .route("/revoke", post(endpoints::revoke))
        .route(
            "/userinfo",
            get(endpoints::userinfo).post(endpoints::userinfo),
        )
        .route("/login", post(endpoints::login))
        .route("/refresh", post(endpoints::refresh))
        .fallback(endpoints::not_found)
        .with_state(app)
}

/// The rate limiter: on the Redis store when the store is Redis (shared by every `serve` on
/// it), in this process otherwise.
fn limiter(ctx: &Ctx) -> Result<Box<dyn limit::Limiter>> {
    let (target, options) = crate::commands::flow::store_target(ctx)?;
    Ok(match target {
        crate::session::store::target::Target::Redis(server) => {
            Box::new(limit::Shared::new(server, options))
        }
        _ => Box::new(limit::Local::default()),
    })
}

fn base_url(addr: SocketAddr, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    match addr {
        SocketAddr::V4(a) => format!("{scheme}://{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("{scheme}://[{}]:{}", a.ip(), a.port()),
    }
}

async fn serve(
    args: &ServeArgs,
    ctx: &Ctx,
    fixed_now: Option<i64>,
    config: config::Config,
    tls: Option<tls::Acceptor>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let local = listener.local_addr()?;
    let base = base_url(local, tls.is_some());
    let issuer = args.issuer.clone().unwrap_or_else(|| base.clone());
    let open = config.open;
    let header_timeout = config.limits.header_timeout;
    let app = app::App::new(app::Setup {
        config,
        issuer: issuer.clone(),
        place: app::Place {
            home: ctx.home()?,
            store_wait: crate::commands::flow::store_wait(ctx),
            store: ctx.store.clone(),
            keyring: ctx.keyring.clone(),
        },
        fixed_now,
        cookie: args.refresh_cookie,
        limiter: limiter(ctx)?,
    })?;
    // The store is opened (created when missing) now, so a store that cannot work fails the
    // start, not the first request.
    drop(app.open_store()?);
    let router = routes(app.clone());

    // The base URL is the first line on stdout (flushed), for `read URL`; a closed stdout does
    // not stop the server.
    let _ = ctx.out.data(&base);
    let mut ready = format!("serving {base}, issuer {issuer}");
    if open {
        ready.push_str(
            "; no --config: public test client \"jwtctl\" (loopback redirect URIs), any subject \
             may log in",
        );
    }
    if !local.ip().is_loopback() {
        ready.push_str("; listening beyond loopback");
    }
    log::event("ready", &ready);

    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, remote) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: wait a little, keep serving.
                        log::error(&format!("accept failed: {e}"));
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    drop(stream);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let watcher = graceful.watcher();
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        None => connection(stream, remote, router, header_timeout, watcher).await,
                        Some(acceptor) => {
                            if let Ok(Ok(s)) =
                                tokio::time::timeout(header_timeout, acceptor.accept(stream)).await
                            {
                                connection(s, remote, router, header_timeout, watcher).await;
                            }
                        }
                    }
                    drop(slot);
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    log::event(
        "stopping",
        "no new connections; finishing the requests in flight",
    );
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        log::event("stopped", "requests still in flight after 10s were dropped");
    } else {
        log::event("stopped", "all requests answered");
    }
    Ok(())
}

/// Serves one connection: HTTP/1.1 with keep-alive, a cap on the request head, and a time
/// limit for it (slow clients are dropped, others are not held up).
async fn connection<I>(
    io: I,
    remote: SocketAddr,
    router: Router,
    header_timeout: Duration,
    watcher: hyper_util::server::graceful::Watcher,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        handle(router.clone(), remote, req)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(MAX_HEAD);
    let conn = builder.serve_connection(TokioIo::new(io), service);
    let _ = watcher.watch(conn).await;
}

/// Routes one request and logs it.
async fn handle(
    mut router: Router,
    remote: SocketAddr,
    mut req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    use tower_service::Service;
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    req.extensions_mut().insert(Remote(remote));
    let resp = router.call(req.map(Body::new)).await?;
    let client = resp.extensions().get::<LoggedClient>().map(|c| c.0.clone());
    let error = resp.extensions().get::<LoggedError>().map(|e| e.0);
    log::request(&log::Line {
        remote: &remote.ip().to_string(),
        method: &method,
        path: &path,
        status: resp.status().as_u16(),
        ms: start.elapsed().as_secs_f64() * 1000.0,
        client: client.as_deref(),
        error,
    });
    Ok(resp)
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT).
async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = term => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
