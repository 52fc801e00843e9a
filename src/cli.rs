//! Command-line interface: arguments and the thin glue from each command to
//! the library.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use scokg::bench_corpus::{self, Shape};
use scokg::export::{self, ExportFormat, Lang, PictureOptions};
use scokg::ingest::{self, BuildOptions};
use scokg::lookup;
use scokg::query::{self, OutputFormat};
use scokg::store::KgStore;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Build an RDF knowledge graph with provenance from Chinese news about the
/// Shanghai Cooperation Organisation, and query it.
#[derive(Debug, Parser)]
#[command(name = "scokg", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Global {
    /// The store directory.
    #[arg(long, global = true, default_value = "output/store")]
    store: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read text files into the store (one named graph per file).
    Build(BuildArgs),
    /// Run a SPARQL query over the union of all graphs.
    Query(QueryArgs),
    /// Export the graph as RDF or as a GraphViz picture.
    Export(ExportArgs),
    /// Load N-Quads or TriG files (such as an export of another store).
    Import(ImportArgs),
    /// Find an entity and print its facts with their quotes.
    Lookup(LookupArgs),
    /// Score extraction against a gold file (builds an in-memory graph).
    Eval(EvalArgs),
    /// Write a benchmark corpus: the sample articles repeated (dense), or
    /// diluted 1:20 in other news like a paper's archive.
    BenchCorpus(BenchCorpusArgs),
}

#[derive(Debug, Args)]
struct BenchCorpusArgs {
    /// Size of the corpus in MB (10^6 bytes).
    #[arg(long)]
    mb: f64,
    /// A new folder to write the corpus into.
    #[arg(long)]
    out: PathBuf,
    /// dense: sample articles only; archive: 1 part sample articles to 20 parts other news.
    #[arg(long, value_enum, default_value_t = Shape::Archive)]
    shape: Shape,
    /// The folder of sample articles (*.txt).
    #[arg(long, default_value = "corpus")]
    from: PathBuf,
    /// Seed of the shuffling of other news: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, Args)]
struct EvalArgs {
    /// The gold file (TOML; format in the README).
    #[arg(long)]
    gold: PathBuf,
    /// Files or directories to read.
    #[arg(default_value = "corpus")]
    paths: Vec<PathBuf>,
    /// Publication date of the files (YYYY-MM-DD).
    #[arg(long)]
    date: Option<String>,
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// Files or directories (directories are searched for *.txt).
    #[arg(default_value = "corpus")]
    paths: Vec<PathBuf>,
    /// Publication date of the files (YYYY-MM-DD), when file names and text do not give it.
    #[arg(long)]
    date: Option<String>,
    /// Also read files ending like this (e.g. '*.md'); repeatable.
    #[arg(long = "glob")]
    globs: Vec<String>,
    /// Threads that read and extract files (0: one per core). The graph is
    /// the same whatever the number.
    #[arg(short, long, default_value_t = 0)]
    jobs: usize,
    /// Quads written to the store per batch (0: 64 000). Each batch holds
    /// whole files and reaches the store at once; smaller batches use less
    /// memory, larger ones load faster.
    #[arg(long, default_value_t = 0, value_name = "N")]
    batch_quads: usize,
    /// Quads after which the batches written are committed (0: 1 000 000).
    /// Each commit ingests their index files at once: fewer commits load
    /// faster, and a build interrupted loses at most this much work.
    #[arg(long, default_value_t = 0, value_name = "N")]
    commit_quads: usize,
}

#[derive(Debug, Args)]
struct QueryArgs {
    /// A query file (*.rq) or the name of a query in the library (see --list).
    #[arg(conflicts_with_all = ["expression", "list"])]
    query: Option<String>,
    /// The query text itself.
    #[arg(short = 'e', long = "expression")]
    expression: Option<String>,
    /// List the queries of the library with the question each answers.
    #[arg(long)]
    list: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Bind a variable to an IRI or a literal: NAME=<IRI> or NAME=text; repeatable.
    #[arg(long = "bind")]
    bindings: Vec<String>,
    /// Run a SPARQL UPDATE (INSERT, DELETE, DROP …), which changes the store;
    /// without this flag updates are refused.
    #[arg(long)]
    allow_update: bool,
    /// Stop the query after this many seconds (exit 1).
    #[arg(long, value_name = "SECS", allow_hyphen_values = true)]
    timeout: Option<String>,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Draw only the neighbourhood of entities whose label contains this text (dot/svg).
    #[arg(long)]
    focus: Option<String>,
    /// How many relations away from the focus to draw.
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// Label language of pictures.
    #[arg(long, value_enum, default_value_t = Lang::Both)]
    lang: Lang,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// N-Quads (.nq) or TriG (.trig) files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct LookupArgs {
    /// A label, alias, English name or ISO3 code (伊朗, 上合组织, Iran, IRN).
    term: String,
    /// Only facts holding by this date (YYYY-MM-DD).
    #[arg(long)]
    as_of: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// When several entities match, show the N-th of the list.
    #[arg(long)]
    pick: Option<usize>,
    /// Quote every report of each fact (by default: the first
    /// three, and how many more there are).
    #[arg(long)]
    all: bool,
}

/// Reports quoted per fact by `lookup` without `--all`: an archive can
/// report one fact thousands of times.
const REPORTS_PER_FACT: usize = 3;

fn parse_date(s: &str) -> Result<chrono::NaiveDate> {
    scokg::text::dates::parse_iso_date(s)
        .ok_or_else(|| scokg::Error::Usage(format!("`{s}` is not a date: use YYYY-MM-DD")).into())
}

/// Run a command; `Ok` carries the exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build(a) => build(&cli.global, a),
        Command::Query(a) => query_cmd(&cli.global, a),
        Command::Export(a) => export_cmd(&cli.global, a),
        Command::Import(a) => import_cmd(&cli.global, a),
        Command::Lookup(a) => lookup_cmd(&cli.global, a),
        Command::Eval(a) => eval_cmd(a),
        Command::BenchCorpus(a) => bench_corpus_cmd(a),
    }
}

fn bench_corpus_cmd(a: BenchCorpusArgs) -> Result<ExitCode> {
    if !a.from.is_dir() {
        return Err(scokg::Error::Usage(format!(
            "no folder of sample articles at {}; run from the project folder or pass --from DIR",
            a.from.display()
        ))
        .into());
    }
    let sources = bench_corpus::Sources::from_dir(&a.from)?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new((a.mb * 1e6) as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let written = bench_corpus::write(&sources, a.shape, a.mb, a.seed, &a.out, |bytes| {
        if let Some(bar) = &bar {
            bar.set_position(bytes);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    eprintln!(
        "wrote {} files ({} copies of {} sample articles), {:.1} MB, into {}",
        written.files,
        written.sample_copies,
        sources.articles.len(),
        written.bytes as f64 / 1e6,
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn build(global: &Global, a: BuildArgs) -> Result<ExitCode> {
    let options = BuildOptions {
        date: a.date.as_deref().map(parse_date).transpose()?,
        extensions: a.globs,
        jobs: a.jobs,
        batch_quads: a.batch_quads,
        commit_quads: a.commit_quads,
    };
    let store = KgStore::open(&global.store)?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let (summary, seconds) = ingest::timed(|| {
        ingest::build(&store, &a.paths, &options, |path, done, total| {
            if let Some(bar) = &bar {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
                bar.set_message(path.display().to_string());
            }
        })
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!(
        "files read {} / skipped {} / rejected {}, statements {}, quads {}, {:.2} s",
        summary.read, summary.skipped, summary.rejected, summary.statements, summary.quads, seconds
    );
    Ok(if summary.rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn parse_binding(s: &str) -> Result<(String, oxigraph::model::Term)> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| scokg::Error::Usage(format!("--bind `{s}`: use NAME=<IRI> or NAME=text")))?;
    let term = if let Some(iri) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        oxigraph::model::NamedNode::new(iri)
            .map_err(|e| scokg::Error::Usage(format!("--bind {name}: {e}")))?
            .into()
    } else {
        oxigraph::model::Literal::new_simple_literal(value).into()
    };
    Ok((name.trim_start_matches('?').to_string(), term))
}

/// How long a query may run on after its --timeout cancelled it.
const QUERY_CANCEL_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

fn query_cmd(global: &Global, a: QueryArgs) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if a.list {
        let rows: Vec<Vec<String>> = query::LIBRARY
            .iter()
            .map(|q| vec![q.name.to_string(), q.question()])
            .collect();
        query::write_table(&mut out, &["name".into(), "question".into()], &rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let sparql = match (&a.expression, &a.query) {
        (Some(e), _) => e.clone(),
        (None, Some(q)) => {
            let path = PathBuf::from(q);
            if path.is_file() {
                std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?
            } else if let Some(n) = query::named(q) {
                n.sparql.to_string()
            } else {
                return Err(scokg::Error::Usage(format!(
                    "no query file or library query named `{q}`; see `scokg query --list`"
                ))
                .into());
            }
        }
        (None, None) => {
            return Err(scokg::Error::Usage(
                "give a query: FILE.rq, a NAME from --list, or -e SPARQL".into(),
            )
            .into())
        }
    };
    let bindings = a
        .bindings
        .iter()
        .map(|b| parse_binding(b))
        .collect::<Result<Vec<_>>>()?;
    let refs: Vec<(&str, oxigraph::model::Term)> = bindings
        .iter()
        .map(|(n, t)| (n.as_str(), t.clone()))
        .collect();
    let timeout = a
        .timeout
        .as_deref()
        .map(|secs| {
            secs.trim()
                .parse::<f64>()
                .ok()
                .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    scokg::Error::Usage(format!(
                        "--timeout {secs}: give a positive number of seconds"
                    ))
                })
        })
        .transpose()?;
    let update = scokg::store::is_update(&sparql);
    if update && !a.allow_update {
        return Err(scokg::Error::Usage(
            "this is a SPARQL UPDATE, which changes the store; add --allow-update to run it".into(),
        )
        .into());
    }
    if update && !refs.is_empty() {
        return Err(scokg::Error::Usage("--bind applies to queries, not to updates".into()).into());
    }
    let mut store = if update {
        KgStore::open_existing_for_writing(&global.store)?
    } else {
        KgStore::open_existing(&global.store)?
    };
    // A timer thread cancels the evaluation; dropping `_stop` ends the timer.
    let timed_out = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (_stop, stopped) = std::sync::mpsc::channel::<()>();
    if let Some(timeout) = timeout {
        let token = oxigraph::sparql::CancellationToken::new();
        store.set_cancellation_token(token.clone());
        let flag = timed_out.clone();
        std::thread::spawn(move || {
            use std::sync::mpsc::RecvTimeoutError::Timeout;
            if let Err(Timeout) = stopped.recv_timeout(timeout) {
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                token.cancel();
                // Some operators (a sort, a join's cross product) do not look
                // at the token; give them a moment, then end the process.
                if let Err(Timeout) = stopped.recv_timeout(QUERY_CANCEL_GRACE) {
                    eprintln!(
                        "scokg: query stopped after the --timeout of {} s; narrow the query or allow more time",
                        timeout.as_secs_f64()
                    );
                    std::process::exit(1);
                }
            }
        });
    }
    let result = if update {
        let before = store.len()?;
        // The update may have changed evidence: the stored report counts
        // follow.
        store
            .update(&sparql)
            .and_then(|()| store.refresh_report_counts())
            .map(|_| {
                let after = store.len().unwrap_or(before);
                eprintln!("update done: quads {before} before, {after} after");
            })
    } else {
        query::run(&store, &sparql, &refs, a.format, &mut out).map(|_| ())
    };
    if let Err(e) = result {
        if timed_out.load(std::sync::atomic::Ordering::SeqCst) {
            let secs = timeout.map_or(0.0, |t| t.as_secs_f64());
            return Err(scokg::Error::Usage(format!(
                "query stopped after the --timeout of {secs} s; narrow the query or allow more time"
            ))
            .into());
        }
        return Err(e.into());
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn export_cmd(global: &Global, a: ExportArgs) -> Result<ExitCode> {
    let store = KgStore::open_existing(&global.store)?;
    let mut buf = Vec::new();
    match a.format {
        ExportFormat::Dot | ExportFormat::Svg => {
            let options = PictureOptions {
                focus: a.focus,
                depth: a.depth,
                lang: a.lang,
            };
            export::write_dot(&store, &options, &mut buf)?;
            if a.format == ExportFormat::Svg {
                buf = export::dot_to_svg(&buf)?;
            }
        }
        f => export::write_rdf(&store, f, &mut buf)?,
    }
    match a.output {
        Some(path) => {
            std::fs::write(&path, &buf).map_err(|e| scokg::Error::Io { path, source: e })?
        }
        None => std::io::stdout().lock().write_all(&buf)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn import_cmd(global: &Global, a: ImportArgs) -> Result<ExitCode> {
    let store = KgStore::open(&global.store)?;
    let (mut quads, mut rejected) = (0, 0);
    for path in &a.files {
        match store.import(path) {
            Ok(n) => quads += n,
            // One line per bad file; the others are still loaded.
            Err(e) if e.is_user_error() => {
                eprintln!("warning: {e}");
                rejected += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
    // The store's total is not counted: that reads every quad of the store,
    // whose size has nothing to do with the files just loaded.
    eprintln!(
        "files loaded {} / rejected {rejected}, quads read {quads}",
        a.files.len() - rejected,
    );
    Ok(if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn lookup_cmd(global: &Global, a: LookupArgs) -> Result<ExitCode> {
    if let Some(d) = &a.as_of {
        parse_date(d)?;
    }
    let store = KgStore::open_existing(&global.store)?;
    let found = lookup::find(&store, &a.term)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if found.is_empty() {
        return Err(
            scokg::Error::Usage(format!("nothing in the graph matches `{}`", a.term)).into(),
        );
    }
    let chosen: Vec<&lookup::Entity> = match (found.len(), a.pick) {
        (1, _) => vec![&found[0]],
        (_, Some(n)) if n >= 1 && n <= found.len() => vec![&found[n - 1]],
        _ if a.json => found.iter().collect(),
        _ => {
            writeln!(
                out,
                "{} entities match `{}`; pick one with --pick N:",
                found.len(),
                a.term
            )?;
            for (i, e) in found.iter().enumerate() {
                writeln!(out, "  {}. {} ({}) {}", i + 1, e.label, e.class, e.iri)?;
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    let mut json = Vec::new();
    for e in chosen {
        let limit = (!a.all).then_some(REPORTS_PER_FACT);
        let facts = lookup::facts(&store, e, a.as_of.as_deref(), limit)?;
        if a.json {
            json.push(serde_json::json!({ "entity": e, "facts": facts }));
            continue;
        }
        let english = e
            .english
            .as_deref()
            .map(|s| format!(" / {s}"))
            .unwrap_or_default();
        writeln!(out, "{}{} — {} <{}>", e.label, english, e.class, e.iri)?;
        if let Some(d) = &a.as_of {
            writeln!(out, "as of {d}")?;
        }
        let mut kind = String::new();
        for (i, f) in facts.iter().enumerate() {
            if f.kind != kind {
                kind = f.kind.clone();
                writeln!(out, "\n{kind}")?;
            }
            let same_fact = |g: &lookup::FactLine| g.statement == f.statement && g.date == f.date;
            let first = i == 0 || !same_fact(&facts[i - 1]);
            if first {
                writeln!(out, "  {} {}", f.date.as_deref().unwrap_or("—"), f.summary)?;
            }
            writeln!(out, "    “{}”", f.quote)?;
            writeln!(out, "    {}:{} [{}]", f.file, f.line, f.rule)?;
            let last = facts.get(i + 1).is_none_or(|g| !same_fact(g));
            if last {
                let shown = facts[..=i]
                    .iter()
                    .rev()
                    .take_while(|g| same_fact(g))
                    .count();
                if f.reports > shown {
                    writeln!(
                        out,
                        "    … {} more report(s) of this fact (--all quotes them)",
                        f.reports - shown
                    )?;
                }
            }
        }
        if facts.is_empty() {
            writeln!(out, "  (no facts)")?;
        }
    }
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn eval_cmd(a: EvalArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&a.gold).map_err(|e| scokg::Error::Io {
        path: a.gold.clone(),
        source: e,
    })?;
    let gold = scokg::eval::parse(&a.gold, &text)?;
    let options = BuildOptions {
        date: a.date.as_deref().map(parse_date).transpose()?,
        ..BuildOptions::default()
    };
    let store = KgStore::in_memory()?;
    let summary = ingest::build(&store, &a.paths, &options, |_, _, _| {})?;
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    let report = scokg::eval::evaluate(&store, &gold)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for m in &report.messages {
        writeln!(out, "{m}")?;
    }
    writeln!(out, "{report}")?;
    Ok(ExitCode::SUCCESS)
}
