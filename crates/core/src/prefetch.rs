//! Running a stream ahead of its consumer on the tokio runtime, so the network and the
//! consumer's work overlap.

use std::future::Future;

use futures::stream::{self, Stream, StreamExt};

/// Runs `stream` ahead of its consumer: a background task polls it and keeps up to
/// `depth` items ready in a bounded channel, so the next page is requested and decoded
/// while the consumer is still busy with the current one. Order is kept; memory stays
/// bounded by `depth` items plus the one being produced.
///
/// The task starts at the first poll, on the tokio runtime the stream is polled from
/// (on a multi-thread runtime it runs on another worker, so decoding and the
/// consumer's work overlap in time as well); without a tokio runtime the stream is
/// polled in place. Dropping the returned stream stops the task, and a panic in it
/// reaches the consumer.
pub fn prefetch<T>(
    stream: impl Stream<Item = T> + Send + 'static,
    depth: usize,
) -> impl Stream<Item = T> + Send + 'static
where
    T: Send + 'static,
{
    let stream = stream.boxed();
    stream::once(async move {
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => Prefetch::spawn(&handle, stream, depth.max(1)).boxed(),
            Err(_) => stream,
        }
    })
    .flatten()
}

/// The consumer side of [`prefetch`]: the channel, and the task to stop on drop.
struct Prefetch<T> {
    items: tokio::sync::mpsc::Receiver<T>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl<T: Send + 'static> Prefetch<T> {
    fn spawn(
        handle: &tokio::runtime::Handle,
        mut stream: futures::stream::BoxStream<'static, T>,
        depth: usize,
    ) -> Self {
        let (tx, items) = tokio::sync::mpsc::channel(depth);
        let task = handle.spawn(async move {
            while let Some(item) = stream.next().await {
                if tx.send(item).await.is_err() {
                    // The consumer is gone.
                    break;
                }
            }
        });
        Self {
            items,
            task: Some(task),
        }
    }
}

impl<T> Stream for Prefetch<T> {
    type Item = T;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        use std::task::Poll;
        if let Some(item) = futures::ready!(self.items.poll_recv(cx)) {
            return Poll::Ready(Some(item));
        }
        // The channel is closed: the task ended. Surface its panic, if any.
        let Some(task) = self.task.as_mut() else {
            return Poll::Ready(None);
        };
        let result = futures::ready!(std::pin::Pin::new(task).poll(cx));
        self.task = None;
        match result {
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            _ => Poll::Ready(None),
        }
    }
}

impl<T> Drop for Prefetch<T> {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
    }

    #[test]
    fn prefetch_runs_ahead_within_its_bound_and_keeps_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        current_thread().block_on(async {
            let produced = std::sync::Arc::new(AtomicUsize::new(0));
            let p = produced.clone();
            let source = stream::iter(0..20).map(move |i| {
                p.fetch_add(1, Ordering::SeqCst);
                i
            });
            let mut s = std::pin::pin!(prefetch(source, 3));
            assert_eq!(
                produced.load(Ordering::SeqCst),
                0,
                "nothing before the first poll"
            );
            assert_eq!(s.next().await, Some(0));
            // While the consumer is busy elsewhere, the task fills the channel (3) and
            // holds one more item waiting for room.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            assert_eq!(produced.load(Ordering::SeqCst), 1 + 3 + 1);
            let rest: Vec<i32> = s.collect().await;
            assert_eq!(rest, (1..20).collect::<Vec<_>>());
        });
    }

    #[test]
    fn dropping_a_prefetch_stops_its_task() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        /// Set when the request it stands for is cancelled.
        struct InFlight(Arc<AtomicBool>);
        impl Drop for InFlight {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        current_thread().block_on(async {
            let cancelled = Arc::new(AtomicBool::new(false));
            let c = cancelled.clone();
            // The second "page" is a request that never answers.
            let source = stream::iter([1]).chain(stream::once(async move {
                let _request = InFlight(c);
                futures::future::pending::<i32>().await
            }));
            let mut s = Box::pin(prefetch(source, 2));
            assert_eq!(s.next().await, Some(1));
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            assert!(
                !cancelled.load(Ordering::SeqCst),
                "still waiting for page 2"
            );
            drop(s);
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            assert!(
                cancelled.load(Ordering::SeqCst),
                "dropping the stream cancels the request in flight"
            );
        });
    }

    #[test]
    #[should_panic(expected = "producer failed")]
    fn a_panic_in_the_prefetch_task_reaches_the_consumer() {
        current_thread().block_on(async {
            let source = stream::iter(0..5).map(|i| {
                assert!(i < 2, "producer failed");
                i
            });
            let got: Vec<i32> = prefetch(source, 2).collect().await;
            // Not reached: the panic ends the collect.
            assert_eq!(got.len(), 5);
        });
    }

    /// A prefetch whose runtime shut down (its task cancelled, not panicked) just ends.
    #[test]
    fn a_prefetch_cut_off_by_its_runtime_ends_quietly() {
        let first = current_thread();
        let mut s = first.block_on(async {
            let mut s = Box::pin(prefetch(stream::iter([1]).chain(stream::pending()), 2));
            assert_eq!(s.next().await, Some(1));
            s
        });
        // Dropping the runtime cancels the task that fills the channel.
        drop(first);
        let rest: Vec<i32> = current_thread().block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(10), s.by_ref().collect())
                .await
                .expect("ends")
        });
        assert!(rest.is_empty(), "{rest:?}");
    }

    #[test]
    fn prefetch_without_a_runtime_polls_in_place() {
        let mut s = std::pin::pin!(prefetch(stream::iter([7, 8]), 2));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert_eq!(
            s.as_mut().poll_next(&mut cx),
            std::task::Poll::Ready(Some(7))
        );
    }
}
