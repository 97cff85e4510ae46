//! The server's one error type and its table of stable error codes.
//!
//! Every error a client can see is an [`ApiError`]: an HTTP status, a stable
//! machine-readable [`ErrorCode`], and a message that says what to fix. The
//! body is always JSON: `{"code": "...", "message": "...", "field": "..."}`.
//! Domain errors map here through one exhaustive `match` (no `_` arm), so a
//! new `glossary::Error` variant cannot silently become a 500.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// Stable, machine-readable error codes. Clients may match on these; they
/// never change meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not syntactically valid JSON.
    InvalidJson,
    /// 400: the JSON is well-formed but does not fit the schema (wrong type,
    /// missing or unknown field).
    InvalidBody,
    /// 400: a query-string parameter is missing, malformed or of the wrong type.
    InvalidQuery,
    /// 400: a path segment is malformed (e.g. a concept id with spaces).
    InvalidPath,
    /// 400: a language tag is not well-formed BCP 47.
    InvalidLanguageTag,
    /// 400: a value is out of range or breaks a rule (see `field`).
    InvalidInput,
    /// 401: writes (or all requests) need an API key and none or a wrong one was given.
    Unauthorized,
    /// 404: no concept with this id.
    ConceptNotFound,
    /// 404: no TM unit with this id.
    TmUnitNotFound,
    /// 404: no such route.
    NotFound,
    /// 405: the path exists but not with this method (see the `Allow` header).
    MethodNotAllowed,
    /// 404: no mined candidate with this id (or term) in the review queue.
    CandidateNotFound,
    /// 404: no mining run with this id.
    MiningRunNotFound,
    /// 409: a concept with this id already exists.
    ConceptExists,
    /// 409: the concept changed since the version the client sent.
    VersionConflict,
    /// 409: another TM unit already holds this exact pair.
    TmUnitExists,
    /// 409: the candidate was already accepted or merged.
    CandidateAlreadyReviewed,
    /// 409: the record is in a state that does not allow the operation.
    StateConflict,
    /// 413: the request body is larger than the limit.
    PayloadTooLarge,
    /// 415: the body's media type is not accepted (JSON where JSON is
    /// required; a form-encoded body on import).
    UnsupportedMediaType,
    /// 500: data on disk is corrupt or from an incompatible version.
    DataCorrupt,
    /// 503: the storage engine failed; the write was not acknowledged. Retry later.
    StorageUnavailable,
    /// 500: an unexpected internal failure.
    Internal,
    /// 400: an uploaded file is not well-formed XML (truncated, mismatched
    /// tags, unknown entity, not XML at all).
    InvalidXml,
    /// 400: an uploaded XML file uses a DOCTYPE internal subset or entity
    /// declarations, refused for safety.
    UnsafeXml,
    /// 400: an uploaded file is not UTF-8 (UTF-16, Latin-1, NUL bytes).
    InvalidEncoding,
    /// 400: an uploaded file nests too deep, has too many elements, or an
    /// over-long attribute, tag, text run or line.
    ImportLimitExceeded,
    /// 400: the file is readable but not of the stated format (wrong root
    /// element, CSV without the required columns, unclosed quote).
    InvalidDocument,
    /// 400: unknown format name, or one that cannot be used here.
    UnsupportedFormat,
    /// 413: an uploaded file is larger than the import limit.
    ImportTooLarge,
    /// 403: admin routes are disabled because the server has no admin key
    /// (`--admin-key`).
    AdminKeyRequired,
    /// 403: the API key is limited to other collections than the one this
    /// write goes into (`--api-key name:secret@coll1+coll2`).
    CollectionForbidden,
    /// 404: no job with this id.
    JobNotFound,
    /// 429: the background jobs (imports and mining runs) are all taken;
    /// retry after the seconds in `Retry-After`.
    TooManyJobs,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> StatusCode {
        use ErrorCode::*;
        match self {
            InvalidJson | InvalidBody | InvalidQuery | InvalidPath | InvalidLanguageTag | InvalidInput => {
                StatusCode::BAD_REQUEST
            }
            InvalidXml | UnsafeXml | InvalidEncoding | ImportLimitExceeded | InvalidDocument | UnsupportedFormat => {
                StatusCode::BAD_REQUEST
            }
            ImportTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Unauthorized => StatusCode::UNAUTHORIZED,
            AdminKeyRequired | CollectionForbidden => StatusCode::FORBIDDEN,
            ConceptNotFound | TmUnitNotFound | NotFound | CandidateNotFound | MiningRunNotFound | JobNotFound => {
                StatusCode::NOT_FOUND
            }
            TooManyJobs => StatusCode::TOO_MANY_REQUESTS,
            ConceptExists | VersionConflict | TmUnitExists | CandidateAlreadyReviewed | StateConflict => {
                StatusCode::CONFLICT
            }
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            DataCorrupt | Internal => StatusCode::INTERNAL_SERVER_ERROR,
            StorageUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// An error response: stable code, human message, and the offending field
/// when there is one.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"code": "invalid_language_tag", "message": "invalid language tag \"english_US\": only ASCII letters, digits and '-' are allowed", "field": "src"}))]
pub struct ApiError {
    /// Stable error code.
    pub code: ErrorCode,
    /// What went wrong and how to fix it.
    pub message: String,
    /// The parameter or body field at fault, when known (e.g. `terms[1].text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Seconds for the `Retry-After` header (`too_many_jobs`).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), field: None, retry_after: None }
    }

    /// A JSON body that did not parse (`invalid_json`) or did not fit the
    /// schema (`invalid_body`).
    pub fn from_serde(err: serde_json::Error) -> Self {
        use serde_json::error::Category;
        let code = match err.classify() {
            Category::Data => ErrorCode::InvalidBody,
            Category::Syntax | Category::Eof | Category::Io => ErrorCode::InvalidJson,
        };
        ApiError::new(code, format!("the body could not be read: {err}"))
    }

    /// Names the offending field.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if let Some(secs) = self.retry_after {
            response.insert_header((actix_web::http::header::RETRY_AFTER, secs.to_string()));
        }
        response.json(self)
    }
}

impl From<glossary::Error> for ApiError {
    fn from(e: glossary::Error) -> Self {
        use glossary::Error as E;
        let message = e.to_string();
        match e {
            E::InvalidLanguageTag { .. } => ApiError::new(ErrorCode::InvalidLanguageTag, message),
            E::InvalidInput { field, .. } => ApiError::new(ErrorCode::InvalidInput, message).with_field(field),
            E::NotFound { kind, .. } => match kind {
                glossary::RecordKind::Concept => ApiError::new(ErrorCode::ConceptNotFound, message),
                glossary::RecordKind::TmUnit => ApiError::new(ErrorCode::TmUnitNotFound, message),
                glossary::RecordKind::Candidate => ApiError::new(ErrorCode::CandidateNotFound, message),
                glossary::RecordKind::MiningRun => ApiError::new(ErrorCode::MiningRunNotFound, message),
                glossary::RecordKind::Job => ApiError::new(ErrorCode::JobNotFound, message),
            },
            E::AlreadyExists { kind, .. } => match kind {
                glossary::RecordKind::Concept => ApiError::new(ErrorCode::ConceptExists, message).with_field("id"),
                glossary::RecordKind::TmUnit => ApiError::new(ErrorCode::TmUnitExists, message),
                glossary::RecordKind::Candidate | glossary::RecordKind::MiningRun | glossary::RecordKind::Job => {
                    ApiError::new(ErrorCode::StateConflict, message)
                }
            },
            E::Conflict { kind, .. } => match kind {
                glossary::RecordKind::Candidate => ApiError::new(ErrorCode::CandidateAlreadyReviewed, message),
                glossary::RecordKind::Concept
                | glossary::RecordKind::TmUnit
                | glossary::RecordKind::MiningRun
                | glossary::RecordKind::Job => ApiError::new(ErrorCode::StateConflict, message),
            },
            E::Busy { retry_after_secs, .. } => {
                ApiError { retry_after: Some(retry_after_secs), ..ApiError::new(ErrorCode::TooManyJobs, message) }
            }
            E::VersionConflict { .. } => ApiError::new(ErrorCode::VersionConflict, message).with_field("version"),
            E::Storage(_) => {
                log::error!("{message}");
                ApiError::new(ErrorCode::StorageUnavailable, message)
            }
            E::Corrupt(_) => {
                log::error!("{message}");
                ApiError::new(ErrorCode::DataCorrupt, message)
            }
            E::InvalidFile { problem, .. } => {
                use glossary::FileProblem as P;
                let code = match problem {
                    P::Malformed => ErrorCode::InvalidXml,
                    P::Unsafe => ErrorCode::UnsafeXml,
                    P::Encoding => ErrorCode::InvalidEncoding,
                    P::TooLarge => ErrorCode::ImportTooLarge,
                    P::LimitExceeded => ErrorCode::ImportLimitExceeded,
                    P::WrongFormat => ErrorCode::InvalidDocument,
                    P::UnsupportedFormat => ErrorCode::UnsupportedFormat,
                };
                ApiError::new(code, message).with_field("file")
            }
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        ApiError::new(ErrorCode::Internal, "the request could not be completed (worker failure); it was not applied")
    }
}

impl From<actix_web::error::JsonPayloadError> for ApiError {
    fn from(e: actix_web::error::JsonPayloadError) -> Self {
        use actix_web::error::JsonPayloadError as J;
        match e {
            J::OverflowKnownLength { length, limit } => {
                ApiError::new(ErrorCode::PayloadTooLarge, format!("the body has {length} bytes; the limit is {limit}"))
            }
            J::Overflow { limit } => {
                ApiError::new(ErrorCode::PayloadTooLarge, format!("the body is larger than the limit of {limit} bytes"))
            }
            J::ContentType => ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "send the body as JSON with the header Content-Type: application/json",
            ),
            J::Deserialize(err) => ApiError::from_serde(err),
            J::Serialize(err) => ApiError::new(ErrorCode::Internal, format!("cannot serialise the response: {err}")),
            J::Payload(err) => ApiError::new(ErrorCode::InvalidJson, format!("the body could not be read: {err}")),
            other => ApiError::new(ErrorCode::InvalidJson, format!("the body could not be read: {other}")),
        }
    }
}
