//! Optional API keys. Reads are open unless `protect_reads` is set; writes
//! (any method other than GET, HEAD, OPTIONS) need a key whenever at least
//! one key is configured. Health, the OpenAPI document, Swagger UI and the
//! workspace's static files (`/ui/`) are always open.

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
}

impl Auth {
    /// A policy with these keys (empty: everything open).
    pub fn new(keys: Vec<String>, protect_reads: bool) -> Auth {
        Auth { keys: keys.into_iter().filter(|k| !k.is_empty()).collect(), protect_reads }
    }

    /// True if any key is configured.
    pub fn enabled(&self) -> bool {
        !self.keys.is_empty()
    }

    fn needs_key(&self, method: &Method, path: &str) -> bool {
        if !self.enabled()
            || path == "/api/v1/health"
            || path.starts_with("/swagger-ui")
            || path.starts_with("/api-docs")
            || path == "/"
            || path == "/ui"
            || path.starts_with("/ui/")
        {
            return false;
        }
        let read = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        !read || self.protect_reads
    }

    fn accepts(&self, presented: &str) -> bool {
        // Compare in constant time per key so timing does not leak a prefix.
        self.keys.iter().any(|k| {
            k.len() == presented.len() && k.bytes().zip(presented.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        })
    }
}

fn presented_key(req: &ServiceRequest) -> Option<&str> {
    let headers = req.headers();
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.trim());
    }
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
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
