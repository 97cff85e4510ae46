//! HTTP handlers, one module per resource. Handlers are thin: parse the
//! request into domain types, run the engine call on the blocking pool,
//! convert the result into a wire type.

pub mod align;
pub mod compat;
pub mod concepts;
pub mod equivalents;
pub mod exchange;
pub mod health;
pub mod lookup;
pub mod mining;
pub mod suggest;
pub mod tm;
pub mod ui;

use actix_web::{web, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorCode};
use crate::AppState;

/// Runs a blocking engine call off the async executor.
pub(crate) async fn blocking<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&glossary::Glossary) -> Result<T, glossary::Error> + Send + 'static,
    T: Send + 'static,
{
    let glossary = state.glossary.clone();
    Ok(web::block(move || f(&glossary)).await??)
}

/// Reads a JSON body with a route-specific size limit (the app-wide
/// `JsonConfig` limit suits most routes; bulk routes need more). Errors are
/// the same as the JSON extractor's.
pub(crate) async fn json_body<T: DeserializeOwned>(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<T, ApiError> {
    let json = req
        .mime_type()
        .ok()
        .flatten()
        .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
    if !json {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send the body as JSON with the header Content-Type: application/json",
        ));
    }
    let too_large =
        || ApiError::new(ErrorCode::PayloadTooLarge, format!("the body is larger than the limit of {limit} bytes"));
    let declared =
        req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(8192).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::new(ErrorCode::InvalidJson, format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).map_err(ApiError::from_serde)
}
