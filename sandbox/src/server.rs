//! The two listeners: the customer API over TLS (tokio-rustls + hyper-util, so the TLS stack
//! is exactly the one configured in `tls`), and the developer API over plain HTTP.

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

/// A client that opens a socket and never finishes the handshake loses it after this long.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Same for a client that never finishes sending its request headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// On shutdown, requests in flight get this long to finish before their connections are cut.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Resolves when `shutdown` is set or its sender is gone (the sandbox handle was dropped).
async fn stopped(mut shutdown: watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

pub(crate) async fn serve_tls(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    router: Router,
    shutdown: watch::Receiver<bool>,
) {
    let acceptor = TlsAcceptor::from(tls);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let stop = stopped(shutdown);
    tokio::pin!(stop);
    loop {
        // Reap finished connection tasks so the set holds only live ones.
        while connections.try_join_next().is_some() {}
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Usually out of file descriptors: pause rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // A response leaves in several writes; with Nagle's algorithm each later one waits for
        // the client's delayed ACK (up to 40 ms a request). Failing to set it only costs speed.
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let builder = builder.clone();
        let service = TowerToHyperService::new(router.clone());
        let watcher = graceful.watcher();
        connections.spawn(async move {
            let tls_stream =
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                    Ok(Ok(stream)) => stream,
                    Ok(Err(error)) => {
                        tracing::debug!(%peer, %error, "TLS handshake failed");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(%peer, "TLS handshake timed out");
                        return;
                    }
                };
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(tls_stream), service)
                .into_owned();
            if let Err(error) = watcher.watch(connection).await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the drain timeout were cut");
    }
    connections.shutdown().await;
}

pub(crate) async fn serve_plain(
    listener: TcpListener,
    router: Router,
    shutdown: watch::Receiver<bool>,
) {
    // A client's idle keep-alive connection would hold a graceful shutdown open forever.
    let deadline = {
        let shutdown = shutdown.clone();
        async move {
            stopped(shutdown).await;
            tokio::time::sleep(DRAIN_TIMEOUT).await;
        }
    };
    let server = axum::serve(listener, router).with_graceful_shutdown(stopped(shutdown));
    tokio::select! {
        result = server.into_future() => {
            if let Err(error) = result {
                tracing::error!(%error, "developer API server failed");
            }
        }
        () = deadline => tracing::warn!("developer API connections still open after the drain timeout were cut"),
    }
}
