//! # server
//!
//! The HTTP adapter over the [`glossary`] engine, and the `glossary-server`
//! binary's subcommands. [`app`] builds the one actix-web `App` used by the
//! binary and by the tests; [`openapi`] builds the OpenAPI document from the
//! same route registrations, so the spec cannot drift from the routes.
//!
//! ```
//! // The spec is built from the handlers, without starting a server.
//! let spec = server::openapi();
//! assert!(spec.paths.paths.contains_key("/api/v1/lookup"));
//! assert!(spec.paths.paths.contains_key("/tmserver/languages/"));
//! assert!(server::openapi_json().ends_with("}\n"));
//! ```
#![deny(missing_docs)]

pub mod auth;
pub mod cli;
pub mod edges;
pub mod error;
pub mod routes;
pub mod spec;
pub mod views;

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App, HttpRequest, HttpResponse};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub use auth::Auth;
use error::{ApiError, ErrorCode};

/// Largest JSON request body accepted, in bytes.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// Shared state of all handlers.
pub struct AppState {
    /// The engine.
    pub glossary: Arc<glossary::Glossary>,
    /// Who may read and write.
    pub auth: Auth,
}

/// The OpenAPI document's fixed parts; paths are collected from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Diplomatic glossary and translation-memory server",
        description = "Terminology for Vietnamese→English diplomatic translation: concept entries (TBX model) with \
preferred, admitted and deprecated terms, and fuzzy lookup that tolerates missing diacritics, old/new tone-mark \
spelling and typos.\n\nErrors are JSON `{code, message, field?}` with a stable `code` (see the `ErrorCode` schema). \
When the server was started with API keys, every POST, PUT and DELETE needs one (including `/suggest`, \
`/suggest/batch` and `/terms/recognize`), and with `--protect-reads` every GET too, except health and this document: \
`Authorization: Bearer KEY` (the scheme name in any case) or `X-API-Key: KEY`. A key limited to collections \
(`--api-key name:secret@a+b`) reads only those and gets `403 collection_forbidden` for writes elsewhere. Query strings must be UTF-8 once \
percent-decoded; bodies are UTF-8 (a declared charset other than UTF-8 is refused with 415).",
        license(name = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = "health", description = "Liveness and counts"),
        (name = "collections", description = "Named glossaries and TMs held in one store"),
        (name = "concepts", description = "Concept entries: create, read, update, delete, list, search"),
        (name = "lookup", description = "Fuzzy term lookup"),
        (name = "translation memory", description = "Segment pairs and CAT-style fuzzy matches"),
        (name = "suggestions", description = "TM matches with adapted targets, and the glossary terms of a sentence"),
        (name = "compatibility", description = "tmserver/amaGama (Weblate) and MyMemory (MateCat) protocols"),
        (name = "mining", description = "Term mining: submit Vietnamese documents, review the ranked candidates (accept, reject, merge)"),
        (name = "alignment", description = "Sentence alignment of a document with its translation; equivalents from aligned pairs"),
        (name = "exchange", description = "Glossary files: TBX-Basic v3, TBX 2008 (martif), OmegaT TSV, CSV export and import"),
        (name = "pre-translation", description = "XLIFF 1.2 and 2.x documents filled from the translation memory"),
        (name = "admin", description = "Operations for whoever runs the server (admin key): online backup"),
        (name = "jobs", description = "Recorded imports and mining runs: poll background work, see what an interrupted import stored"),
    ),
    components(schemas(ErrorCode)),
    modifiers(&SecuritySchemes)
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key given to the server with --api-key"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "An API key given to the server with --api-key",
            ))),
        );
    }
}

/// Registers every `/api/v1` route (the one list, used by [`app`] and [`openapi`]).
fn api_v1(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::health::health)
        .service(routes::collections::list_collections)
        .configure(routes::concepts::configure)
        .configure(routes::history::configure)
        .service(routes::lookup::lookup)
        .service(routes::concordance::concordance)
        .configure(routes::tm::configure)
        .configure(routes::suggest::configure)
        .configure(routes::mining::configure)
        .configure(routes::align::configure)
        .service(routes::equivalents::propose_equivalents);
    cfg.configure(routes::exchange::configure).configure(routes::jobs::configure);
    cfg.configure(routes::pretranslate::configure);
    cfg.configure(routes::admin::configure);
}

/// Registers the routes outside `/api/v1` that other tools' protocols fix.
fn compat(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    routes::compat::configure(cfg);
}

/// The OpenAPI document of the API, generated from the route registrations
/// and completed by [`spec::complete`] (security, shared responses,
/// constraints from the validators' constants).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(api_v1))
        .configure(compat)
        .split_for_parts();
    let mut doc = serde_json::to_value(&api).expect("the OpenAPI document serialises");
    spec::complete(&mut doc);
    serde_json::from_value(doc).expect("the completed OpenAPI document reads back")
}

/// The OpenAPI document as pretty JSON with a trailing newline (the form
/// committed in `openapi/openapi.json`).
pub fn openapi_json() -> String {
    let mut s = openapi().to_pretty_json().expect("the OpenAPI document serialises");
    s.push('\n');
    s
}

/// The application: API routes, Swagger UI, error handlers, request log.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, _) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(api_v1))
        .configure(compat)
        .split_for_parts();
    let api = openapi();
    app.app_data(web::Data::new(state))
        .app_data(web::JsonConfig::default().limit(MAX_JSON_BYTES).error_handler(|e, _req| ApiError::from(e).into()))
        .app_data(
            web::QueryConfig::default().error_handler(|e, _req| {
                ApiError::new(ErrorCode::InvalidQuery, format!("bad query string: {e}")).into()
            }),
        )
        .app_data(web::PathConfig::default().error_handler(|e, req| {
            // `PUT /tm/units/bulk` reaches `PUT /tm/units/{id}`: a method
            // question, not a malformed id.
            match edges::method_not_allowed(req) {
                Some(response) => actix_web::error::InternalError::from_response(e, response).into(),
                None => ApiError::new(ErrorCode::InvalidPath, format!("bad path: {e}")).into(),
            }
        }))
        .service(web::redirect("/swagger-ui", "/swagger-ui/"))
        .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", api))
        .configure(routes::ui::configure)
        .default_service(web::to(not_found))
        .wrap(from_fn(edges::check))
        .wrap(from_fn(auth::check))
        .wrap(Logger::new("%a \"%r\" %s %b %Dms"))
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    if let Some(response) = edges::method_not_allowed(&req) {
        return response;
    }
    let err = ApiError::new(
        ErrorCode::NotFound,
        format!("no route for {} {}; see /swagger-ui/ for the API", req.method(), req.path()),
    );
    actix_web::ResponseError::error_response(&err)
}

impl actix_web::Responder for ApiError {
    type Body = actix_web::body::BoxBody;
    fn respond_to(self, _req: &HttpRequest) -> HttpResponse {
        actix_web::ResponseError::error_response(&self)
    }
}
