//! `/api/v1/export` and `/api/v1/import`: the glossary as TBX (v3 and
//! 2008), TSV or CSV files, and the translation memory as TMX.
//!
//! Export streams: the engine writes the file on a blocking thread into a
//! bounded channel of 64 KiB chunks, and the response body (chunked
//! transfer encoding) is fed from it, so a large glossary never sits in
//! memory and a slow client slows the writer down instead of filling RAM.
//! If the export fails midway the connection is aborted, so a client never
//! takes a cut-off file for a whole one.
//!
//! Import takes the raw file as the request body, or as the file part of
//! a `multipart/form-data` upload (what browsers, Postman and `curl -F`
//! send), up to [`MAX_IMPORT_BYTES`], and hands it to the engine, which checks it
//! completely before it applies anything (see `glossary::formats`), and
//! imports a large one as a background job (see `glossary::jobs`).

use super::{blocking, blocking_shared};
use crate::auth::{Actor, KeyScope};
use crate::error::{ApiError, ErrorCode};
use crate::views::exchange::{ExportParams, ImportParams, ImportReportJson, ImportUpload};
use crate::views::jobs::JobJson;
use crate::views::{parse_lang, TermStatusJson};
use crate::AppState;
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::{get, post, HttpRequest, HttpResponse};
use glossary::jobs::Submitted;
use glossary::{ExportFilter, Format, ImportOptions, TermStatus, Timestamp};
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Largest import body accepted, in bytes (64 MiB).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
/// Size of the chunks an export is sent in.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks buffered between the export thread and the connection.
const CHANNEL_CHUNKS: usize = 4;

/// Registers the exchange routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(export_glossary).service(import_glossary);
}

/// Export the glossary (or the translation memory) as a file.
///
/// Streams the whole glossary, or the part the filters select, as TBX-Basic
/// v3 (ISO 30042:2019, DCA style), TBX 2008 (`martif`, what OmegaT and
/// translate-toolkit read), OmegaT's tab-separated glossary, or CSV with a
/// header (one row per term); `format=tmx` streams the translation memory
/// as TMX 1.4b. The body is sent in chunks as it is written;
/// `Content-Disposition` names a file (TSV: `glossary.utf8`, the extension
/// OmegaT reads as a UTF-8 glossary). Glossary exports carry only preferred
/// and admitted terms unless `include_deprecated=true`.
#[utoipa::path(
    tag = "exchange",
    params(ExportParams),
    responses(
        (status = 200, description = "The file (chunked). `application/xml` for TBX, `text/tab-separated-values` for TSV, `text/csv` for CSV",
            content((String = "application/xml"), (String = "text/tab-separated-values"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter (`unsupported_format`, `invalid_language_tag`, `invalid_query`, `invalid_input`)", body = ApiError),
    )
)]
#[get("/export")]
pub async fn export_glossary(
    state: web::Data<AppState>,
    params: web::Query<ExportParams>,
    scope: KeyScope,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let format =
        Format::from_name(p.format.as_deref().unwrap_or("tbx")).map_err(|e| ApiError::from(e).with_field("format"))?;
    let filter = ExportFilter {
        src: p.src.as_deref().map(|l| parse_lang(l, "src")).transpose()?,
        tgt: p.tgt.as_deref().map(|l| parse_lang(l, "tgt")).transpose()?,
        subject_field: p.subject_field,
        status: p.status.map(|s| match s {
            TermStatusJson::Preferred => TermStatus::Preferred,
            TermStatusJson::Admitted => TermStatus::Admitted,
            TermStatusJson::Deprecated => TermStatus::Deprecated,
            TermStatusJson::Superseded => TermStatus::Superseded,
        }),
        include_deprecated: p.include_deprecated.unwrap_or(false),
        updated_since: p
            .updated_since
            .as_deref()
            .map(Timestamp::parse_rfc3339)
            .transpose()
            .map_err(|e| ApiError::from(e).with_field("updated_since"))?,
        collections: scope.read_param(p.collection.as_deref())?,
    };
    filter.check_for(format)?;
    let check = filter.clone();
    blocking(&state, move |g| g.check_export(format, &check)).await?;
    let (tx, rx) = tokio::sync::mpsc::channel(CHANNEL_CHUNKS);
    let glossary = state.glossary.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let mut out = ChannelWriter { tx, buf: Vec::with_capacity(CHUNK_BYTES) };
        match glossary.export(format, &filter, &mut out) {
            Ok(s) => log::info!("export {format}: {} concepts, {} terms", s.concepts, s.terms),
            Err(e) => {
                log::warn!("export {format} stopped: {e}");
                // Makes the server abort the response instead of ending it cleanly.
                let _ = out.tx.blocking_send(Err(io::Error::other(e.to_string())));
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type(format.media_type())
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{}\"", format.file_name())))
        .streaming(Chunks(rx)))
}

/// Import a glossary (or translation-memory) file.
///
/// The body is the file itself (any `Content-Type`, e.g. `curl
/// --data-binary @glossary.tbx`) or a `multipart/form-data` upload with one
/// file part (`curl -F file=@glossary.tbx`; the part's file name and
/// content type tell the format when `format` is not given: `.tbx`/`.xml`,
/// `.tsv`/`.txt`/`.utf8`, `.csv`, `.tmx`), at most 64 MiB. A form-encoded
/// body (`curl -d`, which strips line breaks) is refused with `415`. TBX,
/// TSV and CSV go into the glossary, TMX (`format=tmx`) into the
/// translation memory (plain text; identical pairs merge and count as
/// `updated`). The
/// whole file is checked first; if it is malformed, unsafe (DOCTYPE internal
/// subset, entity declarations), not UTF-8 or over a limit (1 MiB per tag
/// or run of text, 64 KiB per attribute value, 64 levels of nesting, 1 MiB
/// per TSV/CSV line), nothing is stored. Then entries are matched to
/// existing concepts (by id, else by preferred term), merged (import never
/// deletes), and written in batches of 500, each flushed before the next
/// (or, with `atomic=true`, in one transaction). Importing the same file
/// again creates nothing; imports of one store run one at a time. Data
/// categories without a field of their own are kept as notes and counted
/// in the report.
///
/// Every import is a recorded job. A file of up to 1 MiB is imported within
/// the request (`200`, the report, with `job_id`); a larger one in the
/// background (`202`, the job; `Location` names it): poll
/// `GET /api/v1/jobs/{id}`. At most 8 background jobs (imports and mining
/// runs) exist at once; beyond, `429` with `Retry-After`.
#[utoipa::path(
    tag = "exchange",
    params(ImportParams),
    request_body(description = "The file: TBX (v3 or 2008), TSV, CSV or TMX, UTF-8; as the body, or as the file part of a multipart upload",
        content((String = "application/xml"), (String = "text/tab-separated-values"), (String = "text/csv"), (String = "application/octet-stream"), (ImportUpload = "multipart/form-data"))),
    responses(
        (status = 200, description = "What was created, updated, left unchanged or skipped", body = ImportReportJson),
        (status = 202, description = "Accepted; importing in the background (`Location` names the job)", body = JobJson),
        (status = 400, description = "Unusable file (`invalid_xml`, `unsafe_xml`, `invalid_encoding`, `import_limit_exceeded`, `invalid_document`, `unsupported_format`) or parameter (`invalid_language_tag`, `invalid_query`); nothing stored", body = ApiError),
        (status = 401, description = "API key required (`unauthorized`)", body = ApiError),
        (status = 403, description = "The API key is limited to other collections (`collection_forbidden`)", body = ApiError),
        (status = 413, description = "Body over 64 MiB (`import_too_large`)", body = ApiError),
        (status = 415, description = "A form-encoded body (`unsupported_media_type`): send the file with `--data-binary @file` or `-F file=@file`", body = ApiError),
        (status = 429, description = "The background jobs are all taken (`too_many_jobs`); nothing was recorded",
            body = ApiError, headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
        (status = 503, description = "Storage failed (`storage_unavailable`); the message says how much was applied", body = ApiError),
    ),
    security((), ("bearer" = []), ("api_key" = []))
)]
#[post("/import")]
pub async fn import_glossary(
    state: web::Data<AppState>,
    params: web::Query<ImportParams>,
    req: HttpRequest,
    mut payload: web::Payload,
    actor: Actor,
    scope: KeyScope,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let format =
        p.format.as_deref().map(Format::from_name).transpose().map_err(|e| ApiError::from(e).with_field("format"))?;
    let mut options = ImportOptions {
        max_bytes: MAX_IMPORT_BYTES as u64,
        atomic: p.atomic.unwrap_or(false),
        actor: actor.0,
        ..ImportOptions::default()
    };
    if let Some(l) = &p.src {
        options.src = parse_lang(l, "src")?;
    }
    if let Some(l) = &p.tgt {
        options.tgt = parse_lang(l, "tgt")?;
    }
    if let Some(c) = &p.collection {
        let c = glossary::Collection::new(c).map_err(|e| ApiError::from(e).with_field("collection"))?;
        scope.check_write(&c)?;
        options.collection = Some(c);
    }
    // Without a collection, the file's own decide, within the key's.
    options.allowed = scope.0.clone();
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_IMPORT_BYTES as u64) {
        return Err(too_large());
    }
    let media = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    if media == "application/x-www-form-urlencoded" {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "a form-encoded body (what `curl -d` sends) loses the file's line breaks: send the file as the body \
with `curl --data-binary @FILE`, or as a multipart upload with `curl -F file=@FILE`",
        ));
    }
    let (body, hint) = if media == "multipart/form-data" {
        read_multipart(req.headers(), payload).await?
    } else {
        (read_body(&mut payload).await?, None)
    };
    let format = match format.or(hint) {
        Some(f) => f,
        None if body.iter().copied().find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
            == Some(b'<') =>
        {
            Format::Tbx
        }
        None => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedFormat,
                "the body is not XML: say which format it is with ?format=tsv or ?format=csv",
            )
            .with_field("format"))
        }
    };
    match blocking_shared(&state, move |g| g.submit_import(format, options, body)).await? {
        Submitted::Finished(report) => {
            log::info!(
                "import {}: {} entries, {} created, {} updated, {} unchanged, {} skipped",
                report.format,
                report.entries,
                report.created,
                report.updated,
                report.unchanged,
                report.skipped_count
            );
            Ok(HttpResponse::Ok().json(ImportReportJson::from(&report)))
        }
        Submitted::Background(job) => Ok(HttpResponse::Accepted()
            .insert_header(("Location", format!("/api/v1/jobs/{}", job.id)))
            .json(JobJson::from(&job))),
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::ImportTooLarge,
        format!("the file is larger than the upload limit of {MAX_IMPORT_BYTES} bytes: split it, or import it with `glossary-server import`"),
    )
    .with_field("file")
}

/// The file part of a multipart upload and the format its file name or
/// content type names, if any; the bytes of every part count against
/// [`MAX_IMPORT_BYTES`].
async fn read_multipart(
    headers: &actix_web::http::header::HeaderMap,
    payload: web::Payload,
) -> Result<(Bytes, Option<Format>), ApiError> {
    use futures_util::StreamExt;
    let bad = |e: actix_multipart::MultipartError| {
        ApiError::new(ErrorCode::InvalidBody, format!("the multipart body could not be read: {e}"))
    };
    let mut parts = actix_multipart::Multipart::new(headers, payload);
    let (mut file, mut hint, mut total) = (None::<BytesMut>, None, 0usize);
    while let Some(field) = parts.next().await {
        let mut field = field.map_err(bad)?;
        let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_string);
        let is_file = file_name.is_some() || field.name() == Some("file");
        if is_file && file.is_some() {
            return Err(ApiError::new(ErrorCode::InvalidBody, "send one file per import (the upload has several)")
                .with_field("file"));
        }
        let mut bytes = BytesMut::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(bad)?;
            total += chunk.len();
            if total > MAX_IMPORT_BYTES {
                return Err(too_large());
            }
            if is_file {
                bytes.extend_from_slice(&chunk);
            }
        }
        if is_file {
            let by_type = field.content_type().and_then(|m| match m.essence_str() {
                "text/tab-separated-values" => Some(Format::Tsv),
                "text/csv" => Some(Format::Csv),
                _ => None,
            });
            hint = file_name.as_deref().and_then(|n| Format::guess(std::path::Path::new(n)).ok()).or(by_type);
            file = Some(bytes);
        }
    }
    match file {
        Some(bytes) => Ok((bytes.freeze(), hint)),
        None => Err(ApiError::new(
            ErrorCode::InvalidBody,
            "the multipart upload has no file part: send the file as `-F file=@glossary.tbx`",
        )
        .with_field("file")),
    }
}

async fn read_body(payload: &mut web::Payload) -> Result<Bytes, ApiError> {
    use std::future::poll_fn;
    let mut body = BytesMut::new();
    loop {
        let next = poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut *payload), cx)).await;
        match next {
            Some(Ok(chunk)) => {
                if body.len() + chunk.len() > MAX_IMPORT_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Some(Err(e)) => {
                return Err(ApiError::new(ErrorCode::InvalidDocument, format!("the body could not be read: {e}")))
            }
            None => return Ok(body.freeze()),
        }
    }
}

/// The writing end of an export: collects bytes into chunks and hands them
/// to the connection, waiting while the channel is full.
pub(crate) struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    /// A writer and the response body it feeds (for another streaming route).
    pub(crate) fn pair() -> (ChannelWriter, Chunks) {
        let (tx, rx) = tokio::sync::mpsc::channel(CHANNEL_CHUNKS);
        (ChannelWriter { tx, buf: Vec::with_capacity(CHUNK_BYTES) }, Chunks(rx))
    }

    /// Makes the server abort the response instead of ending it cleanly.
    pub(crate) fn fail(self, message: String) {
        let _ = self.tx.blocking_send(Err(io::Error::other(message)));
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK_BYTES)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client closed the connection"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The reading end, as the response body stream.
pub(crate) struct Chunks(tokio::sync::mpsc::Receiver<io::Result<Bytes>>);

impl futures_core::Stream for Chunks {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}
