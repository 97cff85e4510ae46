//! `glossary-server backup` and `restore`: snapshots of a whole data
//! directory (format in `glossary::store::snapshot`).
//!
//! `backup --data-dir` reads a data directory no server is using;
//! `backup --from-server` asks a running server for a snapshot
//! (`POST /api/v1/admin/backup`) over plain HTTP with a small client of its
//! own. Either way the file is written under a `.partial` name, checked
//! (trailer count and hash), and only then renamed to the name asked for.
//! `restore` fills a new or empty data directory from a snapshot.
//! `copy-store` copies a whole store between data directories and
//! PostgreSQL databases (`glossary::store::copy`).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{ArgGroup, Args};
use glossary::store::snapshot::{self, SnapshotInfo};
use glossary::store::{Store, StoreLocation, StoreOptions};

use crate::cli::CliResult;

/// Options of `backup`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["data_dir", "store", "from_server"])))]
pub struct BackupArgs {
    /// Data directory of a stopped server (offline backup).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL store (`postgres://` URL), read at one point in time
    /// while its servers keep running.
    #[arg(long)]
    pub store: Option<String>,
    /// Base URL of a running server, e.g. `http://127.0.0.1:8080` (online
    /// backup through `POST /api/v1/admin/backup`).
    #[arg(long, requires = "admin_key")]
    pub from_server: Option<String>,
    /// Admin key of that server.
    #[arg(long, env = "GLOSSARY_ADMIN_KEY", hide_env_values = true)]
    pub admin_key: Option<String>,
    /// The snapshot file to write (refused if it exists).
    pub out: PathBuf,
}

/// Options of `restore`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["data_dir", "store"])))]
pub struct RestoreArgs {
    /// Data directory to fill: must be missing or empty.
    #[arg(long, env = "GLOSSARY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL database to fill (`postgres://` URL): must hold no
    /// records.
    #[arg(long)]
    pub store: Option<String>,
    /// The snapshot file.
    pub file: PathBuf,
}

/// Options of `copy-store`.
#[derive(Debug, Args)]
pub struct CopyStoreArgs {
    /// The store to copy: a data directory (of a stopped server) or a
    /// `postgres://` URL.
    #[arg(long)]
    pub from: String,
    /// The store to fill: a new or empty data directory, or a `postgres://`
    /// URL of a database without records.
    #[arg(long)]
    pub to: String,
}

/// Copies a store into an empty one and prints both fingerprints.
pub fn copy_store(args: CopyStoreArgs) -> CliResult {
    let from = StoreLocation::parse(&args.from);
    let to = StoreLocation::parse(&args.to);
    let report = glossary::store::copy::copy_store(&from, &to, &StoreOptions::default())
        .map_err(|e| format!("copy from {from} to {to} failed: {e}"))?;
    println!("copied {from} to {to}");
    println!("{:<20} {:>10} {:>10}", "tree", "source", "target");
    for ((name, s), (_, t)) in report.source.trees.iter().zip(&report.target.trees) {
        println!("{name:<20} {s:>10} {t:>10}");
    }
    println!("source: {}", report.source);
    println!("target: {}", report.target);
    Ok(())
}

/// Writes a snapshot file.
pub fn backup(args: BackupArgs) -> CliResult {
    if args.out.exists() {
        return Err(format!("{} already exists; choose a new file name", args.out.display()).into());
    }
    let partial = partial_name(&args.out);
    let result = match (&args.data_dir, &args.store, &args.from_server) {
        (Some(dir), _, _) => offline(dir, &partial),
        (None, Some(url), _) => from_database(url, &partial),
        (None, None, Some(url)) => online(url, args.admin_key.as_deref().unwrap_or_default(), &partial),
        (None, None, None) => Err("say what to back up: --data-dir DIR, --store URL or --from-server URL".into()),
    };
    let info = match result.and_then(|()| check_file(&partial)) {
        Ok(info) => info,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, &args.out)
        .map_err(|e| format!("cannot rename {} to {}: {e}", partial.display(), args.out.display()))?;
    println!("wrote {} ({} bytes)", args.out.display(), info.bytes);
    print_info(&info);
    Ok(())
}

/// Fills a new data directory, or an empty PostgreSQL database, from a
/// snapshot file.
pub fn restore(args: RestoreArgs) -> CliResult {
    let file = File::open(&args.file).map_err(|e| format!("cannot open {}: {e}", args.file.display()))?;
    let target = match (&args.data_dir, &args.store) {
        (Some(_), Some(_)) => return Err("both --data-dir and --store are given; name one target".into()),
        (Some(dir), None) => StoreLocation::Dir(dir.clone()),
        (None, Some(url)) => StoreLocation::parse(url),
        (None, None) => return Err("say where to restore: --data-dir DIR or --store URL".into()),
    };
    if let StoreLocation::Dir(dir) = &target {
        if !snapshot::is_empty_dir(dir)? {
            return Err(format!(
                "{} is not empty: restore only into a new or empty data directory (nothing was changed)",
                dir.display()
            )
            .into());
        }
    }
    let info = target
        .restore_snapshot(file)
        .map_err(|e| format!("{} was not restored into {target}: {e}", args.file.display()))?;
    println!("restored {} into {target}", args.file.display());
    print_info(&info);
    Ok(())
}

fn print_info(info: &SnapshotInfo) {
    println!("taken at {}, store schema version {}", info.created.to_rfc3339(), info.schema_version);
    for (name, count) in &info.trees {
        println!("  {name:<20} {count:>10}");
    }
    println!("records: {}", info.records);
    println!("sha256: {}", info.hash);
}

fn partial_name(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

fn check_file(path: &Path) -> Result<SnapshotInfo, Box<dyn std::error::Error>> {
    let file = File::open(path).map_err(|e| format!("cannot read back {}: {e}", path.display()))?;
    Ok(snapshot::verify(file).map_err(|e| format!("the snapshot received is not usable: {e}"))?)
}

fn create(path: &Path) -> Result<BufWriter<File>, Box<dyn std::error::Error>> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    Ok(BufWriter::with_capacity(256 * 1024, file))
}

/// A snapshot of a PostgreSQL store (one REPEATABLE READ visit: its
/// servers may keep writing).
fn from_database(url: &str, partial: &Path) -> CliResult {
    let store = StoreLocation::parse(url).open(&StoreOptions::default())?;
    let mut out = create(partial)?;
    snapshot::write_snapshot(&store, &mut out)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

fn offline(dir: &Path, partial: &Path) -> CliResult {
    if !dir.join("store").is_dir() {
        return Err(format!("{} is not a glossary data directory (it has no store)", dir.display()).into());
    }
    let store = Store::open(dir, &StoreOptions::default()).map_err(|e| {
        let text = e.to_string();
        if text.contains("in use") {
            format!(
                "{} is in use by a running glossary-server; back it up through the server instead: \
                 glossary-server backup --from-server http://HOST:PORT --admin-key KEY FILE",
                dir.display()
            )
        } else {
            text
        }
    })?;
    let mut out = create(partial)?;
    snapshot::write_snapshot(&store, &mut out)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

/// `http://host[:port][/prefix]` split into an address and a path prefix.
fn parse_url(url: &str) -> Result<(String, String, String), String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        format!("{url:?}: give the server's base URL as http://HOST:PORT (this client speaks plain HTTP only)")
    })?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.is_empty() {
        return Err(format!("{url:?} has no host"));
    }
    let addr = if authority.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    Ok((addr, authority.to_string(), path.trim_end_matches('/').to_string()))
}

fn online(url: &str, key: &str, partial: &Path) -> CliResult {
    let (addr, host, prefix) = parse_url(url)?;
    let stream = TcpStream::connect(&addr).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(300)))?;
    let mut writer = stream.try_clone()?;
    write!(
        writer,
        "POST {prefix}/api/v1/admin/backup HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n\
         Content-Length: 0\r\nConnection: close\r\nUser-Agent: glossary-server/{}\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )?;
    writer.flush()?;
    let mut reader = BufReader::with_capacity(256 * 1024, stream);
    let (status, headers) = read_head(&mut reader)?;
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
    let length = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse::<u64>().ok());
    if status != 200 {
        let mut body = Vec::new();
        if chunked {
            dechunk(&mut reader, &mut body)?;
        } else {
            reader.by_ref().take(length.unwrap_or(64 * 1024).min(64 * 1024)).read_to_end(&mut body)?;
        }
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| Some(format!("{} ({})", v["message"].as_str()?, v["code"].as_str()?)))
            .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
        return Err(format!("the server refused the backup: HTTP {status}: {message}").into());
    }
    let mut out = create(partial)?;
    if chunked {
        dechunk(&mut reader, &mut out)?;
    } else if let Some(n) = length {
        let copied = io::copy(&mut (&mut reader).take(n), &mut out)?;
        if copied != n {
            return Err(format!("the connection closed after {copied} of {n} bytes").into());
        }
    } else {
        io::copy(&mut reader, &mut out)?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

fn read_line(reader: &mut impl BufRead) -> Result<String, Box<dyn std::error::Error>> {
    let mut line = String::new();
    if reader.by_ref().take(16 * 1024).read_line(&mut line)? == 0 {
        return Err("the server closed the connection before answering".into());
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Response headers, names lowercased.
type Headers = Vec<(String, String)>;

/// Status code and headers.
fn read_head(reader: &mut impl BufRead) -> Result<(u16, Headers), Box<dyn std::error::Error>> {
    let status_line = read_line(reader)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("not an HTTP response: {status_line:?}"))?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            return Ok((status, headers));
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
}

/// Copies a chunked body into `out`.
fn dechunk(reader: &mut impl BufRead, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    loop {
        let line = read_line(reader)?;
        let size = u64::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size line {line:?}"))?;
        if size == 0 {
            // Trailers, up to the blank line.
            while !read_line(reader)?.is_empty() {}
            return Ok(());
        }
        let copied = io::copy(&mut reader.by_ref().take(size), out)?;
        if copied != size {
            return Err("the connection closed in the middle of the snapshot".into());
        }
        read_line(reader)?;
    }
}

#[cfg(test)]
mod tests {
    use super::{dechunk, parse_url};

    #[test]
    fn urls_split_into_address_host_and_prefix() {
        let check = |url: &str, want: Option<(&str, &str, &str)>| {
            let got = parse_url(url).ok();
            let got = got.as_ref().map(|(a, h, p)| (a.as_str(), h.as_str(), p.as_str()));
            assert_eq!(got, want, "{url}");
        };
        check("http://127.0.0.1:8080", Some(("127.0.0.1:8080", "127.0.0.1:8080", "")));
        check("http://localhost/", Some(("localhost:80", "localhost", "")));
        check("http://h:9/glossary/", Some(("h:9", "h:9", "/glossary")));
        check("https://h:9", None);
        check("http://", None);
    }

    #[test]
    fn chunked_bodies_are_reassembled() {
        let mut input: &[u8] = b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        let mut out = Vec::new();
        dechunk(&mut input, &mut out).unwrap();
        assert_eq!(out, b"abcde");
        let mut cut: &[u8] = b"5\r\nab";
        assert!(dechunk(&mut cut, &mut Vec::new()).is_err());
    }
}
