//! The `wirecheck` binary: the only place that prints and picks the exit code.

mod cli;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use cli::{Args, ColorChoice, Command, Format, InputKind, Options, RulesAction};
use wirecheck::baseline::Baseline;
use wirecheck::input::feed::{self, FeedFormat};
use wirecheck::input::{self, Decoded, FileEncoding, Source};
use wirecheck::report::csv::{CsvKind, CsvPrinter};
use wirecheck::report::github::GithubPrinter;
use wirecheck::report::json::JsonPrinter;
use wirecheck::report::sarif::SarifPrinter;
use wirecheck::report::text::TextPrinter;
use wirecheck::report::{Printer, Sink, Summary};
use wirecheck::{fix, Category, Checker, LanguageChoice, Report, RuleSet};

/// mimalloc: a document's many small vectors and strings cost fewer instructions to
/// allocate and free than with the system allocator, and the checking and printing
/// threads do not contend for its arenas.
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc called as Rust's system allocator calls `malloc`: its plain entry points for
/// the alignments every block has, the aligned ones only beyond. (The `mimalloc` crate's
/// allocator takes the aligned ones for every allocation: some thirty instructions more
/// each, about 1 % of a run on the wires.)
struct Mimalloc;

/// The alignment of every mimalloc block (a multiple of the word size).
const BLOCK_ALIGN: usize = std::mem::size_of::<usize>();

// SAFETY: each method hands the layout's request to mimalloc, which returns memory of at
// least the size asked for with the alignment asked for (the plain calls only for an
// alignment every block has), or null; what it returns is freed and resized by mimalloc.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            libmimalloc_sys::mi_malloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            libmimalloc_sys::mi_zalloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            libmimalloc_sys::mi_realloc(ptr.cast(), size).cast()
        } else {
            libmimalloc_sys::mi_realloc_aligned(ptr.cast(), size, layout.align()).cast()
        }
    }
}

/// mimalloc's `mi_option_purge_delay` (the 16th of `mi_option_e` in v2's mimalloc.h, which
/// libmimalloc-sys does not name).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Milliseconds freed memory stays with the allocator before it goes back to the system.
const PURGE_DELAY_MS: std::ffi::c_long = 1000;

/// Keeps memory that falls free for the allocator's reuse a while. By default mimalloc
/// hands it back to the system after 10 ms (`MADV_DONTNEED`), and the next chunk to need
/// it takes a page fault for each page again: 430 to 2,650 faults a run of the 100 MB
/// corpus (the more, the busier the machine) against about 390, and up to 0.2 s more
/// system time. After a second unused, memory still goes back. The peak on the corpus is
/// the same; where vectors grow to hundreds of MB, the buffers they leave are kept the
/// while (the README's hostile line of brackets). A delay set in the environment
/// (`MIMALLOC_PURGE_DELAY`) stands.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets an allocator option: no pointer is passed, and mimalloc reads this one
    // each time it would purge, so it may be set at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) }
}

/// Leaves transparent huge pages out of this process. mimalloc asks the kernel for them
/// (`MADV_HUGEPAGE`), and the kernel zeroes a 2 MB page whole on its first touch, however
/// little of it the heap uses; on this virtual machine the host takes freed pages back, and
/// that zeroing costs from nothing to 150 ms a run. With 4 KB pages, peak RSS on the 100
/// MB corpus is 47 MB against 66 (78 against 112 on two cores), start-up on the seed wire
/// is steadier (24-25 ms against 26-31 under `perf stat -r 40`, in a slow spell), and the
/// throughput is the same: 0.15 s less system time, as much more user time (TLB misses),
/// 16 runs each side by side. A choice set in the environment (`MIMALLOC_ALLOW_THP`) stands.
fn small_pages_only() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // Only a memory choice: where the kernel refuses it, nothing is lost.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

/// Exit codes: nothing reached the threshold, something did, an input or option failed.
const EXIT_CLEAN: u8 = 0;
const EXIT_FOUND: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// Documents checked together, a rule at a time (see [`Checker::check_batch`]): enough
/// for each rule's tables to be reused from the cache many times before the next rule's
/// push them out (64 against 16: 7 % less time on the 100 MB corpus, side by side).
const CHECKED_TOGETHER: usize = 64;

/// Documents handed to a thread at a time, checked a batch of [`CHECKED_TOGETHER`] after
/// another: threads wake each other (a futex call and a context switch each time) once
/// per chunk, four times less often than once per batch.
const JOBS_PER_CHUNK: usize = 4 * CHECKED_TOGETHER;

/// Input bytes past which a chunk is checked without waiting for more jobs.
const CHUNK_BYTES: u64 = 2 << 20;

/// Chunks in flight per thread (being checked, or checked and waiting for their turn to
/// be printed): enough to keep every thread busy while one chunk is slow...
const CHUNKS_PER_THREAD: usize = 4;

/// ...and input bytes in flight past which no chunk is started before one is printed
/// (once every thread has one): memory holds a few large documents, not hundreds.
const BYTES_IN_FLIGHT: u64 = 8 << 20;

fn main() -> ExitCode {
    keep_freed_memory();
    small_pages_only();
    let args = Args::parse();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            eprintln!("wirecheck: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Did the run stop because the reader of its output went away (`| head`)?
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn read_packs(paths: &[PathBuf]) -> Result<Vec<(String, String)>> {
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read rule pack", p.display()))?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}

/// A report file, or standard output for `-`.
fn open_output(path: &Path) -> Result<Sink> {
    if path.as_os_str() == "-" {
        Ok(Box::new(BufWriter::new(io::stdout())))
    } else {
        let f = File::create(path)
            .with_context(|| format!("{}: cannot create report", path.display()))?;
        Ok(Box::new(BufWriter::new(f)))
    }
}

fn run(args: &Args) -> Result<u8> {
    if let Some(Command::Rules {
        action: RulesAction::Test { packs },
    }) = &args.command
    {
        return rules_test(packs);
    }
    let options = args.options()?;
    if args.dump_config {
        if let Some(p) = &options.config_path {
            println!("# from {}", p.display());
        }
        print!("{}", options.config.to_toml());
        return Ok(EXIT_CLEAN);
    }
    let rules = RuleSet::load_with(
        &read_packs(&options.rule_packs)?,
        options.config.overrides(),
    )?;
    if args.list_rules {
        let mut out = io::stdout().lock();
        for r in &rules.rules {
            let lang = if r.language == "*" {
                "all"
            } else {
                &r.language
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                r.id, r.category, r.severity, lang, r.message
            )?;
        }
        return Ok(EXIT_CLEAN);
    }
    if let Some(id) = &args.explain {
        return explain(&rules, id);
    }
    let checker = std::sync::Arc::new(build_checker(rules, &options)?);
    // The rule regexes compile on the other core while the first files are read and checked.
    let preparing = std::sync::Arc::clone(&checker);
    std::thread::spawn(move || preparing.prepare());
    Run::new(args, &options, &checker)?.execute()
}

fn build_checker(rules: RuleSet, options: &Options) -> Result<Checker> {
    let mut checker = Checker::new(rules);
    let disable = options
        .config
        .disable
        .iter()
        .chain(&options.config.implied_disabled())
        .cloned()
        .collect::<Vec<_>>();
    for item in disable {
        if let Ok(category) = item.parse::<Category>() {
            checker.disabled_categories.insert(category);
        } else if checker.rules.rule(&item).is_some() {
            checker.disabled.insert(item);
        } else {
            let file = options
                .config_path
                .as_ref()
                .map_or("configuration".into(), |p| p.display().to_string());
            bail!("{file}: disable: `{item}` is neither a rule id nor a category");
        }
    }
    Ok(checker)
}

fn explain(rules: &RuleSet, id: &str) -> Result<u8> {
    let Some(r) = rules.rule(id) else {
        bail!("no rule `{id}` (see --list-rules)");
    };
    let mut out = io::stdout().lock();
    let lang = if r.language == "*" {
        "all languages"
    } else {
        &r.language
    };
    writeln!(
        out,
        "{} ({}, {}, weight {}, {})",
        r.id, r.category, r.severity, r.weight, lang
    )?;
    writeln!(out, "{}", r.message)?;
    if !r.description.is_empty() {
        writeln!(out, "\n{}", r.description)?;
    }
    writeln!(out, "\nFlags:")?;
    for b in &r.bad {
        writeln!(out, "  {:?}\n    flags {:?}", b.text, b.flag)?;
        if let Some(fixed) = &b.fixed {
            writeln!(out, "    fixed {fixed:?}")?;
        }
    }
    writeln!(out, "\nLeaves alone:")?;
    for g in &r.good {
        writeln!(out, "  {:?}", g.text)?;
    }
    writeln!(out, "\nDefined in {}", r.origin)?;
    Ok(EXIT_CLEAN)
}

fn rules_test(packs: &[PathBuf]) -> Result<u8> {
    let extra = read_packs(packs)?;
    let set = RuleSet::load(&extra)?;
    let mut out = io::stdout().lock();
    let (mut rules, mut examples, mut failures) = (0, 0, 0);
    for (path, _) in &extra {
        for rule in set
            .rules
            .iter()
            .filter(|r| r.origin.rsplit_once(':').is_some_and(|(f, _)| f == path))
        {
            rules += 1;
            examples += rule.bad.len() + rule.good.len();
            for failure in wirecheck::pack::examples::run_rule(&set, rule) {
                failures += 1;
                writeln!(out, "FAIL {failure}")?;
            }
        }
    }
    writeln!(
        out,
        "{rules} rules, {examples} examples, {failures} failures"
    )?;
    Ok(if failures > 0 { EXIT_FOUND } else { EXIT_CLEAN })
}

/// One checked document, or why it could not be checked.
struct Checked {
    name: String,
    outcome: Result<Done, String>,
}

/// Checked documents on their way to the printing side, and back to be freed: by the
/// pool thread that checked them (`by`), whose allocator holds their memory, or else by
/// the checking thread.
struct CheckedChunk {
    docs: Vec<Checked>,
    by: Option<usize>,
}

/// Printed chunks waiting to be freed by the pool thread that checked them, which does
/// so as it starts its next chunk. Freed by another thread, the memory of their reports
/// went back to its allocator block by block through atomic lists, to be collected
/// there again, and fresh pages were taken meanwhile: 4.6 % of the CPU time of `--jobs
/// 2` on the bench's wires (perf), 1.3 % once freed by their own thread, about 0.6 %
/// once their texts, read by the checking thread, are freed by it.
struct ToFree<T>(Vec<std::sync::Mutex<Vec<T>>>);

impl<T> ToFree<T> {
    fn new(threads: usize) -> Self {
        ToFree((0..threads).map(|_| Default::default()).collect())
    }

    /// Keeps `spent` for pool thread `by`, or frees it here.
    fn give_back(&self, by: Option<usize>, spent: T) {
        if let Some(waiting) = by.and_then(|thread| self.0.get(thread)) {
            lock(waiting).push(spent);
        }
    }

    /// Frees what waits for pool thread `thread`.
    fn free(&self, thread: usize) {
        if let Some(waiting) = self.0.get(thread) {
            let spent = std::mem::take(&mut *lock(waiting));
            drop(spent); // outside the lock
        }
    }
}

/// The value of `mutex`, also after a panic elsewhere (a chunk to free is never left
/// half-changed).
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

struct Done {
    report: Report,
    encoding: FileEncoding,
    /// The file's bytes as read, kept for --fix only (files only).
    bytes: Option<Vec<u8>>,
    source: Option<Source>,
}

/// Something to check: a file or standard input, or a feed record.
enum Job {
    /// A file or standard input, and its bytes (read where jobs are made: see
    /// [`Checking::for_each_chunk`]).
    Source(Source, Vec<u8>),
    Record(String, String, Option<wirecheck::text::Origin>),
    Failed(String, String),
}

impl Job {
    /// The name reports give the job.
    fn name(&self) -> String {
        match self {
            Job::Source(source, _) => source.display_name(),
            Job::Record(name, ..) | Job::Failed(name, _) => name.clone(),
        }
    }

    /// About how many bytes the job brings in (a file's size, a record's text).
    fn size(&self) -> u64 {
        match self {
            Job::Source(_, bytes) => bytes.len() as u64,
            Job::Record(_, text, _) => text.len() as u64,
            Job::Failed(..) => 0,
        }
    }
}

/// A job read and decoded, ready to check: its report is all that is missing.
struct Loaded {
    decoded: Decoded,
    encoding: FileEncoding,
    bytes: Option<Vec<u8>>,
    source: Option<Source>,
    origin: Option<wirecheck::text::Origin>,
}

/// Decodes a job: the first half of checking it.
fn load(job: Job, keep_bytes: bool) -> Result<Loaded, String> {
    match job {
        Job::Source(source, bytes) => {
            let kept = keep_bytes.then(|| bytes.clone());
            input::decode_owned(bytes)
                .map_err(|e| e.to_string())
                .map(|decoded| Loaded {
                    encoding: decoded.encoding(),
                    decoded,
                    bytes: kept,
                    source: Some(source),
                    origin: None,
                })
        }
        Job::Record(_, text, origin) => {
            let decoded = Decoded::from_text(text);
            Ok(Loaded {
                encoding: decoded.encoding(),
                decoded,
                bytes: None,
                source: None,
                origin,
            })
        }
        Job::Failed(_, message) => Err(message),
    }
}

/// Checks a few jobs together (see [`Checker::check_batch`]): the outcome of each, in
/// order.
fn work(
    checker: &Checker,
    language: &LanguageChoice,
    jobs: Vec<Job>,
    keep_bytes: bool,
) -> Vec<Result<Done, String>> {
    let mut loaded: Vec<Result<Loaded, String>> =
        jobs.into_iter().map(|job| load(job, keep_bytes)).collect();
    let texts = loaded
        .iter_mut()
        .filter_map(|r| r.as_mut().ok())
        .map(|r| std::mem::take(&mut r.decoded))
        .collect();
    let mut reports = checker.check_batch(texts, language).into_iter();
    loaded
        .into_iter()
        .map(|loaded| {
            loaded.map(|r| {
                let mut report = reports.next().expect("one report per text");
                report.document.origin = r.origin;
                Done {
                    report,
                    encoding: r.encoding,
                    bytes: r.bytes,
                    source: r.source,
                }
            })
        })
        .collect()
}

/// The outcomes of `check()` for the documents of `names`, or, should it panic, an error
/// for each.
fn survive_panic(
    names: Vec<String>,
    check: impl FnOnce() -> Vec<Result<Done, String>>,
) -> Vec<Checked> {
    let outcomes = std::panic::catch_unwind(std::panic::AssertUnwindSafe(check));
    let message = "internal error: the check panicked (please report it with this file)";
    let outcomes = outcomes.unwrap_or_else(|_| names.iter().map(|_| Err(message.into())).collect());
    debug_assert_eq!(outcomes.len(), names.len());
    names
        .into_iter()
        .zip(outcomes)
        .map(|(name, outcome)| Checked { name, outcome })
        .collect()
}

/// Jobs gathered into one chunk: at most JOBS_PER_CHUNK, or fewer that bring
/// CHUNK_BYTES (a large document is a chunk of its own).
#[derive(Default)]
struct Chunk {
    jobs: Vec<Job>,
    bytes: u64,
}

impl Chunk {
    /// Adds a job; true when the chunk is full.
    fn push(&mut self, job: Job) -> bool {
        self.bytes += job.size();
        self.jobs.push(job);
        self.jobs.len() >= JOBS_PER_CHUNK || self.bytes >= CHUNK_BYTES
    }
}

/// The chunks in flight on the pool, and the checked ones waiting to be printed in order.
struct Window {
    threads: usize,
    /// Number of the next chunk to start, and of the next to print.
    next: u64,
    next_out: u64,
    /// Input bytes of each chunk started and not yet printed, by number.
    bytes: std::collections::VecDeque<u64>,
    checked: std::collections::BTreeMap<u64, CheckedChunk>,
}

impl Window {
    fn new(threads: usize) -> Self {
        Window {
            threads,
            next: 0,
            next_out: 0,
            bytes: Default::default(),
            checked: Default::default(),
        }
    }

    fn in_flight(&self) -> usize {
        self.bytes.len()
    }

    /// Must a chunk be printed before the next one starts?
    fn is_full(&self) -> bool {
        let bytes: u64 = self.bytes.iter().sum();
        self.in_flight() >= self.threads * CHUNKS_PER_THREAD
            || (bytes >= BYTES_IN_FLIGHT && self.in_flight() >= self.threads)
    }

    /// Takes the number of a chunk of `bytes` about to start.
    fn start(&mut self, bytes: u64) -> u64 {
        self.bytes.push_back(bytes);
        self.next += 1;
        self.next - 1
    }

    /// Files chunk `number`, checked, and hands every chunk now due, in order, to
    /// `print`; false once `print` has failed (the printing side has gone).
    fn finish(
        &mut self,
        number: u64,
        checked: CheckedChunk,
        print: &mut dyn FnMut(CheckedChunk) -> bool,
    ) -> bool {
        self.checked.insert(number, checked);
        while let Some(due) = self.checked.remove(&self.next_out) {
            self.next_out += 1;
            self.bytes.pop_front();
            if !print(due) {
                return false;
            }
        }
        true
    }
}

/// The checking side of a run: turns inputs into jobs, checks them in chunks on the
/// pool, and hands the checked chunks, in input order, to the printing side.
struct Checking<'a> {
    args: &'a Args,
    checker: &'a Checker,
    language: &'a LanguageChoice,
    /// None: one thread, which checks each chunk and has it printed (see [`Self::produce`]).
    pool: Option<&'a rayon::ThreadPool>,
    threads: usize,
    /// Printed chunks waiting for the pool thread that checked them to free them.
    to_free: ToFree<Vec<Checked>>,
}

impl Checking<'_> {
    /// Checks every source (or every record of every feed) and hands each checked chunk,
    /// in input order, to `print`. Stops when `print` returns false (an error on the
    /// printing side, or a closed pipe).
    ///
    /// Without a pool, each chunk is checked here and printed at once, by this thread:
    /// its reports are still in the cache, and no other thread is woken.
    fn produce(&self, sources: Vec<Source>, print: &mut dyn FnMut(CheckedChunk) -> bool) {
        let Some(pool) = self.pool else {
            self.for_each_chunk(sources, |chunk| {
                let docs = self.work(chunk);
                print(CheckedChunk { docs, by: None })
            });
            return;
        };
        // Chunks run on the pool as threads come free, never waiting for a whole batch:
        // this thread starts them and prints them in order as they come back.
        pool.in_place_scope(|scope| {
            let (done_tx, done_rx) = std::sync::mpsc::channel::<(u64, CheckedChunk)>();
            let mut window = Window::new(self.threads);
            let mut receive = |window: &mut Window| match done_rx.recv() {
                Ok((number, checked)) => window.finish(number, checked, print),
                Err(_) => false,
            };
            let mut open = true;
            self.for_each_chunk(sources, |chunk| {
                while open && window.is_full() {
                    open = receive(&mut window);
                }
                if open {
                    let number = window.start(chunk.bytes);
                    let (done_tx, to_free) = (done_tx.clone(), &self.to_free);
                    scope.spawn(move |_| {
                        let by = rayon::current_thread_index();
                        by.inspect(|&thread| to_free.free(thread));
                        let docs = self.work(chunk);
                        let _ = done_tx.send((number, CheckedChunk { docs, by }));
                    });
                }
                open
            });
            while open && window.in_flight() > 0 {
                open = receive(&mut window);
            }
        });
    }

    /// Gathers the jobs of every source (or of every record of every feed) into chunks
    /// and hands each to `f`, until `f` returns false. Files are read here, not on the
    /// pool: a chunk's size is known before it starts (it bounds the bytes in flight)
    /// without asking each file its size by path, a system call more a file.
    fn for_each_chunk(&self, sources: Vec<Source>, mut f: impl FnMut(Chunk) -> bool) {
        let mut chunk = Chunk::default();
        let mut reader = input::Reader::default();
        // Adds a job; false once `f` has said to stop.
        let mut push = |job: Job| !chunk.push(job) || f(std::mem::take(&mut chunk));
        for source in sources {
            let open = match self.args.input {
                InputKind::Text => push(match reader.read(&source) {
                    Ok(bytes) => Job::Source(source, bytes),
                    Err(e) => Job::Failed(source.display_name(), format!("cannot read: {e}")),
                }),
                _ => self.read_feed(source, &mut push),
            };
            if !open {
                return;
            }
        }
        if !chunk.jobs.is_empty() {
            f(chunk);
        }
    }

    /// Checks a chunk, a batch at a time. Should a check panic (a bug), the documents of
    /// its batch are reported as errors and the run goes on; a chunk on the pool always
    /// comes back.
    fn work(&self, chunk: Chunk) -> Vec<Checked> {
        let mut jobs = chunk.jobs.into_iter();
        let mut checked = Vec::with_capacity(jobs.len());
        loop {
            let batch: Vec<Job> = jobs.by_ref().take(CHECKED_TOGETHER).collect();
            if batch.is_empty() {
                return checked;
            }
            // A batch that panics loses only its own documents.
            let names: Vec<String> = batch.iter().map(Job::name).collect();
            let check = || work(self.checker, self.language, batch, self.args.fix);
            checked.extend(survive_panic(names, check));
        }
    }

    /// Turns the records of a feed into jobs (a malformed record into a failed one), until
    /// `push` returns false; returns false then (the feed is not read to its end).
    fn read_feed(&self, source: Source, push: &mut dyn FnMut(Job) -> bool) -> bool {
        let name = source.display_name();
        let format = match self.args.input {
            InputKind::Jsonl => FeedFormat::Jsonl {
                text_field: self.args.text_field.clone(),
                id_field: self.args.id_field.clone(),
            },
            InputKind::Csv => FeedFormat::Csv {
                text_column: self.args.text_column.clone(),
                id_column: self.args.id_column.clone(),
            },
            _ => FeedFormat::Ninjs,
        };
        let reader: Box<dyn Read> = match &source {
            Source::Stdin => Box::new(io::stdin()),
            Source::File(p) => match File::open(p) {
                Ok(f) => Box::new(f),
                Err(e) => return push(Job::Failed(name, format!("cannot read: {e}"))),
            },
        };
        let mut open = true;
        let read = feed::read(reader, &name, &format, |record| {
            open = push(match record {
                Ok(r) => Job::Record(r.id, r.text, r.origin),
                Err(e) => Job::Failed(
                    format!("{name}:{}", e.line),
                    format!("malformed record: {}", e.message),
                ),
            });
            if open {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        });
        match read {
            Err(e) if open => push(Job::Failed(name, e.to_string())),
            _ => open,
        }
    }
}

/// The printing side of a run: printers, baseline, fixes and the exit code.
struct Run<'a> {
    args: &'a Args,
    options: &'a Options,
    checker: &'a Checker,
    printers: Vec<Box<dyn Printer>>,
    baseline: Option<Baseline>,
    new_baseline: Option<Baseline>,
    summary: Summary,
    progress: indicatif::ProgressBar,
    had_error: bool,
    failed: bool,
}

impl<'a> Run<'a> {
    fn new(args: &'a Args, options: &'a Options, checker: &'a Checker) -> Result<Self> {
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        let mut printers: Vec<Box<dyn Printer>> = Vec::new();
        // With --diff, or --fix on standard input, standard output carries the text itself.
        let stdout_is_text =
            args.diff || (args.fix && args.paths.iter().all(|p| p.as_os_str() == "-"));
        if !stdout_is_text {
            let out: Sink = Box::new(BufWriter::new(io::stdout()));
            printers.push(match args.format {
                Format::Text => Box::new(TextPrinter::new(out, color)),
                Format::Json => Box::new(JsonPrinter::new(out)),
                Format::Csv => Box::new(CsvPrinter::new(CsvKind::Sentences, out)?),
                Format::FindingsCsv => Box::new(CsvPrinter::new(CsvKind::Findings, out)?),
                Format::Sarif => Box::new(SarifPrinter::new(out, &checker.rules)),
                Format::Github => Box::new(GithubPrinter::new(out)),
            });
        }
        if let Some(p) = &args.findings {
            printers.push(Box::new(CsvPrinter::new(
                CsvKind::Findings,
                open_output(p)?,
            )?));
        }
        if let Some(p) = &args.csv {
            printers.push(Box::new(CsvPrinter::new(
                CsvKind::Sentences,
                open_output(p)?,
            )?));
        }
        let baseline = args
            .baseline
            .as_deref()
            .map(Baseline::load)
            .transpose()
            .map_err(anyhow::Error::msg)?;
        let show_progress = io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let progress = if show_progress {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        Ok(Run {
            args,
            options,
            checker,
            printers,
            baseline,
            new_baseline: args.write_baseline.as_ref().map(|_| Baseline::default()),
            summary: Summary::default(),
            progress,
            had_error: false,
            failed: false,
        })
    }

    fn execute(mut self) -> Result<u8> {
        let (sources, errors) = input::expand(&self.args.paths, &self.args.extensions());
        for e in errors {
            eprintln!("wirecheck: {}: {}", e.name, e.message);
            self.had_error = true;
        }
        if self.args.input != InputKind::Text && (self.args.fix || self.args.diff) {
            bail!("--fix and --diff work on files and standard input, not on feeds");
        }
        if self.args.input == InputKind::Text && sources.len() > 1 {
            self.progress.set_length(sources.len() as u64);
        }
        let mut threads = self
            .args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        if self.args.input == InputKind::Text {
            threads = threads.min(sources.len().max(1)); // one file: no pool to start
        }
        let pool = match threads {
            1 => None,
            n => Some(rayon::ThreadPoolBuilder::new().num_threads(n).build()?),
        };
        let checking = Checking {
            args: self.args,
            checker: self.checker,
            language: &self.options.language,
            pool: pool.as_ref(),
            threads,
            to_free: ToFree::new(threads),
        };
        if pool.is_none() {
            // One thread: each chunk is printed here as soon as it is checked.
            let mut failure = None;
            checking.produce(sources, &mut |mut chunk| {
                let printed = self.print(&mut chunk);
                printed.map_err(|e| failure = Some(e)).is_ok()
            });
            if let Some(e) = failure {
                return Err(e);
            }
        } else {
            self.print_from_checking_thread(&checking, sources)?;
        }
        self.finish()
    }

    /// Runs `checking` on a thread of its own, which checks the next chunks on the pool
    /// while this one prints them (one more may wait between them); an error in printing
    /// ends the run. Printed chunks go back to that thread to be freed by the thread that
    /// allocated them (see [`ToFree`]).
    fn print_from_checking_thread(
        &mut self,
        checking: &Checking<'_>,
        sources: Vec<Source>,
    ) -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<CheckedChunk>(1);
        let (spent_tx, spent_rx) = std::sync::mpsc::channel::<CheckedChunk>();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                checking.produce(sources, &mut |checked| {
                    for mut chunk in spent_rx.try_iter() {
                        // Texts read from files were allocated by this thread: freed here.
                        for done in chunk
                            .docs
                            .iter_mut()
                            .filter_map(|c| c.outcome.as_mut().ok())
                        {
                            drop(std::mem::take(&mut done.report.document.text));
                        }
                        checking.to_free.give_back(chunk.by, chunk.docs);
                    }
                    tx.send(checked).is_ok()
                })
            });
            for mut batch in rx {
                self.print(&mut batch)?;
                let _ = spent_tx.send(batch); // freed on the checking side
            }
            Ok(())
        })
    }

    /// Prints the documents of `chunk` (an error for each that could not be checked).
    fn print(&mut self, chunk: &mut CheckedChunk) -> Result<()> {
        for checked in &mut chunk.docs {
            self.progress.inc(1);
            match &mut checked.outcome {
                Ok(done) => self.report(&checked.name, done)?,
                Err(message) => {
                    self.progress
                        .suspend(|| eprintln!("wirecheck: {}: {message}", checked.name));
                    self.had_error = true;
                }
            }
        }
        Ok(())
    }

    /// Ends the run: the printers' last words, the baseline, the exit code.
    fn finish(&mut self) -> Result<u8> {
        self.progress.finish_and_clear();
        for p in &mut self.printers {
            p.finish(&self.summary)?;
        }
        if let (Some(b), Some(path)) = (&self.new_baseline, &self.args.write_baseline) {
            b.save(path)
                .with_context(|| format!("{}: cannot write baseline", path.display()))?;
        }
        Ok(if self.had_error {
            EXIT_ERROR
        } else if self.failed {
            EXIT_FOUND
        } else {
            EXIT_CLEAN
        })
    }

    fn report(&mut self, name: &str, done: &mut Done) -> Result<()> {
        if let Some(b) = &mut self.baseline {
            b.filter(name, &mut done.report);
        }
        if let Some(b) = &mut self.new_baseline {
            b.record(name, &done.report);
        }
        let after_fixes = if self.args.fix || self.args.diff {
            self.fix(name, done)?
        } else {
            None
        };
        let remaining = after_fixes.as_deref().unwrap_or(&done.report.findings);
        let threshold = self.options.fail_on;
        self.failed |= threshold.is_some_and(|t| remaining.iter().any(|f| f.severity >= t))
            || self
                .options
                .min_score
                .is_some_and(|min| done.report.scores.iter().any(|s| s.score < min));
        self.summary.add(name, &done.report);
        for p in &mut self.printers {
            p.document(name, &done.report)?;
        }
        Ok(())
    }

    /// Applies (--fix) or shows (--diff) the safe fixes; returns the findings left after fixing.
    fn fix(&mut self, name: &str, done: &Done) -> Result<Option<Vec<wirecheck::Finding>>> {
        let language = &self.options.language;
        let fix::Fixed {
            text: fixed,
            applied: count,
            remaining: left,
        } = fix::fix_all(self.checker, &done.report.document.text, language);
        if self.args.diff {
            print!(
                "{}",
                fix::unified_diff(name, &done.report.document.text, &fixed)
            );
            return Ok(None);
        }
        match &done.source {
            Some(Source::Stdin) | None => {
                io::stdout().write_all(&done.encoding.encode(&fixed))?;
            }
            Some(Source::File(path)) => {
                if count == 0 {
                    return Ok(Some(left));
                }
                if !done.encoding.lossless {
                    eprintln!("wirecheck: {name}: not fixed: the file is not valid UTF-8 and would not be written back unchanged");
                    self.had_error = true;
                    return Ok(None);
                }
                let original = done.bytes.as_deref().unwrap_or_default();
                match fix::write_atomically(path, original, &done.encoding.encode(&fixed)) {
                    Ok(()) => eprintln!(
                        "wirecheck: {name}: fixed {count} finding{}",
                        if count == 1 { "" } else { "s" }
                    ),
                    Err(e) => {
                        eprintln!("wirecheck: {name}: {e}");
                        self.had_error = true;
                        return Ok(None);
                    }
                }
            }
        }
        Ok(Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allocator_keeps_freed_memory() {
        // SAFETY: reads an allocator option.
        let purge_delay = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        let before = purge_delay();
        keep_freed_memory();
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            // Whatever mimalloc made of the setting stands.
            assert_eq!(purge_delay(), before);
        } else {
            // mimalloc's default of 10 ms: the number names this option, not a neighbour.
            assert_eq!(before, 10);
            assert_eq!(purge_delay(), PURGE_DELAY_MS);
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_process_takes_no_huge_pages() {
        small_pages_only();
        let disabled = rustix::thread::transparent_huge_pages_are_disabled().unwrap();
        assert_eq!(disabled, std::env::var_os("MIMALLOC_ALLOW_THP").is_none());
    }

    #[test]
    fn the_allocator_gives_every_alignment_asked_for_and_keeps_bytes_on_resizing() {
        use std::alloc::{GlobalAlloc, Layout};
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 7, 8, 24, 40, 100, 5000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a layout of non-zero size; each block is written within its
                // size, resized and freed once, with the layout it has.
                unsafe {
                    let zeroed = Mimalloc.alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0, "{size} {align}");
                    assert!(std::slice::from_raw_parts(zeroed, size)
                        .iter()
                        .all(|&b| b == 0));
                    Mimalloc.dealloc(zeroed, layout);
                    let block = Mimalloc.alloc(layout);
                    assert_eq!(block as usize % align, 0, "{size} {align}");
                    (0..size).for_each(|i| *block.add(i) = i as u8);
                    let grown = Mimalloc.realloc(block, layout, 3 * size);
                    assert_eq!(grown as usize % align, 0, "{size} {align} grown");
                    assert!((0..size).all(|i| *grown.add(i) == i as u8));
                    Mimalloc.dealloc(grown, Layout::from_size_align(3 * size, align).unwrap());
                }
            }
        }
    }

    /// A feed record of `bytes` bytes.
    fn job(bytes: usize) -> Job {
        Job::Record("id".into(), "x".repeat(bytes), None)
    }

    #[test]
    fn a_chunk_is_full_at_its_count_or_its_size() {
        let mut chunk = Chunk::default();
        let full: Vec<bool> = (0..JOBS_PER_CHUNK)
            .map(|_| chunk.push(job(2_000)))
            .collect();
        assert_eq!(full.iter().filter(|f| **f).count(), 1);
        assert!(full[JOBS_PER_CHUNK - 1]);
        let mut chunk = Chunk::default();
        assert!(!chunk.push(job(10)));
        assert!(
            chunk.push(job(CHUNK_BYTES as usize)),
            "a large document closes it"
        );
        assert_eq!(chunk.bytes, CHUNK_BYTES + 10);
    }

    fn checked(name: &str) -> CheckedChunk {
        let docs = vec![Checked {
            name: name.into(),
            outcome: Err(String::new()),
        }];
        CheckedChunk { docs, by: None }
    }

    #[test]
    fn the_window_prints_in_order_whatever_order_chunks_finish_in() {
        let mut window = Window::new(2);
        let numbers: Vec<u64> = (0..3).map(|_| window.start(10)).collect();
        assert_eq!(numbers, [0, 1, 2]);
        let mut printed = Vec::new();
        let mut print = |c: CheckedChunk| {
            printed.push(c.docs[0].name.clone());
            true
        };
        assert!(window.finish(2, checked("c"), &mut print));
        assert!(window.finish(1, checked("b"), &mut print));
        assert_eq!(window.in_flight(), 3, "nothing is due before the first");
        assert!(window.finish(0, checked("a"), &mut print));
        assert_eq!(printed, ["a", "b", "c"]);
        assert_eq!(window.in_flight(), 0);
        // A printing side that has gone stops the run.
        window.start(10);
        assert!(!window.finish(3, checked("d"), &mut |_| false));
    }

    #[test]
    fn a_check_that_panics_reports_its_documents_as_errors() {
        let names = vec!["a.txt".to_string(), "b.txt".to_string()];
        let failed = survive_panic(names, || panic!("a detector bug"));
        assert_eq!(failed.len(), 2);
        assert_eq!(failed[1].name, "b.txt");
        let message = failed[1].outcome.as_ref().err();
        assert!(message.is_some_and(|e| e.contains("panicked")));
        let fine = survive_panic(vec!["a.txt".into()], || vec![Err("unreadable".into())]);
        assert_eq!(fine[0].name, "a.txt");
        assert_eq!(fine[0].outcome.as_ref().err().unwrap(), "unreadable");
    }

    #[test]
    fn spent_chunks_wait_for_the_thread_that_checked_them() {
        let to_free = ToFree::new(2);
        let chunk = std::sync::Arc::new(());
        to_free.give_back(Some(1), chunk.clone());
        to_free.give_back(None, chunk.clone());
        to_free.give_back(Some(7), chunk.clone());
        assert_eq!(
            std::sync::Arc::strong_count(&chunk),
            2,
            "kept for thread 1 only"
        );
        to_free.free(0);
        assert_eq!(std::sync::Arc::strong_count(&chunk), 2);
        to_free.free(1);
        assert_eq!(std::sync::Arc::strong_count(&chunk), 1);
    }

    #[test]
    fn the_window_bounds_chunks_and_bytes_in_flight() {
        let mut window = Window::new(2);
        for _ in 0..2 * CHUNKS_PER_THREAD - 1 {
            window.start(1_000);
        }
        assert!(!window.is_full());
        window.start(1_000);
        assert!(window.is_full());
        let mut window = Window::new(2);
        window.start(BYTES_IN_FLIGHT);
        assert!(!window.is_full(), "one thread would be idle");
        window.start(1);
        assert!(window.is_full());
    }
}
