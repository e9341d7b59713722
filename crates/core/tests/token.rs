//! The OAuth2 client-credentials source on its own, against a local token endpoint: what
//! a token request carries, how long its answer is kept, and what a failed request says.

use telnums_core::{AuthError, ClientCredentials, Credentials};
use wiremock::matchers::{basic_auth, body_string_contains, header, header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(format!(
        r#"{{"access_token": "{value}", "token_type": "bearer", "expires_in": {expires_in}}}"#
    ))
}

/// The probe client's grant, from `/oauth/token` on `server`.
fn probe(server: &MockServer) -> ClientCredentials {
    ClientCredentials::new(
        format!("{}/oauth/token", server.uri()),
        "probe-id",
        "probe-secret-not-real",
    )
}

#[tokio::test]
async fn a_token_request_names_the_client_and_its_answer_is_kept_while_it_lives() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(basic_auth("probe-id", "probe-secret-not-real"))
        .and(header_regex("user-agent", r"^telnums/\d"))
        .and(header("accept", "application/json"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("scope=phone%3Aread+phone%3Awrite"))
        .respond_with(token("tok-1-not-real", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let credentials = probe(&server).scope("phone:read").scope("phone:write");
    for _ in 0..3 {
        let header = credentials.authorization().await.expect("a token");
        assert_eq!(header.to_str().ok(), Some("Bearer tok-1-not-real"));
        assert!(header.is_sensitive());
    }
    // `expect(1)`: one request for the three calls, checked when the server drops.
}

#[tokio::test]
async fn without_scopes_no_scope_is_sent() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(token("tok-2-not-real", 60))
        .mount(&server)
        .await;
    probe(&server).authorization().await.expect("a token");
    let requests = server.received_requests().await.expect("recorded");
    let body = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert_eq!(body, "grant_type=client_credentials");
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_a_transport_error_naming_only_its_origin() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("address").port()
    };
    let credentials = ClientCredentials::new(
        format!("http://127.0.0.1:{port}/tenants/tenant-7/token"),
        "probe-id",
        "probe-secret-not-real",
    );
    let err = credentials
        .authorization()
        .await
        .expect_err("nothing listens there");
    let AuthError::Transport {
        message, timeout, ..
    } = &err
    else {
        panic!("a transport error: {err:?}");
    };
    assert!(!timeout, "a refused connection is not a timeout: {err:?}");
    assert!(
        message.contains(&format!("http://127.0.0.1:{port}")),
        "{message}"
    );
    assert!(
        !message.contains("tenant-7"),
        "the path stays out: {message}"
    );
}
