//! Optional API keys. Reads are open unless `protect_reads` is set; writes
//! (any method other than GET, HEAD, OPTIONS) need a key whenever at least
//! one key is configured. Health, the OpenAPI document, Swagger UI and the
//! workspace's static files (`/ui/`) are always open.
//!
//! API keys have names (`--api-key name:secret`; a bare `secret` is named
//! `key-1`, `key-2`, ... in order): the name of the key a request presents
//! is its [`Actor`], recorded in the change history of what it writes
//! (`anonymous` without a valid key, e.g. on a server with no keys).
//!
//! A named key may be limited to collections: `--api-key
//! name:secret@project+shared` ([`KeyScope`]). Its reads see only those
//! collections (intersected with a request's own `collection`, the key's
//! list being the search order when the request names none), and its
//! writes into any other collection are refused with `403
//! collection_forbidden`. Keys without `@` and requests without a key see
//! every collection.
//!
//! MyMemory's clients (MateCat) send their key as a `key` parameter, not a
//! header: on `GET /get` and `POST /v2/glossary/get` a `key` in the query
//! string counts as the API key when no header carries one, and on the
//! glossary POST also a `key` field of the JSON body (checked by the
//! handler: [`MyMemoryBodyKey`]).
//!
//! Admin routes (`/api/v1/admin/...`) take admin keys instead, checked by
//! their handlers ([`Auth::check_admin`]): without an admin key configured
//! they are closed to everyone, whatever the API keys.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, ResponseError};

use glossary::{Collection, CollectionSelection};

use crate::error::{ApiError, ErrorCode};
use crate::AppState;

/// Access policy.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    /// Secrets, parallel to `names`.
    keys: Vec<String>,
    /// The name of each key.
    names: Vec<String>,
    /// The collections each key is limited to (every one without `@`).
    scopes: Vec<CollectionSelection>,
    protect_reads: bool,
    admin_keys: Vec<String>,
}

/// Path prefix of the admin routes.
const ADMIN_PREFIX: &str = "/api/v1/admin/";

impl Auth {
    /// A policy with these keys (empty: everything open), each
    /// `name:secret`, `name:secret@coll1+coll2` (limited to those
    /// collections), or a bare `secret` (named `key-1`, `key-2`, ... in
    /// order). A name is letters, digits, `.`, `_` and `-`; anything else
    /// before a colon makes the whole value a bare secret. After the last
    /// `@` of a named key's secret comes its collection list only when that
    /// part is one or more valid collection names joined by `+`; otherwise
    /// the `@` belongs to the secret.
    pub fn new(keys: Vec<String>, protect_reads: bool) -> Auth {
        let mut names = Vec::new();
        let mut secrets = Vec::new();
        let mut scopes = Vec::new();
        let mut bare = 0;
        for k in keys.into_iter().filter(|k| !k.is_empty()) {
            match k.split_once(':') {
                Some((name, secret)) if is_key_name(name) && !secret.is_empty() => {
                    let (secret, scope) = split_scope(secret);
                    names.push(name.to_string());
                    secrets.push(secret.to_string());
                    scopes.push(scope);
                }
                _ => {
                    bare += 1;
                    names.push(format!("key-{bare}"));
                    secrets.push(k);
                    scopes.push(CollectionSelection::all());
                }
            }
        }
        Auth { keys: secrets, names, scopes, protect_reads, admin_keys: Vec::new() }
    }

    /// The collections key `name` is limited to (every one for unknown
    /// names and keys without `@`).
    pub fn scope_of(&self, name: &str) -> CollectionSelection {
        self.names.iter().position(|n| n == name).map(|i| self.scopes[i].clone()).unwrap_or_default()
    }

    /// The names of the configured keys, in order.
    pub fn key_names(&self) -> &[String] {
        &self.names
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

    /// The name and collections of the key `presented`, if it is one.
    pub fn identify(&self, presented: &str) -> Option<(Actor, KeyScope)> {
        self.name_of(presented).map(|n| (Actor(n.to_string()), KeyScope(self.scope_of(n))))
    }

    /// The name of the key `presented`, if it is one.
    fn name_of(&self, presented: &str) -> Option<&str> {
        // Compare with every key (no early exit) so timing says nothing.
        let mut found = None;
        for (k, name) in self.keys.iter().zip(&self.names) {
            if constant_time_eq(k, presented) {
                found = Some(name.as_str());
            }
        }
        found
    }
}

/// `secret@a+b` → (`secret`, [a, b]); anything else is all secret.
fn split_scope(secret: &str) -> (&str, CollectionSelection) {
    if let Some((s, list)) = secret.rsplit_once('@') {
        let names: Option<Vec<Collection>> = list.split('+').map(|n| Collection::new(n).ok()).collect();
        if let Some(names) = names.filter(|_| !s.is_empty()) {
            return (s, CollectionSelection::only(names));
        }
    }
    (secret, CollectionSelection::all())
}

fn is_key_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Who makes a request: the name of the API key it presented, or
/// `anonymous`. Recorded as the actor of concept changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor(pub String);

/// The actor of requests without a (valid) key.
pub const ANONYMOUS: &str = "anonymous";

impl FromRequest for Actor {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Actor, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let actor = req.extensions().get::<Actor>().cloned().unwrap_or_else(|| Actor(ANONYMOUS.to_string()));
        std::future::ready(Ok(actor))
    }
}

/// The collections the request's key may read and write: every one for
/// requests without a key and for keys without `@`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyScope(pub CollectionSelection);

impl KeyScope {
    /// What a read sees: the `requested` collections the key allows.
    pub fn read(&self, requested: CollectionSelection) -> CollectionSelection {
        requested.within(&self.0)
    }

    /// A request's `collection` parameter, parsed and limited to the key's
    /// collections.
    pub fn read_param(&self, param: Option<&str>) -> Result<CollectionSelection, ApiError> {
        Ok(self.read(CollectionSelection::parse(param)?))
    }

    /// Whether the key sees records of collection `c`.
    pub fn sees(&self, c: &Collection) -> bool {
        self.0.contains(c)
    }

    /// Refuses a write into collection `c` with `403 collection_forbidden`
    /// unless the key may write there.
    pub fn check_write(&self, c: &Collection) -> Result<(), ApiError> {
        match self.0.names() {
            Some(names) if !names.contains(c) => {
                let allowed: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
                Err(ApiError::new(
                    ErrorCode::CollectionForbidden,
                    format!("this API key may not write into collection {c}; it is limited to: {}", allowed.join(", ")),
                )
                .with_field("collection"))
            }
            _ => Ok(()),
        }
    }
}

/// The error of a request that needs an API key and has none.
pub fn key_required() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "this request needs an API key: send `Authorization: Bearer KEY` or `X-API-Key: KEY`",
    )
}

impl FromRequest for KeyScope {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<KeyScope, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(req.extensions().get::<KeyScope>().cloned().unwrap_or_default()))
    }
}

fn constant_time_eq(k: &str, presented: &str) -> bool {
    k.len() == presented.len() && k.bytes().zip(presented.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// True if `presented` is one of `keys`, compared in constant time per key
/// so timing does not leak a prefix.
fn constant_time_any(keys: &[String], presented: &str) -> bool {
    keys.iter().fold(false, |found, k| constant_time_eq(k, presented) | found)
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

/// MyMemory's glossary lookup: its key may come in the JSON body.
const MYMEMORY_GLOSSARY: &str = "/v2/glossary/get";

/// Marks a `POST /v2/glossary/get` that needs a key and brought none in a
/// header or the query string: its handler must find a valid one in the
/// body's `key` field ([`Auth::identify`]) or answer `401`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MyMemoryBodyKey;

fn presented_key(req: &ServiceRequest) -> Option<String> {
    if let Some(k) = presented_in(req.headers()) {
        return Some(k.to_string());
    }
    if req.path() == "/get" || req.path() == MYMEMORY_GLOSSARY {
        let params = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string()).ok()?;
        return params.get("key").map(|k| k.trim().to_string());
    }
    None
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
        let name = presented_key(&req).and_then(|k| auth.name_of(&k).map(str::to_string));
        let ok = name.is_some();
        let scope = name.as_deref().map(|n| auth.scope_of(n)).unwrap_or_default();
        req.extensions_mut().insert(KeyScope(scope));
        req.extensions_mut().insert(Actor(name.unwrap_or_else(|| ANONYMOUS.to_string())));
        if auth.needs_key(req.method(), req.path()) && !ok && req.path() == MYMEMORY_GLOSSARY {
            req.extensions_mut().insert(MyMemoryBodyKey);
        } else if auth.needs_key(req.method(), req.path()) && !ok {
            let err = key_required();
            // Answer here, as a response rather than an Err, so the
            // request never reaches a handler.
            return Ok(req.into_response(err.error_response()).map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}
