//! The OpenAPI 3.1 document of both HTTP APIs, generated from the handlers' annotations and the
//! protocol's wire types, so it cannot describe a route the routers do not serve. Served at
//! `GET /openapi.json` on both listeners, printed by `mobank-sandbox --openapi`, committed as
//! `docs/openapi.json` (a test fails when the two differ).

mod errors;

use std::sync::{Arc, LazyLock};

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::{Server, ServerVariableBuilder};
use utoipa::openapi::{InfoBuilder, LicenseBuilder, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::bank::Bank;

/// The name of the bearer-token scheme the session routes name in `security`.
pub(crate) const SESSION_SCHEME: &str = "session";

/// Where the document is served, on both listeners, without authentication.
pub(crate) const DOCUMENT_PATH: &str = "/openapi.json";

/// The document, pretty-printed with a final newline, as committed in `docs/openapi.json`.
pub fn document_json() -> String {
    DOCUMENT.clone()
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    // Serialising a tree of strings, maps and numbers cannot fail; an empty answer would show.
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
});

/// Both APIs' routes with their operations; the routers are made from the same calls, and the
/// bank state is not needed to describe them.
fn document() -> OpenApi {
    let customer = crate::api::routes().into_openapi();
    let mut developer = crate::dev::routes::routes().into_openapi();
    let mut document = customer;
    describe(&mut document);
    mark_developer_paths(&mut document, &mut developer);
    document.merge(developer);
    errors::add_error_responses(&mut document);
    name_operations(&mut document);
    document
}

/// Operation ids unique across both APIs (`payees_list`, not `list` five times), and a
/// description on every success answer.
fn name_operations(document: &mut OpenApi) {
    for item in document.paths.paths.values_mut() {
        for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
            let tag = operation
                .tags
                .as_ref()
                .and_then(|tags| tags.first())
                .cloned()
                .unwrap_or_default();
            if let Some(id) = operation.operation_id.as_mut() {
                if !id.starts_with(&tag) {
                    *id = format!("{tag}_{id}");
                }
            }
            let summary = operation.summary.clone().unwrap_or_default();
            for response in operation.responses.responses.values_mut() {
                if let utoipa::openapi::RefOr::T(response) = response {
                    if response.description.is_empty() {
                        response.description = summary.clone();
                    }
                }
            }
        }
    }
}

fn describe(document: &mut OpenApi) {
    document.info = InfoBuilder::new()
        .title("Mobank sandbox bank")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "The HTTP APIs of the Mobank sandbox bank, generated from its code. The customer API \
             (`/v1/...`, HTTPS with a self-signed certificate that clients pin) is what a phone \
             talks to; the developer API (`/dev/...`, plain HTTP on a separate loopback \
             listener) does what a branch, the back office, the SMS network and the push \
             service do for a real bank. docs/protocol.md is the contract; this document \
             describes the same messages. Every 4xx and 5xx answer carries an ErrorBody.",
        ))
        .license(Some(
            LicenseBuilder::new()
                .name("Apache-2.0")
                .identifier(Some("Apache-2.0"))
                .build(),
        ))
        .build();
    document.servers = Some(vec![server(
        "https",
        "The customer API; the port is the one the sandbox announced (`base_url`).",
    )]);
    let components = document.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SESSION_SCHEME,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "The opaque session token of `POST /v1/login`, as `Authorization: Bearer …`.",
                ))
                .build(),
        ),
    );
}

fn server(scheme: &str, description: &str) -> Server {
    let mut server = Server::new(format!("{scheme}://127.0.0.1:{{port}}"));
    server.description = Some(description.to_owned());
    server.variables = Some(
        [(
            "port".to_owned(),
            ServerVariableBuilder::new().default_value("8443").build(),
        )]
        .into_iter()
        .collect(),
    );
    server
}

/// The developer API listens elsewhere: its paths name their own server; a path served on
/// both listeners (the document itself) names both.
fn mark_developer_paths(customer: &mut OpenApi, developer: &mut OpenApi) {
    let developer_server = server(
        "http",
        "The developer API; the port is the one the sandbox announced (`dev_url`).",
    );
    let customer_servers = customer.servers.clone().unwrap_or_default();
    for (path, item) in developer.paths.paths.iter_mut() {
        match customer.paths.paths.get_mut(path) {
            Some(shared) => {
                let mut both = customer_servers.clone();
                both.push(developer_server.clone());
                shared.servers = Some(both);
            }
            None => item.servers = Some(vec![developer_server.clone()]),
        }
    }
}

/// `GET /openapi.json`: this document.
#[utoipa::path(
    get,
    path = DOCUMENT_PATH,
    tag = "document",
    summary = "This OpenAPI document",
    responses((status = 200, description = "The OpenAPI 3.1 document of both APIs", content_type = "application/json", body = Object)),
)]
pub(crate) async fn serve() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

/// The document route, for both routers.
pub(crate) fn route(router: OpenApiRouter<Arc<Bank>>) -> OpenApiRouter<Arc<Bank>> {
    router.routes(utoipa_axum::routes!(serve))
}
