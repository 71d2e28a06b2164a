//! Messages on stderr: diagnostics, notes, summaries, the progress bar.

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use muutostieto::Diagnostic;

/// Inputs larger than this get a progress bar (when stderr is a terminal).
const PROGRESS_MIN_BYTES: u64 = 64 * 1024 * 1024;

/// A progress bar for a large input, when stderr is a terminal outside CI.
pub fn progress_bar(len: Option<u64>, name: &str) -> Option<ProgressBar> {
    let len = len.filter(|&n| n > PROGRESS_MIN_BYTES)?;
    if !io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let style = ProgressStyle::with_template(
        "[{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {wide_msg}",
    )
    .ok()?
    .progress_chars("=> ");
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
        .with_style(style)
        .with_message(name.to_string());
    Some(bar)
}

/// Messages on stderr (diagnostics, notes, summaries): buffered, printed above the progress
/// bar when one is shown, and never failing (a closed stderr is ignored).
pub struct Report {
    out: io::BufWriter<io::Stderr>,
    pub(super) bar: Option<ProgressBar>,
    stdout_is_terminal: bool,
}

impl Report {
    /// A reporter on stderr.
    pub fn new() -> Self {
        Report {
            out: io::BufWriter::with_capacity(64 * 1024, io::stderr()),
            bar: None,
            stdout_is_terminal: io::stdout().is_terminal(),
        }
    }

    /// Prints one line.
    pub fn line(&mut self, msg: impl Display) {
        match &self.bar {
            Some(bar) => {
                let _ = self.out.flush();
                bar.suspend(|| {
                    let _ = writeln!(io::stderr(), "{msg}");
                });
            }
            None => {
                let _ = writeln!(self.out, "{msg}");
            }
        }
    }

    /// Prints lines already formatted (each ending with a newline).
    pub fn lines(&mut self, text: &[u8]) {
        if text.is_empty() {
            return;
        }
        match &self.bar {
            Some(bar) => {
                let _ = self.out.flush();
                bar.suspend(|| {
                    let _ = io::stderr().write_all(text);
                });
            }
            None => {
                let _ = self.out.write_all(text);
            }
        }
    }

    /// Prints an error about an input (`muutostieto: <message>`).
    pub fn error(&mut self, msg: impl Display) {
        self.line(format_args!("muutostieto: error: {msg}"));
    }

    /// Writes out what is buffered for stdout above the progress bar, when a bar is shown and
    /// stdout is the same terminal (otherwise does nothing: the output stays buffered).
    pub fn sync_stdout(&mut self, flush: impl FnOnce() -> io::Result<()>) -> io::Result<()> {
        match &self.bar {
            Some(bar) if self.stdout_is_terminal => bar.suspend(flush),
            _ => Ok(()),
        }
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Formats a diagnostic as `FILE:LINE:COLUMN: severity: group G, field F: message`, with the
/// value at the end only when the user asked for values.
pub fn format_diagnostic(file: &str, d: &Diagnostic) -> String {
    use std::fmt::Write as _;
    let mut s = format!("{file}:{}:{}: {}: ", d.line, d.column, d.severity);
    match (&d.group, &d.field) {
        (Some(g), Some(f)) => {
            let _ = write!(s, "group {g}, field {f}: ");
        }
        (Some(g), None) => {
            let _ = write!(s, "group {g}: ");
        }
        (None, Some(f)) => {
            let _ = write!(s, "field {f}: ");
        }
        (None, None) => {}
    }
    let _ = write!(s, "{}", d.kind);
    if let Some(v) = &d.value {
        let _ = write!(s, " (value {v:?})");
    }
    s
}

/// Formats a rate as `12.3 MB/s` (MB = 10^6 bytes).
pub fn mb_per_s(bytes: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        bytes as f64 / 1e6 / secs
    } else {
        0.0
    }
}

/// `n thing` or `n things`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
