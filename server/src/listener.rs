//! Accepting and serving connections within bounds: a cap on open connections (below the
//! process's descriptor limit; at the cap, the connection idle the longest is closed to make
//! room), a deadline for a request's headers (which also closes idle keep-alive connections),
//! and a graceful shutdown that ends, after a grace period, even with clients that never
//! finish their request.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1::Builder;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long a new connection waits for the room a shed idle connection makes.
const SHED_WAIT: Duration = Duration::from_millis(200);
/// After a failed `accept` (out of descriptors, say), wait this long before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// A request's head (or the next request on a kept-alive connection) must arrive within.
    pub header_read: Duration,
    pub max_connections: usize,
    /// After a shutdown signal, open connections get this long to finish, then are dropped.
    pub shutdown_grace: Duration,
}

/// One open connection, as the shedding sees it.
struct Tracked {
    /// Requests being answered on it.
    busy: AtomicUsize,
    /// Milliseconds (since the server started) of its last activity.
    last_active: AtomicU64,
    shed: Notify,
}

#[derive(Default)]
struct Registry {
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Tracked>>>,
}

impl Registry {
    fn add(&self, now: u64) -> (u64, Arc<Tracked>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let tracked = Arc::new(Tracked {
            busy: AtomicUsize::new(0),
            last_active: AtomicU64::new(now),
            shed: Notify::new(),
        });
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, Arc::clone(&tracked));
        (id, tracked)
    }

    fn remove(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }

    /// Asks the connection idle the longest to close. False when every one is busy.
    fn shed_oldest_idle(&self) -> bool {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let oldest = open
            .values()
            .filter(|c| c.busy.load(Ordering::Acquire) == 0)
            .min_by_key(|c| c.last_active.load(Ordering::Relaxed));
        match oldest {
            Some(connection) => {
                connection.shed.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Counts a request as in progress on its connection until dropped (answered, or abandoned).
struct Busy {
    tracked: Arc<Tracked>,
    clock: Instant,
}

impl Busy {
    fn new(tracked: Arc<Tracked>, clock: Instant) -> Self {
        tracked.busy.fetch_add(1, Ordering::AcqRel);
        Self { tracked, clock }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.tracked
            .last_active
            .store(millis_since(self.clock), Ordering::Relaxed);
        self.tracked.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

fn millis_since(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Serves `app` on `listener` until `shutdown` resolves, then for at most the grace period.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    // HTTP/1.1 only: HTTP/2 is the TLS reverse proxy's business, and version detection would
    // wait, without a deadline, for a first byte that idle clients never send.
    let mut builder = Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    let builder = Arc::new(builder);
    let room = Arc::new(Semaphore::new(limits.max_connections));
    let registry = Arc::new(Registry::default());
    let clock = Instant::now();
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let Some(permit) = make_room(&room, &registry).await else {
            tracing::warn!(%peer, "every connection is busy: one refused");
            continue;
        };
        let (id, tracked) = registry.add(millis_since(clock));
        let connection = Connection {
            app: app.clone(),
            builder: Arc::clone(&builder),
            registry: Arc::clone(&registry),
            tracked,
            id,
            clock,
            stopping: stopping.clone(),
            _permit: permit,
        };
        connections.spawn(connection.run(stream, peer));
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "shutdown grace period over: closing the connections still open"
        );
        connections.abort_all();
    }
}

/// A permit for one more connection: at the cap, the connection idle the longest is asked
/// to close first.
async fn make_room(room: &Arc<Semaphore>, registry: &Registry) -> Option<OwnedSemaphorePermit> {
    if let Ok(permit) = Arc::clone(room).try_acquire_owned() {
        return Some(permit);
    }
    if !registry.shed_oldest_idle() {
        return None;
    }
    tokio::time::timeout(SHED_WAIT, Arc::clone(room).acquire_owned())
        .await
        .ok()
        .and_then(Result::ok)
}

struct Connection {
    app: Router,
    builder: Arc<Builder>,
    registry: Arc<Registry>,
    tracked: Arc<Tracked>,
    id: u64,
    clock: Instant,
    stopping: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    async fn run(mut self, stream: TcpStream, peer: SocketAddr) {
        tracing::trace!(%peer, "connection open");
        let (app, tracked, clock) = (self.app.clone(), Arc::clone(&self.tracked), self.clock);
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let busy = Busy::new(Arc::clone(&tracked), clock);
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            let app = app.clone();
            async move {
                let response: Result<_, Infallible> = app.oneshot(request).await;
                drop(busy);
                response
            }
        });
        let builder = Arc::clone(&self.builder);
        let served = builder.serve_connection(TokioIo::new(stream), service);
        let mut served = std::pin::pin!(served);
        let mut closing = false;
        loop {
            tokio::select! {
                result = served.as_mut() => {
                    if let Err(error) = result {
                        tracing::debug!(%peer, error = %error, "connection ended with an error");
                    }
                    break;
                }
                () = self.tracked.shed.notified(), if !closing => {
                    tracing::debug!(%peer, "closing an idle connection to make room");
                    closing = true;
                    served.as_mut().graceful_shutdown();
                }
                _ = self.stopping.changed(), if !closing => {
                    closing = true;
                    served.as_mut().graceful_shutdown();
                }
            }
        }
        self.registry.remove(self.id);
        tracing::trace!(%peer, "connection closed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_idle_the_longest_is_shed_never_a_busy_one() {
        let registry = Registry::default();
        let (_, old) = registry.add(10);
        let (_, busy) = registry.add(1);
        let (_, recent) = registry.add(20);
        busy.busy.store(1, Ordering::Relaxed);
        assert!(registry.shed_oldest_idle());
        // `old` was notified: its permit is ready without waiting.
        let notified = old.shed.notified();
        let mut notified = std::pin::pin!(notified);
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        assert!(notified.as_mut().poll(&mut cx).is_ready());
        old.busy.store(1, Ordering::Relaxed);
        recent.busy.store(1, Ordering::Relaxed);
        assert!(!registry.shed_oldest_idle(), "every connection is busy");
    }
}
