use std::error::Error as StdError;
use std::time::Duration;

use bytes::Bytes;

use super::body::*;
use super::text::*;
use super::ReadError;

/// An error with a message and an optional cause, to build chains.
#[derive(Debug)]
struct Chain(&'static str, Option<Box<Chain>>);

impl std::fmt::Display for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl StdError for Chain {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.1.as_deref().map(|c| c as &(dyn StdError + 'static))
    }
}

fn chain(messages: &[&'static str]) -> Chain {
    messages
        .iter()
        .rev()
        .fold(None, |cause, m| Some(Chain(m, cause.map(Box::new))))
        .expect("at least one")
}

#[test]
fn describe_chain_keeps_each_cause_once() {
    assert_eq!(describe_chain(&chain(&["a", "b", "c"])), "a: b: c");
    // A message repeating (part of) the one before it: the longer one stays.
    assert_eq!(
        describe_chain(&chain(&[
            "tcp connect error",
            "tcp connect error: refused",
            "refused"
        ])),
        "tcp connect error: refused"
    );
    assert_eq!(
        describe_chain(&chain(&[
            "connection closed before message completed",
            "closed"
        ])),
        "connection closed before message completed"
    );
    assert_eq!(
        describe_chain(&chain(&[
            "connection error",
            "connection error (os error 111)"
        ])),
        "connection error (os error 111)"
    );
    // reqwest's generic wrapper goes when something more specific follows, and
    // stays when it is all there is.
    assert_eq!(
        describe_chain(&chain(&[
            "error sending request",
            "dns error",
            "no such host"
        ])),
        "dns error: no such host"
    );
    assert_eq!(
        describe_chain(&chain(&["error sending request"])),
        "error sending request"
    );
    // Blank messages are skipped; line breaks collapse.
    assert_eq!(describe_chain(&chain(&["a", " ", "b\nc"])), "a: b c");
}

#[test]
fn timeout_messages_name_the_limit() {
    assert_eq!(secs(Duration::from_secs(10)), "10 s");
    assert_eq!(secs(Duration::from_millis(1500)), "1.5 s");
    assert_eq!(secs(Duration::from_millis(200)), "0.2 s");
    assert_eq!(
        total_timeout_message("https://x.example:443", Duration::from_secs(30), false),
        "https://x.example:443: attempt took longer than 30 s (total timeout)"
    );
    assert_eq!(
        total_timeout_message("https://x.example:443", Duration::from_millis(2500), true),
        "https://x.example:443: attempt stopped after 2.5 s, when the call's retry budget ran out (total timeout)"
    );
}

#[test]
fn one_line_collapses_and_cuts() {
    assert_eq!(one_line("  a \n\t b\r\n", 10).as_deref(), Some("a b"));
    assert_eq!(one_line("abcdef", 3).as_deref(), Some("abc…"));
    assert_eq!(one_line("ab cd", 3).as_deref(), Some("ab…"));
    assert_eq!(one_line("a\u{7}b", 10).as_deref(), Some("ab"));
    assert_eq!(one_line(" \n ", 10), None);
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                </body>\r\n</html>\r\n";
    assert_eq!(
        one_line(page, 200).as_deref(),
        Some("502 Bad Gateway 502 Bad Gateway nginx")
    );
    // Not HTML: angle brackets stay.
    assert_eq!(one_line("a <b> c", 20).as_deref(), Some("a <b> c"));
    // In an HTML page, a `>` outside a tag is text.
    assert_eq!(one_line("<p>1 > 0</p>", 20).as_deref(), Some("1 > 0"));
    // Multi-byte characters are counted, not cut in half.
    assert_eq!(one_line("ééé", 2).as_deref(), Some("éé…"));
    // A control character before the `<` does not hide an HTML page, so the
    // function gives the same line on its own output (fuzz target `wire_text`).
    assert_eq!(one_line("\0<b>x", 10).as_deref(), Some("x"));
    assert_eq!(one_line("x", 10).as_deref(), Some("x"));
}

#[test]
fn decode_errors_are_one_bounded_line() {
    #[derive(Debug, serde::Deserialize)]
    struct Page {
        #[allow(dead_code)]
        items: Vec<u32>,
    }
    // A key with a newline around a broken value (fuzz targets `page_*`).
    let body = br#"{"items": [], "a\nb": [}"#;
    let e = decode::<Page>("p", body).expect_err("broken");
    let text = e.to_string();
    assert!(!text.chars().any(char::is_control), "{text}");
    assert!(text.contains(r"a\nb"), "{text}");
    // A long key of control characters: the escapes count towards the cap.
    let body = format!(r#"{{"items": [], "{}": [}}"#, "\\u007f".repeat(500));
    let e = decode::<Page>("p", body.as_bytes()).expect_err("broken");
    assert!(
        e.to_string().chars().count() < 600,
        "{}",
        e.to_string().len()
    );
    // A huge value quoted in the message is cut.
    let long = format!(r#"{{"items": "{}"}}"#, "x".repeat(10_000));
    let e = decode::<Page>("p", long.as_bytes()).expect_err("not a list");
    assert!(
        e.to_string().chars().count() < 600,
        "{}",
        e.to_string().len()
    );
}

#[test]
fn body_buffer_keeps_one_chunk_and_stops_at_the_limit() {
    let mut b = BodyBuffer::new(10, None);
    assert!(b.is_empty());
    b.push(Bytes::new()).expect("empty fits");
    assert!(b.is_empty());
    assert_eq!(b.len(), 0);
    b.push(Bytes::from_static(b"hello")).expect("fits");
    assert!(!b.is_empty());
    assert_eq!(b.len(), 5);
    let one = b.finish();
    assert_eq!(&one[..], b"hello");

    let mut b = BodyBuffer::new(10, None);
    b.push(Bytes::from_static(b"hello")).expect("fits");
    b.push(Bytes::new()).expect("empty fits");
    b.push(Bytes::from_static(b"world"))
        .expect("exactly the limit");
    assert_eq!(
        b.push(Bytes::from_static(b"!")),
        Err(TooLarge { limit: 10 })
    );
    assert_eq!(b.len(), 10);
    assert_eq!(&b.finish()[..], b"helloworld");

    // The buffer never grows past the limit, however the chunks come.
    let mut b = BodyBuffer::new(1000, None);
    for _ in 0..100 {
        b.push(Bytes::from_static(b"0123456789")).expect("fits");
    }
    assert!(b.capacity() <= 1000, "{}", b.capacity());
    assert!(b.push(Bytes::from_static(b"x")).is_err());

    // The first two chunks are put together in a buffer of their size, no more.
    let mut b = BodyBuffer::new(1000, None);
    b.push(Bytes::from_static(b"0123456789")).expect("fits");
    b.push(Bytes::from_static(b"0123456789")).expect("fits");
    assert_eq!(b.capacity(), 20);
    // A chunk that the buffer must grow for never grows it past the limit (a Vec
    // left to grow by itself would double to 1200 here).
    let mut b = BodyBuffer::new(1000, None);
    for size in [300, 300, 390] {
        b.push(Bytes::from(vec![b'x'; size])).expect("fits");
    }
    assert_eq!(b.len(), 990);
    assert!(b.capacity() <= 1000, "{}", b.capacity());

    // A declared length sizes the buffer once.
    let mut b = BodyBuffer::new(1000, Some(300));
    for _ in 0..30 {
        b.push(Bytes::from_static(b"0123456789")).expect("fits");
    }
    assert_eq!(b.capacity(), 300);
}

#[test]
fn printable_keeps_exactly_max_and_cuts_after() {
    assert_eq!(printable("abc", 3), "abc");
    assert_eq!(printable("abcd", 3), "abc…");
    // An escape counts with its full width: `\n` is two characters.
    assert_eq!(printable("a\nb", 3), "a\\n…");
    assert_eq!(printable("a\nb", 4), "a\\nb");
}

#[test]
fn two_chunks_are_joined_in_a_buffer_of_their_sum() {
    let mut b = BodyBuffer::new(1000, None);
    b.push(Bytes::from(vec![b'a'; 10])).expect("fits");
    b.push(Bytes::from(vec![b'b'; 5])).expect("fits");
    assert_eq!(b.capacity(), 15);
    assert_eq!(b.len(), 15);
}

#[test]
fn an_excerpt_counts_characters_not_bytes() {
    let body = "€".repeat(300);
    let excerpt = body_excerpt(body.as_bytes()).expect("text");
    assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1, "{excerpt}");
    assert!(excerpt.ends_with("€…"), "{excerpt}");
    assert_eq!(body_excerpt(b"  \n "), None);
}

/// A server on 127.0.0.1 that answers every connection with `head` and `body`, then
/// keeps the connection open without sending more.
async fn holding_server(head: &'static str, body: &'static [u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body).await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    format!("http://{addr}/")
}

async fn read(url: &str, limit: u64) -> Result<Bytes, ReadError> {
    let response = reqwest::get(url).await.expect("head");
    super::read_limited(response, limit, None).await
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let url = holding_server(
        "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n",
        b"{\"partial\":",
    )
    .await;
    let result = tokio::time::timeout(Duration::from_secs(5), read(&url, 1000))
        .await
        .expect("refused at once, not after waiting for the body");
    assert!(
        matches!(result, Err(ReadError::TooLarge { limit: 1000 })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read() {
    let url = holding_server(
        "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n",
        b"0123456789",
    )
    .await;
    let body = read(&url, 10).await.expect("fits");
    assert_eq!(&body[..], b"0123456789");
    let url = holding_server(
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
        b"6\r\n012345\r\n6\r\n678901\r\n0\r\n\r\n",
    )
    .await;
    assert!(matches!(
        read(&url, 10).await,
        Err(ReadError::TooLarge { limit: 10 })
    ));
    assert_eq!(&read(&url, 12).await.expect("fits")[..], b"012345678901");
}
