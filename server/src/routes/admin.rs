//! `/api/v1/admin/...`: operations for whoever runs the server, behind an
//! admin key (see [`crate::auth`]).
//!
//! `POST /admin/backup` takes a consistent snapshot of the whole store
//! (`glossary::store::snapshot`) into a temporary file, which holds writes
//! up only while the trees are copied, then streams the file from a
//! blocking thread through the export channel, so a slow client slows no
//! one but itself.

use std::io::{self, Read, Write};

use actix_web::{post, web, HttpRequest, HttpResponse};

use super::blocking;
use super::exchange::ChannelWriter;
use crate::error::ApiError;
use crate::AppState;

/// Registers the admin routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(backup);
}

/// Back up the whole store while the server runs.
///
/// Streams a snapshot of everything stored (concepts, term index, counters,
/// translation memory, mining queue, rejections and runs) taken at one
/// point in time while writes continue: writes wait only while the store
/// is copied to a temporary file, not while the file is sent. The file
/// format is described in `docs/backup.md`; restore it with
/// `glossary-server restore --data-dir DIR FILE`. `X-Snapshot-Records` and
/// `X-Snapshot-Sha256` give the record count and content hash of its
/// trailer. Needs an admin key (`--admin-key`); without one configured the
/// route is disabled (403).
#[utoipa::path(
    tag = "admin",
    responses(
        (status = 200, description = "The snapshot file (binary), with `Content-Length` and `Content-Disposition` naming it",
            content((String = "application/octet-stream")),
            headers(
                ("X-Snapshot-Records" = u64, description = "Records in the snapshot"),
                ("X-Snapshot-Sha256" = String, description = "Content hash of the snapshot (hex)"),
            )),
        (status = 401, description = "Admin key missing or wrong (`unauthorized`)", body = ApiError),
        (status = 403, description = "No admin key configured on the server (`admin_key_required`)", body = ApiError),
        (status = 503, description = "Storage failed (`storage_unavailable`)", body = ApiError),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
#[post("/admin/backup")]
pub async fn backup(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    state.auth.check_admin(req.headers())?;
    let started = std::time::Instant::now();
    let (file, info) = blocking(&state, |g| g.snapshot()).await?;
    log::info!(
        "backup: snapshot of {} records in {} trees, {} bytes, sha256 {}, copied in {} ms (writes paused meanwhile)",
        info.records,
        info.trees.len(),
        info.bytes,
        info.hash,
        started.elapsed().as_millis()
    );
    let (mut out, body) = ChannelWriter::pair();
    actix_web::rt::task::spawn_blocking(move || {
        let mut file = io::BufReader::new(file);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return out.fail(format!("cannot read the snapshot file: {e}")),
            };
            if let Err(e) = out.write_all(&buf[..n]) {
                log::warn!("backup not delivered: {e}");
                return;
            }
        }
        if let Err(e) = out.flush() {
            log::warn!("backup not delivered: {e}");
        }
    });
    let name = format!(
        "glossary-{}.{}",
        info.created.to_rfc3339().replace([':', '.'], "-"),
        glossary::store::snapshot::FILE_EXTENSION
    );
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}\"")))
        .insert_header(("X-Snapshot-Records", info.records.to_string()))
        .insert_header(("X-Snapshot-Sha256", info.hash.to_string()))
        .no_chunking(info.bytes)
        .streaming(body))
}
