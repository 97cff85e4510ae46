//! Test support: a private PostgreSQL cluster for the PostgreSQL backend's
//! tests (this crate's and the server's integration tests).
//!
//! [`PgCluster::shared`] starts one cluster per test process: `initdb` into
//! a temporary directory (trust authentication, superuser `postgres`),
//! `pg_ctl start` on a free loopback port with the Unix socket in that
//! directory too. Each test then takes a fresh database with
//! [`PgCluster::new_database`]. A cluster held in a static is never dropped,
//! so a small watchdog shell process stops it (`pg_ctl stop -m immediate`)
//! and deletes its directory once the test process has exited, however it
//! exited.
//!
//! The binaries are looked for in `$GLOSSARY_PG_BIN`, then
//! `/usr/lib/postgresql/<version>/bin` (newest first, Debian's layout), then
//! `PATH`. When none is found, [`PgCluster::shared`] returns `None` and the
//! caller skips its test with a message, except under `CI=true`, where it
//! panics (`.ci/run` installs the `postgresql` package).
//!
//! PostgreSQL refuses to run as root: when the process is root, the cluster
//! runs as the `postgres` account (created by the Debian package) through
//! `runuser`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A running private PostgreSQL cluster.
#[derive(Debug)]
pub struct PgCluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    run_as: Option<String>,
    /// Whether dropping this value stops the cluster (the shared one is
    /// stopped by its watchdog instead).
    stop_on_drop: bool,
}

static SHARED: OnceLock<Result<Option<PgCluster>, String>> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(1);

impl PgCluster {
    /// The cluster shared by every test of this process, started on first
    /// use; `None` (after printing why) when PostgreSQL is not installed.
    ///
    /// # Panics
    /// When PostgreSQL is missing under `CI=true`, or cannot be started.
    pub fn shared() -> Option<&'static PgCluster> {
        // A failed start is remembered: every later caller fails the same
        // way instead of starting another cluster.
        let started = SHARED.get_or_init(|| match find_bin() {
            None => {
                let msg = "PostgreSQL binaries (initdb, pg_ctl) not found: install the `postgresql` package or \
                           set GLOSSARY_PG_BIN";
                assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI: {msg} (.ci/run installs it)");
                eprintln!("skipping PostgreSQL tests: {msg}");
                Ok(None)
            }
            Some(bin) => PgCluster::start_in(bin, false, false).map(Some),
        });
        match started {
            Ok(cluster) => cluster.as_ref(),
            Err(e) => panic!("the test cluster did not start: {e}"),
        }
    }

    /// Starts a cluster of its own, stopped and deleted when the value is
    /// dropped; `Ok(None)` when PostgreSQL is not installed. With `fsync`,
    /// it syncs its WAL at commit like a production server (for
    /// measurements); without, it skips syncing, as the shared test
    /// cluster does.
    pub fn start(fsync: bool) -> Result<Option<PgCluster>, String> {
        match find_bin() {
            None => Ok(None),
            Some(bin) => PgCluster::start_in(bin, true, fsync).map(Some),
        }
    }

    /// The cluster's data and socket directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The loopback TCP port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Connection URL of database `db` (TCP on loopback, user `postgres`).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates a new, empty database and returns its URL.
    pub fn new_database(&self) -> String {
        let name = format!("t{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::Relaxed));
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to the test cluster: {e}"));
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        self.url(&name)
    }

    fn start_in(bin: PathBuf, stop_on_drop: bool, fsync: bool) -> Result<PgCluster, String> {
        let run_as = if is_root() { Some("postgres".to_string()) } else { None };
        let dir = std::env::temp_dir().join(format!(
            "glossary-pg-{}-{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let cluster = PgCluster { bin, dir, port: free_port()?, run_as, stop_on_drop };
        if !stop_on_drop {
            // From here on, whatever fails, the directory and any server
            // started in it go when this process exits.
            cluster.spawn_watchdog();
        }
        if let Some(user) = &cluster.run_as {
            let status = Command::new("chown")
                .arg(format!("{user}:"))
                .arg(&cluster.dir)
                .status()
                .map_err(|e| format!("cannot run chown: {e}"))?;
            if !status.success() {
                return Err(format!("cannot give {} to the `{user}` account", cluster.dir.display()));
            }
        }
        let data = cluster.dir.join("data");
        cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C".as_ref(),
                "--no-sync".as_ref(),
            ],
        )?;
        // Test settings: durability of the cluster itself is not under
        // test (the server's kill -9 tests kill the server, not
        // PostgreSQL), so fsync is off for speed unless asked for.
        let sync = if fsync { "on" } else { "off" };
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync={sync} -c full_page_writes={sync} \
             -c max_connections=200 -c shared_buffers=128MB",
            cluster.port,
            cluster.dir.display()
        );
        let log = cluster.dir.join("log");
        cluster.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-o".as_ref(),
                options.as_ref(),
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
                "start".as_ref(),
            ],
        )?;
        cluster.wait_ready()?;
        Ok(cluster)
    }

    /// Runs one PostgreSQL program (as the cluster's account when root).
    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
        let exe = self.bin.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        // pg_ctl's server inherits these; nothing must keep the test's pipes open.
        let out = cmd
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .current_dir(&self.dir)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        if !out.status.success() {
            let log = std::fs::read_to_string(self.dir.join("log")).unwrap_or_default();
            return Err(format!(
                "{program} failed: {}\n{}\n{log}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(())
    }

    fn wait_ready(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match postgres::Client::connect(&self.url("postgres"), postgres::NoTls) {
                Ok(_) => return Ok(()),
                Err(e) if Instant::now() > deadline => return Err(format!("the test cluster does not answer: {e}")),
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// Stops the cluster and deletes its directory when this process has
    /// exited (statics are never dropped).
    fn spawn_watchdog(&self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let stop = match &self.run_as {
            Some(user) => format!("runuser -u {user} -- {}", sh_quote(&pg_ctl)),
            None => sh_quote(&pg_ctl),
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} -D {data} stop -m immediate >/dev/null 2>&1; \
             rm -rf {dir}",
            pid = std::process::id(),
            data = sh_quote(&self.dir.join("data")),
            dir = sh_quote(&self.dir),
        );
        let spawned = Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Err(e) = spawned {
            eprintln!("cannot start the test cluster's watchdog ({e}); stop it by hand: {}", self.dir.display());
        }
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.stop_on_drop {
            let data = self.dir.join("data");
            let _ = self.run(
                "pg_ctl",
                &["-D".as_ref(), data.as_os_str(), "stop".as_ref(), "-m".as_ref(), "immediate".as_ref()],
            );
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The directory holding `initdb` and `pg_ctl`, if PostgreSQL is installed.
fn find_bin() -> Option<PathBuf> {
    let has = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = std::env::var_os("GLOSSARY_PG_BIN").map(PathBuf::from) {
        return has(&d).then_some(d);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, d)| has(d))
        .collect();
    versions.sort();
    if let Some((_, d)) = versions.pop() {
        return Some(d);
    }
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).find(|d| has(d)))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}
