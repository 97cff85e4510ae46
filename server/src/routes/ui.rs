//! The web workspace: static files compiled into the binary and served
//! under `/ui/`. Not part of the API (and not in the OpenAPI document): the
//! pages are plain HTML, CSS and JavaScript modules that call `/api/v1`
//! from the browser like any other client.
//!
//! Any `/ui/...` path that is not a file answers the page shell, so that
//! the client-side routes (`/ui/lookup?q=…`, `/ui/concepts/c12`, …) can be
//! loaded, bookmarked and shared. `GET /` redirects to `/ui/`.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

/// One file of the workspace.
struct Asset {
    /// Path under `/ui/`.
    path: &'static str,
    /// `Content-Type` header.
    content_type: &'static str,
    /// The bytes.
    body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $ty:expr) => {
        Asset { path: $path, content_type: $ty, body: include_bytes!(concat!("../../ui/", $path)) }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file served; the page shell is the first.
static ASSETS: &[Asset] = &[
    asset!("index.html", "text/html; charset=utf-8"),
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
    asset!("js/app.js", JS),
    asset!("js/api.js", JS),
    asset!("js/dom.js", JS),
    asset!("js/lookup.js", JS),
    asset!("js/concepts.js", JS),
    asset!("js/review.js", JS),
    asset!("js/mine.js", JS),
    asset!("js/translate.js", JS),
    asset!("js/exchange.js", JS),
    asset!("i18n/en.js", JS),
    asset!("i18n/vi.js", JS),
];

/// The content security policy of every workspace response: nothing but
/// the server's own files and API, no inline script.
const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; \
object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Entity tags of the assets (a hash of the bytes, computed once).
fn etags() -> &'static [String] {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let mut h = DefaultHasher::new();
                a.body.hash(&mut h);
                format!("\"{:016x}\"", h.finish())
            })
            .collect()
    })
}

/// Registers `GET /` and `/ui/...` on the application (outside the API scope).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::redirect("/", "/ui/").temporary())
        .service(web::redirect("/ui", "/ui/").temporary())
        .route("/ui/{path:.*}", web::get().to(serve));
}

/// The index into [`ASSETS`] for a path under `/ui/`: the file itself, a
/// 404 for a missing file under a file directory, else the page shell.
fn resolve(path: &str) -> Option<usize> {
    if let Some(i) = ASSETS.iter().position(|a| a.path == path) {
        return Some(i);
    }
    let is_file_dir = ["js/", "i18n/"].iter().any(|d| path.starts_with(d));
    let looks_like_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| [".js", ".css", ".svg", ".png", ".ico", ".map"].iter().any(|ext| last.ends_with(ext)));
    if is_file_dir || looks_like_file {
        None
    } else {
        Some(0)
    }
}

async fn serve(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let Some(i) = resolve(&path) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(format!("no workspace file /ui/{}", path.as_str()));
    };
    let asset = &ASSETS[i];
    let etag = &etags()[i];
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    // Revalidate every time (the files change with the binary, not their
    // names); an unchanged file costs a 304 without a body.
    let mut resp = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    resp.insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    if fresh {
        return resp.finish();
    }
    resp.content_type(asset.content_type).body(asset.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_to_files_the_shell_or_nothing() {
        let check = |path: &str, want: Option<&str>| {
            assert_eq!(resolve(path).map(|i| ASSETS[i].path), want, "{path}");
        };
        check("", Some("index.html"));
        check("lookup", Some("index.html"));
        check("concepts/c12", Some("index.html"));
        check("concepts/c.12", Some("index.html"));
        check("js/app.js", Some("js/app.js"));
        check("i18n/vi.js", Some("i18n/vi.js"));
        check("app.css", Some("app.css"));
        check("js/missing.js", None);
        check("i18n/fr.js", None);
        check("other.css", None);
    }

    #[test]
    fn every_asset_has_content_and_a_distinct_path() {
        let mut paths: Vec<&str> = ASSETS.iter().map(|a| a.path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), ASSETS.len());
        assert!(ASSETS.iter().all(|a| !a.body.is_empty()));
    }
}
