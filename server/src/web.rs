//! The HTTP server: the console (SSR + server functions), static files, the bearer API.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use app::backend::{Console, LoginThrottle, PasswordChecks, StoreError};
use app::language::LANGUAGE_PATH;
use app::{shell, App};

use crate::api;
use crate::assets;
use crate::bearer::BearerAuth;
use crate::config::Settings;
use crate::guard::{self, MAX_BODY_BYTES};
use crate::health;
use crate::language;
use crate::listener;
use crate::metrics;
use crate::revoke::Revocation;
use crate::store::Db;

/// Cloned for every request: one reference count.
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

pub struct SharedState {
    leptos_options: LeptosOptions,
    bearer: Arc<BearerAuth>,
    revocation: Arc<Revocation>,
    db: Db,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.0.leptos_options.clone()
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.0.db.clone()
    }
}

impl FromRef<AppState> for Arc<Revocation> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.0.revocation)
    }
}

impl FromRef<AppState> for Arc<BearerAuth> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.0.bearer)
    }
}

/// Gzip for the WASM, JS and CSS bundles. Pages and server-function answers stay
/// uncompressed: they can carry a secret next to text the caller chose (BREACH).
fn static_asset_compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(
        DefaultPredicate::new()
            .and(NotForContentType::const_new("text/html"))
            .and(NotForContentType::const_new("application/json")),
    )
}

/// Why the server could not start, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("Leptos configuration: {0}")]
    Configuration(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the listening address: {0}")]
    LocalAddress(#[source] std::io::Error),
    #[error(
        "JETONS_SECURE_COOKIES=false is only allowed on a loopback address, not on {0}: \
         serve the console over HTTPS"
    )]
    InsecureCookies(SocketAddr),
    #[error(transparent)]
    Metrics(metrics::MetricsError),
    #[error("cannot read or make the device cookie key: {0}")]
    DeviceKey(#[source] StoreError),
}

/// What every server function gets (and the CLI's token commands): the store, the clock and
/// the policies the settings give.
pub async fn console(settings: &Settings, db: &Db) -> Result<Console, StoreError> {
    Ok(Console {
        store: Arc::new(db.clone()),
        clock: settings.clock,
        zone: settings.zone,
        secure_cookies: settings.secure_cookies,
        sessions: settings.sessions,
        login_throttle: Arc::new(LoginThrottle::new(db.failure_counts(settings.login_limits))),
        device_key: db.device_key(settings.clock.now()).await?,
        password_checks: Arc::new(PasswordChecks::new(
            settings.password_checks,
            settings.password_check_wait,
        )),
        policy: settings.policy,
    })
}

pub async fn serve(settings: Settings, mut db: Db) -> Result<(), ServeError> {
    let conf = get_configuration(None).map_err(|e| ServeError::Configuration(Box::new(e)))?;
    let mut leptos_options = conf.leptos_options;
    if let Some(name) = assets::output_name() {
        leptos_options.output_name = name.into();
    }
    let addr: SocketAddr = leptos_options.site_addr;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Listen { addr, source })?;
    let local = listener.local_addr().map_err(ServeError::LocalAddress)?;
    let secure_cookies = settings.secure_cookies;
    if !secure_cookies && !local.ip().is_loopback() {
        return Err(ServeError::InsecureCookies(local));
    }

    db.set_token_cache_capacity(settings.token_cache_size);
    db.follow_changes();
    let console = console(&settings, &db)
        .await
        .map_err(ServeError::DeviceKey)?;
    if db.shared_failure_counts().is_some() {
        tokio::spawn(prune_failures(db.clone(), settings.clock));
    }
    let state = AppState(Arc::new(SharedState {
        leptos_options: leptos_options.clone(),
        bearer: Arc::new(BearerAuth::new(db.clone(), settings.clock, settings.zone)),
        revocation: Arc::new(Revocation::new(db.clone(), settings.clock)),
        db: db.clone(),
    }));
    if let Some(addr) = settings.metrics_addr {
        let serving = metrics::serve(addr, db.clone(), settings.connections)
            .await
            .map_err(ServeError::Metrics)?;
        println!("Metrics at http://{serving}{}", metrics::METRICS_PATH);
    }
    let edge = Arc::new(guard::Edge {
        proxies: settings.trusted_proxies.clone(),
        public_origin: settings.public_origin.clone(),
        metrics: settings.metrics_addr.is_some(),
        stylesheet: app::stylesheet_href(&leptos_options),
    });
    if edge.public_origin.is_none() && !local.ip().is_loopback() {
        tracing::warn!(
            "JETONS_PUBLIC_ORIGIN is not set: the console trusts the Host its clients send; \
             set it in production"
        );
    }
    let routes = generate_route_list(App);
    let mut app = Router::new();
    for path in assets::paths() {
        let file = path.clone();
        app = app.route(
            &path,
            get(move |headers: HeaderMap| async move { assets::answer(&file, &headers) }),
        );
    }
    let (api, _) = api::routes().split_for_parts();
    let choose_language = {
        let edge = Arc::clone(&edge);
        move |headers: HeaderMap, body: axum::body::Bytes| {
            language::choose(Arc::clone(&edge), secure_cookies, headers, body)
        }
    };
    let app = app
        .merge(api)
        .route(LANGUAGE_PATH, post(choose_language))
        .route(health::HEALTH_PATH, get(health::healthz))
        .route(health::READY_PATH, get(health::readyz))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let console = console.clone();
                move || provide_context(console.clone())
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&edge),
            guard::server_functions,
        ))
        .layer((
            RequestBodyTimeoutLayer::new(settings.body_read_timeout),
            TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, settings.request_timeout),
        ))
        .layer(middleware::from_fn_with_state(edge, guard::front))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(static_asset_compression())
        .with_state(state);

    println!("Jetons console listening on http://{local}");
    tracing::info!(%local, secure_cookies, "listening");
    listener::serve(listener, app, settings.connections, shutdown_signal()).await;
    db.close().await;
    Ok(())
}

/// Shared failure counts are kept a few minutes, then deleted.
async fn prune_failures(db: Db, clock: app::backend::Clock) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    every.tick().await;
    loop {
        every.tick().await;
        if let Err(error) = db.prune_failures(clock.now()).await {
            tracing::warn!(%error, "could not prune old failure counts");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use app::routes::{AUDIT_LOG_PATH, LOGIN_PATH, NEW_TOKEN_PATH, TOKENS_PATH};

    use super::*;

    #[test]
    fn every_named_path_is_a_route() {
        let routes: Vec<String> = generate_route_list(App)
            .iter()
            .map(|route| route.path().to_owned())
            .collect();
        for path in [LOGIN_PATH, TOKENS_PATH, NEW_TOKEN_PATH, AUDIT_LOG_PATH] {
            assert!(routes.iter().any(|r| r == path), "{path}: {routes:?}");
        }
    }
}
