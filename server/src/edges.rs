//! Checks at the edge of the application, before any handler: the parts
//! of a request that every route reads the same way.
//!
//! - **Query strings are strict UTF-8.** actix decodes `%FF%FE` to U+FFFD
//!   without a word; here a query string whose percent-decoded names or
//!   values are not UTF-8 is refused with `400 invalid_query`, naming the
//!   parameter.
//! - **Bodies are UTF-8.** A `Content-Type` declaring another charset
//!   (`application/json; charset=iso-8859-1`) is refused with
//!   `415 unsupported_media_type` rather than read as UTF-8 and garbled.
//! - **Unknown methods get 405.** A request for a known path with a method
//!   the path does not serve is answered `405 method_not_allowed` with an
//!   `Allow` header (see [`method_not_allowed`]).

use std::sync::OnceLock;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError};

use crate::error::{ApiError, ErrorCode};

/// Charsets a body may declare (US-ASCII is a subset of UTF-8).
const ACCEPTED_CHARSETS: [&str; 3] = ["utf-8", "utf8", "us-ascii"];

/// Middleware: refuses malformed query strings and non-UTF-8 bodies.
pub async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Err(err) = check_query(req.query_string()).and_then(|()| check_charset(&req)) {
        return Ok(req.into_response(err.error_response()).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Percent-decodes one name or value (`+` is a space) into bytes.
fn decode(raw: &str) -> Vec<u8> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    // Not an escape: kept as it is, as the form decoder does.
                    _ => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// Every name and value of `query` must be UTF-8 once percent-decoded.
pub fn check_query(query: &str) -> Result<(), ApiError> {
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = String::from_utf8(decode(name)).map_err(|_| {
            ApiError::new(ErrorCode::InvalidQuery, "a query parameter name is not UTF-8 once percent-decoded")
        })?;
        if String::from_utf8(decode(value)).is_err() {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                format!("`{name}` is not UTF-8 once percent-decoded: encode text as UTF-8 before percent-encoding it"),
            )
            .with_field(name));
        }
    }
    Ok(())
}

fn check_charset(req: &ServiceRequest) -> Result<(), ApiError> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::DELETE) {
        return Ok(());
    }
    let Ok(Some(mime)) = req.mime_type() else { return Ok(()) };
    match mime.get_param(actix_web::mime::CHARSET) {
        Some(charset) if !ACCEPTED_CHARSETS.iter().any(|c| charset.as_str().eq_ignore_ascii_case(c)) => {
            Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                format!("the body declares charset {charset}; send it as UTF-8 (charset=utf-8, or no charset)"),
            ))
        }
        _ => Ok(()),
    }
}

/// Route templates of the API and the methods each serves (from the
/// OpenAPI document, which is built from the route registrations).
fn routes() -> &'static [(ResourceDef, String)] {
    static ROUTES: OnceLock<Vec<(ResourceDef, String)>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let doc = crate::openapi();
        doc.paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = serde_json::to_value(item)
                    .ok()
                    .and_then(|v| v.as_object().map(|o| o.keys().map(|m| m.to_ascii_uppercase()).collect::<Vec<_>>()))
                    .unwrap_or_default();
                let methods: Vec<String> = methods
                    .into_iter()
                    .filter(|m| matches!(m.as_str(), "GET" | "POST" | "PUT" | "DELETE" | "PATCH"))
                    .collect();
                (ResourceDef::new(path.as_str()), methods.join(", "))
            })
            .collect()
    })
}

/// The answer for a request no route took: `405` with `Allow` when the path
/// exists under other methods, `None` otherwise (then it is a 404). Paths
/// without parameters are tried first, so `PUT /tm/units/bulk` is a 405
/// (bulk is POST only) rather than a malformed `/tm/units/{id}`; a path
/// whose template does serve the method is not a 405 either.
pub fn method_not_allowed(req: &HttpRequest) -> Option<HttpResponse> {
    let path = req.path();
    let fixed = routes().iter().find(|(def, _)| !def.is_prefix() && def.pattern() == Some(path));
    let (_, allow) = fixed.or_else(|| routes().iter().find(|(def, _)| def.is_match(path)))?;
    if allow.split(", ").any(|m| m == req.method().as_str()) {
        return None;
    }
    let err = ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{} is not served on {}; allowed: {allow}", req.method(), req.path()),
    );
    let mut response = err.error_response();
    response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_str(allow).ok()?);
    Some(response)
}
