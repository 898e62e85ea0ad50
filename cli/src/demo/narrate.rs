//! How the demo talks to a person: chapters, numbered steps, a phone screen, a bank side, facts.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct Narrator {
    colour: bool,
    step: AtomicU32,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const MAGENTA: &str = "\x1b[35m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";

/// Where the text of a line starts, under the symbol column.
pub const INDENT: &str = "       ";

impl Narrator {
    pub fn new(plain: bool) -> Self {
        let colour =
            !plain && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Self {
            colour,
            step: AtomicU32::new(0),
        }
    }

    fn paint(&self, style: &str, text: &str) -> String {
        if self.colour {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    pub fn title(&self, text: &str) {
        println!();
        println!("{}", self.paint(BOLD, text));
        println!(
            "{}",
            self.paint(DIM, &"═".repeat(crate::demo::format::width(text).max(40)))
        );
    }

    /// A part of the journey, e.g. "History".
    pub fn chapter(&self, text: &str) {
        println!();
        println!();
        println!("{}", self.paint(MAGENTA, &format!("── {text} ──")));
    }

    /// A new numbered step of the journey.
    pub fn step(&self, text: &str) {
        let n = self.step.fetch_add(1, Ordering::Relaxed) + 1;
        println!();
        println!(
            "{} {}",
            self.paint(CYAN, &format!("{n:>2}.")),
            self.paint(BOLD, text)
        );
    }

    /// What happens at the bank (or in the sandbox's stand-in for the outside world).
    pub fn bank(&self, text: &str) {
        println!("    {} {text}", self.paint(YELLOW, "🏦"));
    }

    /// What the customer sees on the phone.
    pub fn phone(&self, text: &str) {
        println!("    {} {text}", self.paint(CYAN, "📱"));
    }

    /// Something the app was told without asking (a core event).
    pub fn notification(&self, text: &str) {
        println!("    {} {text}", self.paint(MAGENTA, "🔔"));
    }

    /// The operating system's biometric prompt, as the key store shows it.
    pub fn prompt(&self, text: &str) {
        println!(
            "    🙂 \"{text}\" {}",
            self.paint(DIM, "(face recognised — simulated)")
        );
    }

    /// Time passing on the demo's fast clock.
    pub fn clock(&self, text: &str) {
        println!("    ⏱  {}", self.paint(DIM, text));
    }

    /// A risk warning on a confirmation, as the phone shows it.
    pub fn warning(&self, text: &str) {
        println!("    {} {text}", self.paint(YELLOW, "⚠"));
    }

    pub fn ok(&self, text: &str) {
        println!("    {} {text}", self.paint(GREEN, "✔"));
    }

    pub fn refused(&self, text: &str) {
        println!("    {} {text}", self.paint(RED, "✘"));
    }

    pub fn detail(&self, label: &str, value: &str) {
        println!(
            "{INDENT}{} {value}",
            self.paint(DIM, &crate::demo::format::pad_right(label, 22))
        );
    }

    pub fn line(&self, text: &str) {
        println!("{INDENT}{text}");
    }

    /// A remark in passing: why something matters.
    pub fn aside(&self, text: &str) {
        println!("{INDENT}{}", self.paint(DIM, text));
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(DIM, text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(BOLD, text)
    }
}
