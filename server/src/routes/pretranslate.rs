//! `POST /api/v1/pretranslate`: an XLIFF document in, the same document
//! with targets filled from the TM out (see `glossary::formats::xliff`).
//!
//! The body is the file itself (at most [`MAX_PRETRANSLATE_BYTES`]). The
//! answer is the file, with the report as compact JSON in the
//! `X-Pretranslate-Report` header; with `report=json`, a JSON object
//! holding both instead (for clients that cannot read headers easily).

use std::pin::Pin;

use actix_web::http::header;
use actix_web::web::{self, BytesMut};
use actix_web::{post, HttpRequest, HttpResponse};
use glossary::formats::xliff::{self, PretranslateOptions};

use super::blocking;
use crate::error::{ApiError, ErrorCode};
use crate::views::parse_lang;
use crate::views::pretranslate::{PretranslateParams, PretranslateReportJson, PretranslatedJson};
use crate::AppState;

/// Largest XLIFF body accepted, in bytes (32 MiB).
pub const MAX_PRETRANSLATE_BYTES: usize = xliff::DEFAULT_MAX_PRETRANSLATE_BYTES as usize;
/// The header that carries the report.
pub const REPORT_HEADER: &str = "X-Pretranslate-Report";
/// Media type of the answer.
const XLIFF_TYPE: &str = "application/xliff+xml";

/// Registers the route.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(pretranslate);
}

/// Pre-translate an XLIFF 1.2 or 2.x document from the translation memory.
///
/// The body is the file (`Content-Type` `application/xliff+xml`,
/// `application/xml`, `text/xml` or `application/octet-stream`), UTF-8, at
/// most 32 MiB; it is read with the same safety rules as imports. Each
/// translatable segment's source is matched against the TM: an exact match
/// fills the target (`state="translated"`, 1.2 `state-qualifier="exact-match"`);
/// a match at or above `threshold` (default 100) fills it for review
/// (1.2 `needs-review-translation` + `fuzzy-match`, 2.x `state="initial"`);
/// the best matches down to 70 are recorded as candidates (1.2
/// `<alt-trans match-quality>`, 2.x `<mtc:matches>`), and the glossary
/// terms of the source as notes (1.2 `<note from="glossary">`, 2.x
/// `<gls:glossary>`). Inline codes are copied from the source into the
/// target where they can be placed; where they cannot, the target is left
/// empty and the match is only a candidate. Segments already translated are
/// left alone unless `overwrite=true`. Everything else in the file is
/// returned byte for byte. Nothing is stored.
///
/// The answer is the file with the report in the `X-Pretranslate-Report`
/// header (compact JSON, the `PretranslateReportJson` schema), or, with
/// `report=json`, a JSON object with `report` and `document`.
#[utoipa::path(
    tag = "pre-translation",
    params(PretranslateParams),
    request_body(description = "The XLIFF 1.2 or 2.x file, UTF-8",
        content((String = "application/xliff+xml"), (String = "application/xml"), (String = "application/octet-stream"))),
    responses(
        (status = 200, description = "The pre-translated file (with `report=json`: the report and the file as JSON)",
            content((String = "application/xliff+xml"), (PretranslatedJson = "application/json")),
            headers(("X-Pretranslate-Report" = String, description = "The report as compact JSON (`PretranslateReportJson`); absent with `report=json`"))),
        (status = 400, description = "Not XLIFF or an unsupported version (`invalid_document`, `unsupported_format`), unusable XML (`invalid_xml`, `unsafe_xml`, `invalid_encoding`, `import_limit_exceeded`), or a bad parameter (`invalid_input` for `threshold` or a missing target language, `invalid_language_tag`, `invalid_query`)", body = ApiError),
        (status = 413, description = "Body over 32 MiB (`import_too_large`)", body = ApiError),
        (status = 415, description = "A form or multipart body, or another media type (`unsupported_media_type`): send the file itself as the body", body = ApiError),
    ),
)]
#[post("/pretranslate")]
pub async fn pretranslate(
    state: web::Data<AppState>,
    params: web::Query<PretranslateParams>,
    req: HttpRequest,
    mut payload: web::Payload,
    scope: crate::auth::KeyScope,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let as_json = match p.report.as_deref() {
        None | Some("header") => false,
        Some("json") => true,
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                format!("report={other:?} is not known: use report=json, or leave it out"),
            )
            .with_field("report"))
        }
    };
    let options = PretranslateOptions {
        src: p.src.as_deref().map(|l| parse_lang(l, "src")).transpose()?,
        tgt: p.tgt.as_deref().map(|l| parse_lang(l, "tgt")).transpose()?,
        threshold: p.threshold.unwrap_or(xliff::DEFAULT_FILL_THRESHOLD),
        overwrite: p.overwrite.unwrap_or(false),
        max_bytes: MAX_PRETRANSLATE_BYTES as u64,
        collections: scope.read_param(p.collection.as_deref())?,
    };
    options.validate().map_err(ApiError::from)?;
    check_media_type(&req)?;
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_PRETRANSLATE_BYTES as u64) {
        return Err(too_large());
    }
    let body = read_body(&mut payload).await?;
    let done = blocking(&state, move |g| g.pretranslate(&body, &options)).await?;
    let report = PretranslateReportJson::from(&done.report);
    log::info!(
        "pretranslate XLIFF {}: {} segments, {} exact, {} fuzzy, {} candidate, {} none",
        report.version,
        report.segments,
        report.exact.segments,
        report.fuzzy.segments,
        report.candidate.segments,
        report.none.segments
    );
    if as_json {
        let document = String::from_utf8(done.document)
            .map_err(|_| ApiError::new(ErrorCode::Internal, "the pre-translated file is not UTF-8"))?;
        return Ok(HttpResponse::Ok().json(PretranslatedJson { report, document }));
    }
    let header_value = serde_json::to_string(&report).expect("the report serialises");
    Ok(HttpResponse::Ok()
        .content_type(XLIFF_TYPE)
        .insert_header((REPORT_HEADER, header_value))
        .insert_header((header::ACCESS_CONTROL_EXPOSE_HEADERS, REPORT_HEADER))
        .body(done.document))
}

/// The file must come as the body itself: a form (what `curl -d` sends,
/// with its newlines stripped) or a multipart body would be read as garbage.
fn check_media_type(req: &HttpRequest) -> Result<(), ApiError> {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else { return Ok(()) };
    let essence = value.to_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let accepted = [
        "application/xliff+xml",
        "application/x-xliff+xml",
        "application/xml",
        "text/xml",
        "application/octet-stream",
        "",
    ];
    if accepted.contains(&essence.as_str()) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::UnsupportedMediaType,
        format!(
            "a {essence} body is not read: send the XLIFF file itself as the body with Content-Type: \
             application/xliff+xml (curl --data-binary @file.xlf -H 'Content-Type: application/xliff+xml')"
        ),
    ))
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::ImportTooLarge,
        format!(
            "the file is larger than the limit of {MAX_PRETRANSLATE_BYTES} bytes: split it, or use \
             `glossary-server pretranslate`"
        ),
    )
    .with_field("file")
}

async fn read_body(payload: &mut web::Payload) -> Result<Vec<u8>, ApiError> {
    use std::future::poll_fn;
    let mut body = BytesMut::new();
    loop {
        let next = poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut *payload), cx)).await;
        match next {
            Some(Ok(chunk)) => {
                if body.len() + chunk.len() > MAX_PRETRANSLATE_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Some(Err(e)) => {
                return Err(ApiError::new(ErrorCode::InvalidDocument, format!("the body could not be read: {e}")))
            }
            None => return Ok(body.to_vec()),
        }
    }
}
