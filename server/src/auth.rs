//! Optional API keys. Reads are open unless `protect_reads` is set; writes
//! (any method other than GET, HEAD, OPTIONS) need a key whenever at least
//! one key is configured. Health, the OpenAPI document, Swagger UI and the
//! workspace's static files (`/ui/`) are always open.
//!
//! Admin routes (`/api/v1/admin/...`) take admin keys instead, checked by
//! their handlers ([`Auth::check_admin`]): without an admin key configured
//! they are closed to everyone, whatever the API keys.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};

use crate::error::{ApiError, ErrorCode};
use crate::AppState;

/// Access policy.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    keys: Vec<String>,
    protect_reads: bool,
    admin_keys: Vec<String>,
}

/// Path prefix of the admin routes.
const ADMIN_PREFIX: &str = "/api/v1/admin/";

impl Auth {
    /// A policy with these keys (empty: everything open).
    pub fn new(keys: Vec<String>, protect_reads: bool) -> Auth {
        Auth { keys: keys.into_iter().filter(|k| !k.is_empty()).collect(), protect_reads, admin_keys: Vec::new() }
    }

    /// The same policy with these admin keys (empty: admin routes closed).
    pub fn with_admin_keys(mut self, keys: Vec<String>) -> Auth {
        self.admin_keys = keys.into_iter().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect();
        self
    }

    /// True if any admin key is configured.
    pub fn admin_enabled(&self) -> bool {
        !self.admin_keys.is_empty()
    }

    /// Lets an admin request through: 403 `admin_key_required` when no admin
    /// key is configured, 401 `unauthorized` when the request lacks a valid one.
    pub fn check_admin(&self, headers: &header::HeaderMap) -> Result<(), ApiError> {
        if !self.admin_enabled() {
            return Err(ApiError::new(
                ErrorCode::AdminKeyRequired,
                "admin routes are disabled: start the server with --admin-key KEY (or GLOSSARY_ADMIN_KEYS) to enable them",
            ));
        }
        if presented_in(headers).is_some_and(|k| constant_time_any(&self.admin_keys, k)) {
            return Ok(());
        }
        Err(ApiError::new(
            ErrorCode::Unauthorized,
            "this request needs an admin key: send `Authorization: Bearer KEY` or `X-API-Key: KEY`",
        ))
    }

    /// True if any key is configured.
    pub fn enabled(&self) -> bool {
        !self.keys.is_empty()
    }

    fn needs_key(&self, method: &Method, path: &str) -> bool {
        // Admin routes check their own keys (`check_admin`).
        if !self.enabled() || always_open(path) || path.starts_with(ADMIN_PREFIX) {
            return false;
        }
        let read = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        !read || self.protect_reads
    }

    fn accepts(&self, presented: &str) -> bool {
        constant_time_any(&self.keys, presented)
    }
}

/// True if `presented` is one of `keys`, compared in constant time per key
/// so timing does not leak a prefix.
fn constant_time_any(keys: &[String], presented: &str) -> bool {
    keys.iter().any(|k| {
        k.len() == presented.len() && k.bytes().zip(presented.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    })
}

/// Paths that never need a key: health, the OpenAPI document, Swagger UI,
/// the workspace's static files.
fn always_open(path: &str) -> bool {
    path == "/api/v1/health"
        || path.starts_with("/swagger-ui")
        || path.starts_with("/api-docs")
        || path == "/"
        || path == "/ui"
        || path.starts_with("/ui/")
}

/// Whether some configuration makes `path` need a key (writes whenever keys
/// are set, reads under `protect_reads`): the OpenAPI document declares
/// security and `401` exactly on these operations. `method` is not needed
/// today (reads can be protected too) but keeps the question whole.
pub fn can_need_key(_method: &str, path: &str) -> bool {
    !always_open(path)
}

fn presented_key(req: &ServiceRequest) -> Option<&str> {
    presented_in(req.headers())
}

fn presented_in(headers: &header::HeaderMap) -> Option<&str> {
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.trim());
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim_start();
    // RFC 9110 §11.1: the scheme name is case-insensitive.
    let (scheme, credentials) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| credentials.trim())
}

/// Middleware: rejects requests that need a key and lack a valid one.
pub async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        let auth = &state.auth;
        if auth.needs_key(req.method(), req.path()) {
            let ok = presented_key(&req).is_some_and(|k| auth.accepts(k));
            if !ok {
                let err = ApiError::new(
                    ErrorCode::Unauthorized,
                    "this request needs an API key: send `Authorization: Bearer KEY` or `X-API-Key: KEY`",
                );
                // Answer here, as a response rather than an Err, so the
                // request never reaches a handler.
                return Ok(req.into_response(err.error_response()).map_into_right_body());
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}
