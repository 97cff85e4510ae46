//! HTTP handlers, one module per resource. Handlers are thin: parse the
//! request into domain types, run the engine call on the blocking pool,
//! convert the result into a wire type.

pub mod admin;
pub mod align;
pub mod collections;
pub mod compat;
pub mod concepts;
pub mod concordance;
pub mod equivalents;
pub mod exchange;
pub mod health;
pub mod history;
pub mod jobs;
pub mod lookup;
pub mod mining;
pub mod pretranslate;
pub mod suggest;
pub mod tm;
pub mod ui;

use actix_web::{dev, web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

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

/// For a key limited to collections: checks that concept `id` is in one of
/// them (`403 collection_forbidden` otherwise; `404` if there is no such
/// concept) and returns the version seen, so the write that follows can be
/// made conditional on it (a concept moved away in between is then a
/// `409`, not a write outside the key's collections). `None` for keys that
/// see every collection, without reading anything.
pub(crate) async fn concept_write_scope(
    state: &web::Data<AppState>,
    scope: &crate::auth::KeyScope,
    id: &glossary::ConceptId,
) -> Result<Option<u64>, ApiError> {
    if scope.0.is_all() {
        return Ok(None);
    }
    let id = id.clone();
    let concept = blocking(state, move |g| g.get(&id)).await?;
    scope.check_write(&concept.collection)?;
    Ok(Some(concept.version))
}

/// For a key limited to collections: checks that TM unit `id` is in one of
/// them (`403 collection_forbidden` otherwise).
pub(crate) async fn unit_write_scope(
    state: &web::Data<AppState>,
    scope: &crate::auth::KeyScope,
    id: u64,
) -> Result<(), ApiError> {
    if scope.0.is_all() {
        return Ok(());
    }
    let unit = blocking(state, move |g| g.tm_unit(id)).await?;
    scope.check_write(&unit.collection)
}

/// [`blocking`] for engine calls that may hand work to a background job
/// (they keep a handle on the glossary).
pub(crate) async fn blocking_shared<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&std::sync::Arc<glossary::Glossary>) -> Result<T, glossary::Error> + Send + 'static,
    T: Send + 'static,
{
    let glossary = state.glossary.clone();
    Ok(web::block(move || f(&glossary)).await??)
}

/// The largest JSON body of the routes below a scope (set with
/// `app_data`); [`crate::MAX_JSON_BYTES`] where none is set.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

/// A JSON request body, read by [`parse_json`]: `Content-Type` must be JSON,
/// the size at most the scope's [`BodyLimit`], and every error is an
/// [`ApiError`].
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut dev::Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let limit = req.app_data::<BodyLimit>().map_or(crate::MAX_JSON_BYTES, |l| l.0);
            json_body(&req, payload, limit).await.map(Json)
        })
    }
}

/// Parses a JSON body the way JSON Schema reads it, which is what the
/// OpenAPI document promises: the body must be an object, and a number
/// with a zero fraction (`30.0`) is an integer wherever one is expected.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut value: Value = serde_json::from_slice(body).map_err(ApiError::from_serde)?;
    if !value.is_object() {
        return Err(ApiError::new(ErrorCode::InvalidBody, "the body must be a JSON object"));
    }
    integral_floats_to_integers(&mut value);
    T::deserialize(value).map_err(ApiError::from_serde)
}

fn integral_floats_to_integers(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if x.fract() == 0.0 {
                // 2^64 and -2^63 are exact as f64; the casts below stay in range.
                if (0.0..18_446_744_073_709_551_616.0).contains(&x) {
                    *v = Value::from(x as u64);
                } else if (-9_223_372_036_854_775_808.0..0.0).contains(&x) {
                    *v = Value::from(x as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_to_integers),
        Value::Object(map) => map.values_mut().for_each(integral_floats_to_integers),
        _ => {}
    }
}

/// Reads a body of at most `limit` bytes; a longer one is refused with
/// `413 payload_too_large` (JSON, like every other error).
pub(crate) async fn read_limited<S, E>(req: &HttpRequest, mut payload: S, limit: usize) -> Result<web::Bytes, ApiError>
where
    S: futures_core::Stream<Item = Result<web::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
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
    Ok(body.freeze())
}

/// Reads a JSON body with a route-specific size limit (the app-wide
/// `JsonConfig` limit suits most routes; bulk routes need more). Errors are
/// the same as the JSON extractor's.
pub(crate) async fn json_body<T, S, E>(req: &HttpRequest, payload: S, limit: usize) -> Result<T, ApiError>
where
    T: DeserializeOwned,
    S: futures_core::Stream<Item = Result<web::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
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
    let body = read_limited(req, payload, limit).await?;
    parse_json(&body)
}
