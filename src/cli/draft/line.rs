//! Single-line answers, edited like a terminal's command line.
//!
//! inquire 0.9's text prompt turns every key that carries a character into
//! that character, whatever the modifiers (Ctrl-U types `u`, Ctrl-W `w`),
//! and offers no hook to change it: its key handling and backends are
//! private. So the one-line answers (the title, input fields, each line of
//! a typed textarea, the server) are read with rustyline, whose Emacs mode
//! is readline's: Ctrl-A/E to the start and end, Ctrl-U/K to kill before or
//! after the cursor, Ctrl-W and Alt-Backspace a word back, Alt-B/F a word
//! back and forward, Ctrl-Y to yank, Ctrl-_ to undo. Keys it does not know
//! are ignored, never typed. Esc goes back a step; Ctrl-C stops (the draft
//! is saved). inquire keeps everything else: choices, confirmations and the
//! editor.

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hint, Hinter};
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{
    Cmd, ConditionalEventHandler, Config, EditMode, Editor, Event, EventContext, EventHandler,
    Helper, KeyCode, KeyEvent, Modifiers, RepeatCount,
};
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What a check says about an answer when Enter is pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Ok,
    /// Not accepted; the message says what to do (or how to skip).
    Invalid(String),
}

/// How a prompt ended without an answer.
#[derive(Debug)]
pub enum NoAnswer {
    /// Esc: one step back.
    Back,
    /// Ctrl-C (or Ctrl-D on an empty line): stop, the draft is saved.
    Interrupted,
    Failed(String),
}

impl From<inquire::InquireError> for NoAnswer {
    fn from(e: inquire::InquireError) -> Self {
        use inquire::InquireError as E;
        match e {
            E::OperationCanceled => NoAnswer::Back,
            E::OperationInterrupted => NoAnswer::Interrupted,
            E::NotTTY => NoAnswer::Failed(
                "no terminal to ask questions on; pass --answers FILE --no-input".into(),
            ),
            other => NoAnswer::Failed(other.to_string()),
        }
    }
}

pub type Asked<T> = Result<T, NoAnswer>;

/// What checks an answer on Enter.
pub type CheckFn<'a> = Box<dyn Fn(&str) -> Check + 'a>;

/// One line to ask.
pub struct Line<'a> {
    /// Shown before the answer: `? Title: `.
    pub label: &'a str,
    /// The answer it starts with, to keep or edit.
    pub initial: &'a str,
    /// Shown dimmed while the answer is empty; never the answer itself.
    pub placeholder: Option<&'a str>,
    /// One line of help, shown above.
    pub help: Option<&'a str>,
    pub check: Option<CheckFn<'a>>,
    pub color: bool,
}

impl<'a> Line<'a> {
    pub fn new(label: &'a str) -> Line<'a> {
        Line {
            label,
            initial: "",
            placeholder: None,
            help: None,
            check: None,
            color: false,
        }
    }

    pub fn initial(mut self, text: &'a str) -> Self {
        self.initial = text;
        self
    }

    pub fn placeholder(mut self, text: Option<&'a str>) -> Self {
        self.placeholder = text.filter(|t| !t.trim().is_empty());
        self
    }

    pub fn help(mut self, text: Option<&'a str>) -> Self {
        self.help = text.filter(|t| !t.trim().is_empty());
        self
    }

    pub fn check(mut self, check: impl Fn(&str) -> Check + 'a) -> Self {
        self.check = Some(Box::new(check));
        self
    }

    pub fn color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    /// Reads the answer: the line as typed (pasted line breaks become
    /// spaces), once the check accepts it.
    pub fn ask(self) -> Asked<String> {
        self.ask_raw()
            .map(|t| t.split(['\n', '\r']).collect::<Vec<_>>().join(" "))
    }

    /// [`Line::ask`], keeping pasted line breaks.
    pub fn ask_raw(self) -> Asked<String> {
        use std::io::Write;
        if let Some(help) = self.help {
            let mut out = std::io::stdout().lock();
            let _ = if self.color {
                writeln!(out, "\x1b[2m  {help}\x1b[0m")
            } else {
                writeln!(out, "  {help}")
            };
            let _ = out.flush();
        }
        let config = Config::builder()
            .edit_mode(EditMode::Emacs)
            // A lone Esc is told from the start of a key's escape
            // sequence by this pause.
            .keyseq_timeout(Some(40))
            .auto_add_history(false)
            .build();
        let mut editor: Editor<LineHelper<'_>, DefaultHistory> =
            Editor::with_config(config).map_err(|e| NoAnswer::Failed(e.to_string()))?;
        let escaped = Arc::new(AtomicBool::new(false));
        editor.bind_sequence(
            KeyEvent(KeyCode::Esc, Modifiers::NONE),
            EventHandler::Conditional(Box::new(Escape(escaped.clone()))),
        );
        let raw = format!("? {} ", self.label);
        let styled = if self.color {
            format!("\x1b[32m?\x1b[0m \x1b[1m{}\x1b[0m ", self.label)
        } else {
            raw.clone()
        };
        editor.set_helper(Some(LineHelper {
            placeholder: self.placeholder.map(str::to_string),
            check: self.check,
            color: self.color,
        }));
        match editor.readline_with_initial(&(raw, styled), (self.initial, "")) {
            Ok(line) => Ok(line),
            Err(ReadlineError::Interrupted) if escaped.load(Ordering::SeqCst) => {
                Err(NoAnswer::Back)
            }
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => Err(NoAnswer::Interrupted),
            Err(e) => Err(NoAnswer::Failed(e.to_string())),
        }
    }
}

/// Esc ends the prompt, marked as going back.
struct Escape(Arc<AtomicBool>);

impl ConditionalEventHandler for Escape {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, _: &EventContext) -> Option<Cmd> {
        self.0.store(true, Ordering::SeqCst);
        Some(Cmd::Interrupt)
    }
}

struct LineHelper<'a> {
    placeholder: Option<String>,
    check: Option<CheckFn<'a>>,
    color: bool,
}

/// The placeholder, shown but never completed into the answer.
struct Placeholder(String);

impl Hint for Placeholder {
    fn display(&self) -> &str {
        &self.0
    }
    fn completion(&self) -> Option<&str> {
        None
    }
}

impl Hinter for LineHelper<'_> {
    type Hint = Placeholder;
    fn hint(&self, line: &str, _: usize, _: &rustyline::Context<'_>) -> Option<Placeholder> {
        let p = self.placeholder.as_ref().filter(|_| line.is_empty())?;
        Some(Placeholder(format!("(e.g. {p})")))
    }
}

impl Highlighter for LineHelper<'_> {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }
}

impl Completer for LineHelper<'_> {
    type Candidate = String;
}

impl Validator for LineHelper<'_> {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        let Some(check) = &self.check else {
            return Ok(ValidationResult::Valid(None));
        };
        let input = ctx.input().to_string();
        Ok(match check(&input) {
            Check::Ok => ValidationResult::Valid(None),
            Check::Invalid(why) => ValidationResult::Invalid(Some(format!("\n  ✗ {why}"))),
        })
    }
}

impl Helper for LineHelper<'_> {}
