//! The `glossary-server` command line: `serve`, `lookup` (batch), `align`,
//! `export`, `import`, `pretranslate`, `backup`, `restore`, `copy-store`, `openapi`.

pub mod align;
pub mod backup;
pub mod concordance;
pub mod exchange;
mod mine;
pub mod pretranslate;
mod progress;

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use glossary::store::StoreLocation;
use glossary::{Glossary, Lang, LookupQuery, OpenOptions};

use crate::views::lookup_response;

/// The actor recorded in concept history for command-line writes.
pub const CLI_ACTOR: &str = "cli";
use crate::{app, openapi_json, AppState, Auth};

/// Errors of the command line; printed on stderr with exit status 1.
pub type CliResult = Result<(), Box<dyn std::error::Error>>;

/// Glossary and translation-memory server for diplomatic translation.
#[derive(Debug, Parser)]
#[command(name = "glossary-server", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (REST API, Swagger UI).
    Serve(ServeArgs),
    /// Create a data directory (if missing) and load the bundled starter
    /// glossary into it, if it was never seeded (what `serve` does on a new
    /// data directory).
    Seed(DataArgs),
    /// Batch lookup: reads one query per line on stdin, prints one line of
    /// ranked matches per query.
    Lookup(LookupArgs),
    /// Batch suggestions: reads one source sentence per line on stdin,
    /// prints TM matches and glossary terms for each.
    Suggest(SuggestArgs),
    /// Concordance: the TM units whose source (or target) contains a
    /// phrase as whole words, the phrase marked.
    Concordance(crate::cli::concordance::ConcordanceArgs),
    /// Mine Vietnamese text files for candidate terms and print them ranked
    /// (no server or data directory needed).
    Mine(MineArgs),
    /// Align a document with its translation; prints the sentence links
    /// with their confidence.
    Align(crate::cli::align::AlignArgs),
    /// Propose equivalents of a term from aligned pairs (a TSV file, or a
    /// document and its translation, aligned first).
    Equivalents(crate::cli::align::EquivalentsArgs),
    /// Export the glossary as TBX, TBX 2008, TSV or CSV, or the translation
    /// memory as TMX (stdout without FILE).
    Export(crate::cli::exchange::ExportArgs),
    /// Import a TBX (v3 or 2008), TSV, CSV or TMX file and print the report.
    Import(crate::cli::exchange::ImportArgs),
    /// Pre-translate an XLIFF 1.2 or 2.x file from the translation memory
    /// (the filled file on stdout or in --output, the report on stderr).
    Pretranslate(crate::cli::pretranslate::PretranslateArgs),
    /// Write a snapshot of everything stored: from a stopped server's data
    /// directory, or from a running server (`--from-server`).
    Backup(crate::cli::backup::BackupArgs),
    /// Restore a snapshot into a new or empty data directory.
    Restore(crate::cli::backup::RestoreArgs),
    /// Copy a whole store into an empty one, between data directories and
    /// PostgreSQL databases, and verify the copy (counts per tree and a
    /// content hash).
    CopyStore(crate::cli::backup::CopyStoreArgs),
    /// Print the OpenAPI document (what `openapi/openapi.json` holds).
    Openapi {
        /// Write to this file instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// Options shared by every subcommand that opens a store.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Data directory of an embedded store (default `data`). `serve`
    /// creates it (with the starter glossary) when missing; every other
    /// command refuses a missing one unless `--create`.
    #[arg(long, env = "GLOSSARY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL store instead of a data directory:
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (the database must
    /// exist; its tables are created or migrated at open).
    #[arg(long, env = "GLOSSARY_STORE", hide_env_values = true)]
    pub store: Option<String>,
    /// `serve` only: do not load the bundled starter glossary into a new
    /// data directory.
    #[arg(long, env = "GLOSSARY_NO_SEED")]
    pub no_seed: bool,
    /// Commands other than `serve`: create the data directory, empty (no
    /// starter glossary), when it does not exist.
    #[arg(long)]
    pub create: bool,
    /// Page cache size of the store, in MiB.
    #[arg(long, env = "GLOSSARY_CACHE_MB", default_value_t = 128)]
    pub cache_mb: u64,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Data location.
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on (port 0 picks a free port; the log says which).
    #[arg(long, env = "GLOSSARY_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// API key required for writes, `name:secret` (the name is recorded in
    /// concept history) or a bare `secret` (named `key-1`, `key-2`, ... in
    /// order); repeat or comma-separate for several. Without any key,
    /// writes are open (and recorded as `anonymous`).
    #[arg(long = "api-key", env = "GLOSSARY_API_KEYS", value_delimiter = ',', hide_env_values = true)]
    pub api_keys: Vec<String>,
    /// Admin key for the admin routes (`POST /api/v1/admin/backup`); repeat
    /// or comma-separate for several. Without any, admin routes answer 403.
    #[arg(long = "admin-key", env = "GLOSSARY_ADMIN_KEYS", value_delimiter = ',', hide_env_values = true)]
    pub admin_keys: Vec<String>,
    /// Require an API key for reads too.
    #[arg(long, env = "GLOSSARY_PROTECT_READS", requires = "api_keys")]
    pub protect_reads: bool,
    /// HTTP worker threads (default: number of CPUs).
    #[arg(long, env = "GLOSSARY_WORKERS")]
    pub workers: Option<usize>,
    /// With `--store`: a local directory where this server keeps a
    /// snapshot of its lookup index (written in the background and at
    /// shutdown), so the next start loads it and replays the change feed
    /// instead of rebuilding from the database. Without it, every start
    /// rebuilds. A data directory keeps its snapshot inside.
    #[arg(long, env = "GLOSSARY_INDEX_CACHE")]
    pub index_cache: Option<PathBuf>,
}

/// Options of `lookup`.
#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Data location.
    #[command(flatten)]
    pub data: DataArgs,
    /// Language of the queries (BCP 47).
    #[arg(long)]
    pub src: String,
    /// Language of the equivalents to show; all others when omitted.
    #[arg(long)]
    pub tgt: Option<String>,
    /// Most matches per query (1-50).
    #[arg(long, default_value_t = glossary::lookup::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Only these collections: one name or a comma list (`project,shared`).
    #[arg(long)]
    pub collection: Option<String>,
    /// One JSON object per line (same shape as `GET /api/v1/lookup`).
    #[arg(long)]
    pub json: bool,
}

/// Options of `suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Data location.
    #[command(flatten)]
    pub data: DataArgs,
    /// Language of the sentences (BCP 47).
    #[arg(long)]
    pub src: String,
    /// Language of the translations.
    #[arg(long)]
    pub tgt: String,
    /// Minimum TM match percentage (30-100).
    #[arg(long, default_value_t = glossary::tm::DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Most TM matches per sentence (1-50).
    #[arg(long, default_value_t = glossary::tm::DEFAULT_MATCHES)]
    pub limit: usize,
    /// Only these collections, in search order: one name or a comma list
    /// (`project,shared`); a match from the n-th (0-based) loses n ×
    /// `--collection-penalty` points.
    #[arg(long)]
    pub collection: Option<String>,
    /// Points per position in the `--collection` order (0–30).
    #[arg(long, default_value_t = glossary::collections::DEFAULT_COLLECTION_PENALTY)]
    pub collection_penalty: f64,
    /// One JSON object per line (same shape as `POST /api/v1/suggest`).
    #[arg(long)]
    pub json: bool,
}

/// Options of `mine`.
#[derive(Debug, Args)]
pub struct MineArgs {
    /// Language of the files; only `vi` is supported.
    #[arg(long, default_value = "vi")]
    pub lang: String,
    /// How many candidates to print (1-5000).
    #[arg(long, default_value_t = glossary::mining::DEFAULT_TOP)]
    pub top: usize,
    /// Fewest occurrences of a candidate.
    #[arg(long, default_value_t = glossary::mining::DEFAULT_MIN_FREQUENCY)]
    pub min_frequency: u32,
    /// Keyword-in-context examples per candidate (0-20).
    #[arg(long, default_value_t = glossary::mining::DEFAULT_CONTEXTS)]
    pub contexts: usize,
    /// Memory bound: the most distinct n-grams held while counting; beyond
    /// it the rarest are pruned and counts become approximate (the summary
    /// says by how much).
    #[arg(long, default_value_t = glossary::mining::DEFAULT_MAX_NGRAMS)]
    pub max_ngrams: usize,
    /// Print a JSON array (the candidate shape of `GET /api/v1/candidates`).
    #[arg(long)]
    pub json: bool,
    /// Mark the candidates this data directory's glossary already holds
    /// (`known`, with their concept); without it, nothing is opened.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// The same from a PostgreSQL store (`postgres://` URL).
    #[arg(long, conflicts_with = "data_dir")]
    pub store: Option<String>,
    /// UTF-8 text files, one document each.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> CliResult {
    match cli.command {
        Command::Serve(args) => serve(args),
        Command::Seed(args) => seed(args),
        Command::Lookup(args) => lookup(args),
        Command::Suggest(args) => suggest(args),
        Command::Concordance(args) => crate::cli::concordance::concordance(args),
        Command::Mine(args) => crate::cli::mine::mine(args),
        Command::Align(args) => crate::cli::align::run(args),
        Command::Equivalents(args) => crate::cli::align::equivalents(args),
        Command::Export(args) => crate::cli::exchange::export(args),
        Command::Import(args) => crate::cli::exchange::import(args),
        Command::Pretranslate(args) => crate::cli::pretranslate::pretranslate(args),
        Command::Backup(args) => crate::cli::backup::backup(args),
        Command::Restore(args) => crate::cli::backup::restore(args),
        Command::CopyStore(args) => crate::cli::backup::copy_store(args),
        Command::Openapi { output } => {
            let json = openapi_json();
            match output {
                Some(path) => {
                    std::fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?
                }
                None => std::io::stdout().write_all(json.as_bytes())?,
            }
            Ok(())
        }
    }
}

/// Threads of the blocking pool per actix worker: engine calls (lookups,
/// suggestions, writes) and export streams run there.
const BLOCKING_THREADS_PER_WORKER: usize = 32;

impl DataArgs {
    /// The store these options name: `--store` (a PostgreSQL URL) or
    /// `--data-dir` (default `data`), not both.
    pub fn location(&self) -> Result<StoreLocation, String> {
        match (&self.data_dir, &self.store) {
            (Some(dir), Some(_)) => Err(format!(
                "both --data-dir {} and --store are given (perhaps through GLOSSARY_DATA_DIR or GLOSSARY_STORE); \
                 name one store",
                display(dir)
            )),
            (None, Some(url)) => match StoreLocation::parse(url) {
                loc @ StoreLocation::Postgres(_) => Ok(loc),
                StoreLocation::Dir(_) => {
                    Err(format!("--store takes a postgres:// URL (got {url:?}); use --data-dir for a data directory"))
                }
            },
            (Some(dir), None) => Ok(StoreLocation::Dir(dir.clone())),
            (None, None) => Ok(StoreLocation::Dir(PathBuf::from("data"))),
        }
    }
}

/// Opens the glossary of a command other than `serve`: a data directory
/// must exist (a typo must not create and seed a new store) unless
/// `--create` was given, and nothing is seeded.
pub fn open_glossary(data: &DataArgs) -> Result<Glossary, Box<dyn std::error::Error>> {
    let location = data.location()?;
    require_data_dir(&location, data.create)?;
    Ok(Glossary::open_at(&location, &open_options(data))?)
}

/// Opens only the store of a command other than `serve` (same rule as
/// [`open_glossary`]).
pub fn open_store(data: &DataArgs) -> Result<glossary::store::Store, Box<dyn std::error::Error>> {
    let location = data.location()?;
    require_data_dir(&location, data.create)?;
    Ok(location.open(&store_options(data))?)
}

/// Refuses a data directory without a store unless `create`. (A
/// PostgreSQL database must exist already: a mistyped name fails to
/// connect.)
pub fn require_data_dir(location: &StoreLocation, create: bool) -> CliResult {
    let StoreLocation::Dir(dir) = location else { return Ok(()) };
    if create || dir.join("store").is_dir() {
        return Ok(());
    }
    let what = if dir.exists() { "holds no glossary store" } else { "does not exist" };
    Err(format!(
        "the data directory {} {what}; check the path (`serve` creates one with the starter glossary), \
         or pass --create to start an empty one",
        display(dir)
    )
    .into())
}

fn open_options(data: &DataArgs) -> OpenOptions {
    OpenOptions { store: store_options(data), ..OpenOptions::default() }
}

/// The store tuning `--cache-mb` asks for.
pub(crate) fn store_options(data: &DataArgs) -> glossary::store::StoreOptions {
    glossary::store::StoreOptions { cache_capacity: data.cache_mb.max(1) * 1024 * 1024 }
}

/// Opens (creating if needed) the glossary `serve` runs on, loading the
/// starter glossary into a new data directory unless `--no-seed`.
fn open_for_serve(data: &DataArgs, index_cache: Option<&Path>) -> Result<Glossary, Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    let location = data.location()?;
    if let (Some(cache), StoreLocation::Dir(_)) = (index_cache, &location) {
        return Err(format!(
            "--index-cache {} is for a PostgreSQL store (--store); a data directory keeps its index snapshot inside",
            display(cache)
        )
        .into());
    }
    let options = OpenOptions { index_cache: index_cache.map(Path::to_path_buf), ..open_options(data) };
    let (g, index) = Glossary::open_at_reporting(&location, &options)?;
    log::info!("opened in {:.2} s; lookup index: {index:?}", started.elapsed().as_secs_f64());
    if !data.no_seed {
        let n = g.seed_starter_if_new()?;
        if n > 0 {
            log::info!("loaded the starter glossary: {n} concepts");
        }
    }
    Ok(g)
}

fn seed(data: DataArgs) -> CliResult {
    let location = data.location()?;
    let g = Glossary::open_at(&location, &open_options(&data))?;
    let n = g.seed_starter_if_new()?;
    let total = g.stats()?.concepts;
    if n > 0 {
        eprintln!("loaded the starter glossary into {location}: {n} concepts");
    } else {
        eprintln!("{location} was seeded before (or holds data): nothing loaded; it has {total} concepts");
    }
    Ok(())
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

fn serve(args: ServeArgs) -> CliResult {
    let glossary = Arc::new(open_for_serve(&args.data, args.index_cache.as_deref())?);
    Glossary::spawn_index_snapshots(&glossary)?;
    if glossary.follows_changes() {
        follow_changes(glossary.clone())?;
    }
    let auth = Auth::new(args.api_keys.clone(), args.protect_reads).with_admin_keys(args.admin_keys.clone());
    let stats = glossary.stats()?;
    let g = glossary.clone();
    let auth_for_app = auth.clone();
    let mut server =
        actix_web::HttpServer::new(move || app(AppState { glossary: g.clone(), auth: auth_for_app.clone() }));
    if let Some(n) = args.workers {
        server = server.workers(n.max(1));
    }
    // Engine calls run on actix's blocking pool; its default (512 threads
    // shared by the workers) only adds threads, and memory, under load on
    // a machine with a few cores.
    server = server.worker_max_blocking_threads(BLOCKING_THREADS_PER_WORKER);
    let server = server.bind(&args.bind).map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    let addrs: Vec<SocketAddr> = server.addrs();
    for addr in &addrs {
        log::info!(
            "glossary-server {} listening on http://{addr} (store {}, {} concepts, {} terms, writes {}); Swagger UI at http://{addr}/swagger-ui/",
            env!("CARGO_PKG_VERSION"),
            args.data.location()?,
            stats.concepts,
            stats.terms,
            if auth.enabled() { "need an API key" } else { "open" },
        );
    }
    actix_web::rt::System::new().block_on(server.run())?;
    glossary.flush()?;
    log::info!("stopped; store flushed");
    Ok(())
}

/// Keeps the glossary's in-memory indexes in step with what other servers
/// write to a shared store, on a thread of its own for the life of the
/// process (woken by each commit, or every second).
fn follow_changes(glossary: Arc<Glossary>) -> CliResult {
    std::thread::Builder::new()
        .name("change-feed".into())
        .spawn(move || loop {
            if let Err(e) = glossary.apply_changes(std::time::Duration::from_secs(1)) {
                log::warn!("change feed: {e}; retrying in a second");
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        })
        .map_err(|e| format!("cannot start the change-feed thread: {e}"))?;
    Ok(())
}

fn lookup(args: LookupArgs) -> CliResult {
    let src = Lang::new(&args.src)?;
    let tgt = args.tgt.as_deref().map(Lang::new).transpose()?;
    let collections = glossary::CollectionSelection::parse(args.collection.as_deref())?;
    let glossary = open_glossary(&args.data)?;
    for_each_line(|text, out| {
        let query = LookupQuery {
            text: text.to_string(),
            src: src.clone(),
            tgt: tgt.clone(),
            limit: args.limit,
            collections: collections.clone(),
        };
        let hits = glossary.lookup(&query)?;
        if args.json {
            serde_json::to_writer(&mut *out, &lookup_response(text, &hits))?;
            writeln!(out)?;
            return Ok(());
        }
        writeln!(out, "{text}")?;
        if hits.is_empty() {
            writeln!(out, "  (no match)")?;
        }
        for h in &hits {
            let targets: Vec<&str> = h.targets.iter().map(|t| t.text.as_str()).collect();
            writeln!(out, "  {:.3} {:<22} {} = {}", h.score, h.kind.as_str(), h.term.text, targets.join(" | "))?;
        }
        Ok(())
    })
}

/// Runs `f` on every non-blank stdin line (trimmed), with buffered stdout.
fn for_each_line(mut f: impl FnMut(&str, &mut dyn Write) -> CliResult) -> CliResult {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let text = line.trim();
        if !text.is_empty() {
            f(text, &mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn suggest(args: SuggestArgs) -> CliResult {
    let src = Lang::new(&args.src)?;
    let tgt = Lang::new(&args.tgt)?;
    let collections = glossary::CollectionSelection::parse(args.collection.as_deref())?;
    let glossary = open_glossary(&args.data)?;
    for_each_line(|text, out| {
        let query = glossary::tm::TmQuery {
            text: text.to_string(),
            src: src.clone(),
            tgt: tgt.clone(),
            threshold: args.threshold,
            limit: args.limit,
            collections: collections.clone(),
            collection_penalty: args.collection_penalty,
        };
        let s = glossary.suggest(&query)?;
        if args.json {
            serde_json::to_writer(&mut *out, &crate::views::suggest::SuggestionJson::from(&s))?;
            writeln!(out)?;
            return Ok(());
        }
        writeln!(out, "{text}")?;
        if s.matches.is_empty() {
            writeln!(out, "  (no TM match)")?;
        }
        for m in &s.matches {
            let target = m.adapted.as_ref().map_or(m.tm.unit.target.as_str(), |a| a.target.as_str());
            let mark = if m.adapted.is_some() { " (adapted)" } else { "" };
            writeln!(out, "  {:5.1}% {target}{mark}", m.tm.comparison.score)?;
        }
        for t in &s.terms {
            for c in &t.concepts {
                let targets: Vec<&str> = c.targets.iter().map(|x| x.text.as_str()).collect();
                writeln!(out, "  term: {} = {}", t.text, targets.join(" | "))?;
            }
        }
        for w in &s.warnings {
            writeln!(out, "  warning: {w}")?;
        }
        Ok(())
    })
}
