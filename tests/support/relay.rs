//! A TCP relay to the test's PostgreSQL that a test can cut (every connection dropped, new
//! ones refused) and restore.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::task::AbortHandle;

use super::TestDb;

pub struct Relay {
    pub addr: SocketAddr,
    cut: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Relay {
    pub async fn to(upstream: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let cut = Arc::new(AtomicBool::new(false));
        let links = Arc::new(Mutex::new(Vec::new()));
        let (flag, list) = (cut.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if flag.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let upstream = upstream.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                list.lock().expect("links").push(link.abort_handle());
            }
        });
        Self { addr, cut, links }
    }

    /// A relay in front of `db` (PostgreSQL), and the database URL that goes through it.
    pub async fn in_front_of(db: &TestDb) -> (Self, String) {
        let (authority, _) = db
            .url
            .split_once('@')
            .and_then(|(_, rest)| rest.split_once('/'))
            .expect("postgres://user@host:port/…");
        let relay = Self::to(authority.to_owned()).await;
        let url = db.url.replacen(authority, &relay.addr.to_string(), 1);
        (relay, url)
    }

    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    pub fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}
