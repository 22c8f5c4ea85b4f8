//! A check, driven by any front end (the command line, a test, a service): options →
//! [`Plan::new`] (rules, config, review files and the list of files, every problem kept)
//! → [`Plan::run`] (the batch, rendered as a stream) → the exit status.
//!
//! Files are checked on every core and reported in path order as soon as each file and
//! all before it are done, each rendered on the thread that checked it; memory holds the
//! files in flight, per-file counts for the summary table, and nothing else per file.
//!
//! Exit codes: 0 when nothing fails; 1 when a finding fails the run (`fail_on`); 2 when
//! an option, a file or a rule could not be used (after everything else was checked
//! and reported).

use super::files::{Wanted, collect};
use super::output::Output;
use super::progress::Progress;
use super::rules::RuleOptions;
use crate::batch;
use crate::engine::Engine;
use crate::finding::FailOn;
use crate::pipeline::{FileReport, check_bytes_with, check_path_with};
use crate::problem::Problem;
use crate::read::{Knowledge, Limits};
use crate::render::github::Github;
use crate::render::gitlab::Gitlab;
use crate::render::html::Html;
use crate::render::human::Human;
use crate::render::json::Json;
use crate::render::junit::Junit;
use crate::render::sarif::Sarif;
use crate::render::statistics::Statistics;
use crate::render::{End, FileProblems, Render, Row, Run, Summary};
use crate::review::{Baseline, Decisions, Review, Reviewed, baseline, folder_of};
use crate::rules::{Rule, RuleSet};
use crate::source::SourceFile;
use std::cell::{Cell, RefCell};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// What to check and how to report it.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// Report files, or directories searched recursively; `-` is standard input.
    pub paths: Vec<PathBuf>,
    /// The name shown for the report read from standard input (default `<stdin>`).
    pub stdin_name: Option<String>,
    /// Per-rule counts after the summary table (human format).
    pub statistics: bool,
    pub rules: RuleOptions,
    pub format: OutputFormat,
    /// Where the output goes; `None`: standard output.
    pub output: Option<PathBuf>,
    /// Only the per-file summary table and the summary line (human format).
    pub summary_only: bool,
    pub fail_on: FailOn,
    /// A reviewer's decisions file.
    pub decisions: Option<PathBuf>,
    /// A baseline file: only findings not in it fail the run.
    pub baseline: Option<PathBuf>,
    /// Where to write the findings that fail the run, as a baseline.
    pub write_baseline: Option<PathBuf>,
    /// Files checked at once; `None`: one per core.
    pub jobs: Option<NonZeroUsize>,
    /// ANSI colour in human output.
    pub color: bool,
    /// Limits on reading each file (and, for size and depth, hecha's own files).
    pub limits: Limits,
    /// Most data nodes the rules may visit over one file (`0`: no limit): the engine's
    /// step budget ([`crate::engine::Budget`]).
    pub max_steps: u64,
}

/// The output formats of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    Junit,
    /// One self-contained page for a browser.
    Html,
    /// GitHub Actions workflow annotations.
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
}

/// A data file to check with the rules of a group, or a path that named none.
enum Job {
    File(PathBuf, usize),
    Missing(FileReport),
    /// The report on standard input (`-`), with the name to show for it.
    Stdin(String, usize),
}

impl Job {
    fn name(&self) -> String {
        match self {
            Job::File(path, _) => crate::pipeline::path_name(path),
            Job::Missing(report) => report.source.name.clone(),
            Job::Stdin(name, _) => name.clone(),
        }
    }
}

/// What checking one file hands to the thread that writes the output.
struct Outcome {
    part: Vec<u8>,
    row: Row,
    reviewed: Reviewed,
}

/// A check planned: the rules of each group of files, the review files, and the files to
/// check, with every problem found so far. Nothing is written until [`Plan::run`].
pub struct Plan {
    options: CheckOptions,
    groups: Vec<Group>,
    /// Every rule some file runs, once: what SARIF and JUnit describe, and decisions name.
    /// `None` when there is one group of files (most runs): then its rules, not copied.
    all_rules: Option<Vec<Rule>>,
    rule_problems: Vec<FileProblems>,
    review: Review,
    review_problems: Vec<FileProblems>,
    jobs: Vec<Job>,
}

/// How a check ended: its exit code, and what to tell the user on standard error
/// (each message without the `hecha: ` a command line puts before it).
#[derive(Debug)]
pub struct Ended {
    pub exit_code: u8,
    pub messages: Vec<String>,
}

impl Ended {
    fn refused(message: String) -> Ended {
        Ended {
            exit_code: 2,
            messages: vec![message],
        }
    }
}

impl Plan {
    /// Loads the config, rules and review files and lists the files to check. Sets the
    /// limits on hecha's own files ([`crate::pipeline::set_input_limits`]).
    pub fn new(options: CheckOptions) -> Plan {
        crate::pipeline::set_input_limits(&options.limits);
        let (groups, rule_problems) = load_rules(&options);
        let all_rules = (groups.len() > 1).then(|| {
            let mut all_rules: Vec<Rule> = Vec::new();
            for g in &groups {
                for r in &g.rules.rules {
                    if !all_rules.iter().any(|x| x.id == r.id) {
                        all_rules.push(r.clone());
                    }
                }
            }
            all_rules
        });
        let (review, review_problems) = load_review(&options, every_rule(&groups, &all_rules));
        let jobs = jobs(&options.paths, &groups, options.stdin_name.as_deref());
        Plan {
            options,
            groups,
            all_rules,
            rule_problems,
            review,
            review_problems,
            jobs,
        }
    }

    /// How many files the check will report on (paths that named none included).
    pub fn files(&self) -> usize {
        self.jobs.len()
    }

    /// Checks every file, writes the output, and gives the exit code.
    pub fn run(self) -> Ended {
        self.check(true)
    }

    /// [`Plan::run`], for a process that exits next: the rules and what was made of them
    /// are left for the system to free with the process (freeing them was a twentieth of
    /// a cold check of one report).
    pub fn run_and_exit(self) -> Ended {
        self.check(false)
    }

    fn check(self, free: bool) -> Ended {
        let Plan {
            options: args,
            groups,
            all_rules,
            rule_problems,
            review,
            mut review_problems,
            jobs,
        } = self;
        let args = &args;
        let engines: Vec<Engine<'_>> = groups
            .iter()
            .map(|g| Engine::new(&g.rules.rules).with_max_steps(args.max_steps))
            .collect();
        if let Some(refusal) = overwrites_an_input(args, &jobs) {
            return Ended::refused(refusal);
        }
        let mut messages = Vec::new();
        let mut output = match Output::open(args.output.as_deref()) {
            Ok(output) => output,
            Err(e) => {
                let path = args.output.as_deref().unwrap_or(Path::new("-")).display();
                return Ended::refused(format!("cannot write {path}: {e}"));
            }
        };
        let run = Run {
            rules: every_rule(&groups, &all_rules),
            rule_problems: &rule_problems,
            fail_on: args.fail_on,
            baseline: review.baseline.is_some(),
            summary_only: args.summary_only,
            color: args.color,
        };
        let render: Box<dyn Render> = match args.format {
            OutputFormat::Human if args.statistics => Box::new(Statistics::new(Human)),
            OutputFormat::Human => Box::new(Human),
            OutputFormat::Json => Box::new(Json),
            OutputFormat::Sarif => Box::new(Sarif::default()),
            OutputFormat::Junit => Box::new(Junit::default()),
            OutputFormat::Html => Box::new(Html::default()),
            OutputFormat::Github => Box::new(Github),
            OutputFormat::Gitlab => Box::new(Gitlab),
        };

        let mut summary = Summary::default();
        let mut rows = Vec::new();
        let decisions = review.decisions.as_ref().map_or(0, Decisions::len);
        let (mut judged, mut matched) = (vec![false; decisions], vec![false; decisions]);
        let mut near: Vec<Option<String>> = vec![None; decisions];
        let mut baseline_text = String::from(baseline::HEADER);
        let mut parts = false;
        let limits = &args.limits;
        let late_head = render.head_needs_end();
        if late_head {
            if let Err(e) = output.spool() {
                return Ended::refused(format!("cannot make a temporary file for the output: {e}"));
            }
        } else {
            output.write(&render.head(&run));
        }
        // Standard input, read once, before the workers start.
        let stdin = jobs
            .iter()
            .any(|j| matches!(j, Job::Stdin(..)))
            .then(|| read_stdin(limits.max_file_size));
        // One file runs on this thread: no need to ask the system for its cores.
        let threads = match args.jobs {
            Some(jobs) => jobs.get(),
            None if jobs.len() <= 1 => 1,
            None => std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        };
        let check = |i: usize| {
            let mut report = match &jobs[i] {
                Job::File(path, group) => {
                    check_path_with(&engines[*group], path, limits, &groups[*group].knowledge)
                }
                Job::Missing(report) => report.clone(),
                Job::Stdin(name, group) => match &stdin {
                    Some(Ok(bytes)) => check_bytes_with(
                        &engines[*group],
                        name.clone(),
                        bytes,
                        limits,
                        &groups[*group].knowledge,
                    ),
                    Some(Err(problem)) => {
                        FileReport::unusable(SourceFile::new(name.clone(), ""), (**problem).clone())
                    }
                    None => unreachable!("standard input is read when `-` is a path"),
                },
            };
            let reviewed = review.apply(&mut report);
            Outcome {
                part: render.file(&run, &report),
                row: Row {
                    path: report.source.name.clone(),
                    counts: Summary::of(&report),
                },
                reviewed,
            }
        };
        // Written to by the thread that writes the output, and read while it waits.
        let done = Cell::new(0);
        let progress = RefCell::new(Progress::new(jobs.len()));
        let refused = batch::ordered(
            jobs.len(),
            threads,
            check,
            |_, outcome| {
                done.set(done.get() + 1);
                if !outcome.part.is_empty() {
                    if output.terminal {
                        progress.borrow_mut().clear();
                    }
                    if parts {
                        output.write(render.separator());
                    }
                    output.write(&outcome.part);
                    parts = true;
                }
                summary.add(&outcome.row.counts);
                if !outcome.row.counts.is_clean() {
                    rows.push(outcome.row);
                }
                outcome
                    .reviewed
                    .judged
                    .iter()
                    .for_each(|&i| judged[i] = true);
                outcome
                    .reviewed
                    .matched
                    .iter()
                    .for_each(|&i| matched[i] = true);
                baseline_text.push_str(&outcome.reviewed.baseline_lines);
                for (i, path) in &outcome.reviewed.near {
                    near[*i].get_or_insert_with(|| path.clone());
                }
            },
            Duration::from_millis(100),
            || progress.borrow_mut().update(done.get()),
        );
        let mut progress = progress.into_inner();
        progress.clear();
        if let Some(e) = refused {
            messages.push(format!(
                "有工作线程无法启动（{}），已用能启动的线程核查完所有文件",
                crate::problem::system_error(&e)
            ));
        }

        if let Some(decisions) = &review.decisions {
            let stale = decisions.stale(&judged, &matched, &near);
            summary.stale = stale.len();
            if !stale.is_empty() {
                add_problems(&mut review_problems, decisions.source(), stale);
            }
        }
        if let Some(path) = &args.write_baseline
            && let Err(e) = super::output::write_atomically(path, baseline_text.as_bytes())
        {
            let source = Arc::new(SourceFile::new(path.display().to_string(), ""));
            let problem = Problem::new(
                "unwritable",
                format!("无法写入基线文件：{}", crate::problem::system_error(&e)),
            );
            add_problems(&mut review_problems, &source, vec![problem]);
        }
        for (_, problems) in rule_problems.iter().chain(&review_problems) {
            summary.add_problems(problems);
        }
        let exit_code = if summary.problems > 0 {
            2
        } else if summary.fails(run.fail_on) {
            1
        } else {
            0
        };
        let end = End {
            summary,
            rows: &rows,
            review_problems: &review_problems,
            exit_code,
            parts,
        };
        if late_head {
            output.unspool(&render.late_head(&run, &end));
        }
        output.write(&render.tail(&run, &end));
        let exit_code = match output.finish() {
            Ok(()) => exit_code,
            Err(e) => {
                messages.push(format!("cannot write output: {e}"));
                2
            }
        };
        if !free {
            std::mem::forget(engines);
            std::mem::forget(groups);
            std::mem::forget(all_rules);
        }
        Ended {
            exit_code,
            messages,
        }
    }
}

/// Every rule some file runs, once: those of the only group, or `all` gathered from the
/// groups.
fn every_rule<'a>(groups: &'a [Group], all: &'a Option<Vec<Rule>>) -> &'a [Rule] {
    match (all, groups) {
        (Some(all), _) => all,
        (None, [group]) => &group.rules.rules,
        (None, _) => &[],
    }
}

/// Why `--output` or `--write-baseline` must not be written: it names a file this run
/// reads (a report, a rule file, the config, decisions, the baseline), or both name the
/// same file. Checked before anything is written.
fn overwrites_an_input(args: &CheckOptions, jobs: &[Job]) -> Option<String> {
    let key = |path: &Path| -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| {
            // Not there yet: its folder, resolved, and its name.
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let folder = parent.map_or_else(
                || std::env::current_dir().unwrap_or_default(),
                |p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()),
            );
            folder.join(path.file_name().unwrap_or_default())
        })
    };
    let outputs: Vec<(&str, &Path)> = [
        ("--output", args.output.as_deref()),
        ("--write-baseline", args.write_baseline.as_deref()),
    ]
    .into_iter()
    .filter_map(|(flag, p)| p.map(|p| (flag, p)))
    .collect();
    if let [(_, a), (_, b)] = outputs.as_slice()
        && key(a) == key(b)
    {
        return Some(format!(
            "--output 与 --write-baseline 是同一个文件 {}，未写入",
            crate::pipeline::path_name(a)
        ));
    }
    let mut inputs: Vec<PathBuf> = jobs
        .iter()
        .filter_map(|j| match j {
            Job::File(p, _) => Some(p.clone()),
            Job::Missing(_) | Job::Stdin(..) => None,
        })
        .collect();
    inputs.extend(args.decisions.iter().cloned());
    inputs.extend(args.baseline.iter().cloned());
    inputs.extend(args.rules.config.iter().cloned());
    for rules in &args.rules.rules {
        let (files, _) = super::files::collect(rules, super::files::Wanted::Rules);
        inputs.extend(files);
    }
    let inputs: Vec<PathBuf> = inputs.iter().map(|p| key(p)).collect();
    for (flag, path) in outputs {
        if inputs.contains(&key(path)) {
            return Some(format!(
                "{flag} 指向本次读取的文件 {}，为免覆盖输入，未写入",
                crate::pipeline::path_name(path)
            ));
        }
    }
    None
}

/// The rules for the files under some paths: those of their nearest hecha.yaml.
struct Group {
    config: Option<PathBuf>,
    /// The paths given on the command line that this config applies to.
    paths: Vec<PathBuf>,
    rules: RuleSet,
    knowledge: Knowledge,
}

/// One group of rules per config the paths resolve to (each path is checked with the
/// rules of its nearest hecha.yaml, or `--config`), with the problems of rule files,
/// configs and rule paths that could not be used, each file once.
fn load_rules(args: &CheckOptions) -> (Vec<Group>, Vec<FileProblems>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut problems: Vec<FileProblems> = Vec::new();
    for path in &args.paths {
        let config = args.rules.config_for(path);
        if let Some(group) = groups.iter_mut().find(|g| g.config == config) {
            group.paths.push(path.clone());
            continue;
        }
        let selection = args.rules.load(config.as_deref());
        let unusable = selection
            .unusable
            .into_iter()
            .map(|r| (r.source, r.problems));
        for (source, found) in selection.rules.problems.iter().cloned().chain(unusable) {
            if !problems.iter().any(|(s, _)| s.name == source.name) {
                problems.push((source, found));
            }
        }
        if selection.rules.rules.is_empty() {
            let name = config
                .as_ref()
                .map_or("hecha".to_string(), |c| c.display().to_string());
            let problem = if selection.broken_config {
                Problem::new("no-rules", "配置文件有误，未运行任何规则")
                    .with_note("为免运行未经配置的规则，配置文件的问题改正之前不运行规则")
                    .with_help("改正上面列出的配置文件问题后再核查")
            } else {
                no_rules(args, config.is_some())
            };
            problems.push((Arc::new(SourceFile::new(name, "")), vec![problem]));
        }
        groups.push(Group {
            config,
            paths: vec![path.clone()],
            rules: selection.rules,
            knowledge: selection.knowledge,
        });
    }
    (groups, problems)
}

/// A run with no rule to run checks nothing: that is said, and the run exits 2, so that
/// it cannot pass as a clean one.
fn no_rules(args: &CheckOptions, config: bool) -> Problem {
    let why = if args.rules.no_default_rules && args.rules.rules.is_empty() {
        "用了 --no-default-rules，又没有用 --rules 指定规则"
    } else if config {
        "配置文件没有选用任何规则包（extends 为空），也没有可用的 rules"
    } else {
        "所给的规则文件中没有可用的规则"
    };
    Problem::new("no-rules", "没有要运行的规则，数据只读取、未核查")
        .with_note(why)
        .with_help("用 --rules 指定规则文件，或去掉 --no-default-rules 以运行内置规则包")
}

/// A file read and decoded, or why it cannot be.
fn read_source(path: &Path, limits: &Limits) -> Result<Arc<SourceFile>, FileProblems> {
    crate::pipeline::read_source(path, limits.max_file_size)
        .map(Arc::new)
        .map_err(|r| (r.source, r.problems))
}

/// The reviewer's decisions and baseline, with the problems of their files.
fn load_review(args: &CheckOptions, rules: &[Rule]) -> (Review, Vec<FileProblems>) {
    let mut review = Review {
        write_baseline: args.write_baseline.as_deref().map(folder_of),
        ..Review::default()
    };
    let mut problems = Vec::new();
    let limits = &args.limits;
    let read = |path: &Path, problems: &mut Vec<FileProblems>| match read_source(path, limits) {
        Ok(source) => Some(source),
        Err(unusable) => {
            problems.push(unusable);
            None
        }
    };
    if let Some(source) = args
        .decisions
        .as_deref()
        .and_then(|p| read(p, &mut problems))
    {
        let (decisions, found) = Decisions::load(Arc::clone(&source), rules);
        add_problems(&mut problems, &source, found);
        review.decisions = Some(decisions);
    }
    if let Some(source) = args
        .baseline
        .as_deref()
        .and_then(|p| read(p, &mut problems))
    {
        let (baseline, found) = Baseline::load(&source);
        add_problems(&mut problems, &source, found);
        review.baseline = Some(baseline);
    }
    (review, problems)
}

fn add_problems(files: &mut Vec<FileProblems>, source: &Arc<SourceFile>, problems: Vec<Problem>) {
    if problems.is_empty() {
        return;
    }
    match files.iter_mut().find(|(s, _)| Arc::ptr_eq(s, source)) {
        Some((_, list)) => list.extend(problems),
        None => files.push((Arc::clone(source), problems)),
    }
}

/// The data files the paths name, in path order, each once, with the group of rules
/// each is checked with; and the paths that name none.
fn jobs(paths: &[PathBuf], groups: &[Group], stdin_name: Option<&str>) -> Vec<Job> {
    let mut jobs = Vec::new();
    for path in paths {
        let group = groups
            .iter()
            .position(|g| g.paths.contains(path))
            .unwrap_or(0);
        if path.as_os_str() == "-" {
            jobs.push(Job::Stdin(
                stdin_name.unwrap_or("<stdin>").to_string(),
                group,
            ));
            continue;
        }
        let (files, missing) = collect(path, Wanted::Data);
        jobs.extend(files.into_iter().map(|f| Job::File(f, group)));
        jobs.extend(missing.into_iter().map(Job::Missing));
    }
    let mut named: Vec<(String, Job)> = jobs.into_iter().map(|j| (j.name(), j)).collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named.dedup_by(|a, b| a.0 == b.0);
    // One file named several ways (`a.yaml`, `./a.yaml`, its absolute path, or inside a
    // directory also named) is checked once, under the name that sorts first.
    let mut seen = std::collections::HashSet::new();
    named.retain(|(_, job)| match job {
        Job::File(path, _) => seen.insert(std::fs::canonicalize(path).unwrap_or(path.clone())),
        Job::Missing(_) | Job::Stdin(..) => true,
    });
    named.into_iter().map(|(_, job)| job).collect()
}

/// The bytes on standard input, at most `max` of them.
fn read_stdin(max: u64) -> Result<Vec<u8>, Box<Problem>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Box::new(Problem::new("unreadable", format!("无法读取标准输入：{e}"))))?;
    if bytes.len() as u64 > max {
        return Err(Box::new(
            Problem::new(
                "too-large",
                format!("标准输入超过大小上限 {}", crate::pipeline::show_size(max)),
            )
            .with_help("确认输入无误后，可用 --max-file-size 调高上限"),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_runs_without_the_command_line() {
        let dir = std::env::temp_dir().join(format!("hecha-session-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("out.json");
        let options = CheckOptions {
            paths: vec![PathBuf::from("samples"), dir.join("missing.yaml")],
            stdin_name: None,
            statistics: false,
            rules: RuleOptions::default(),
            format: OutputFormat::Json,
            output: Some(out.clone()),
            summary_only: false,
            fail_on: FailOn::Never,
            decisions: None,
            baseline: None,
            write_baseline: None,
            jobs: NonZeroUsize::new(2),
            color: false,
            limits: Limits::default(),
            max_steps: crate::engine::DEFAULT_MAX_STEPS,
        };
        let plan = Plan::new(options);
        assert!(plan.files() > 1, "the samples and the missing file");
        let ended = plan.run();
        assert_eq!(ended.exit_code, 2, "a missing file is a problem");
        assert!(ended.messages.is_empty(), "{:?}", ended.messages);
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert!(json.to_string().contains("not-found"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
