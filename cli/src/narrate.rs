//! How the demo talks to a person: numbered steps, a phone screen, a bank side, plain facts.

use std::io::IsTerminal;

pub struct Narrator {
    colour: bool,
    step: std::sync::atomic::AtomicU32,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";

impl Narrator {
    pub fn new(plain: bool) -> Self {
        let colour =
            !plain && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Self {
            colour,
            step: std::sync::atomic::AtomicU32::new(0),
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
            self.paint(DIM, &"═".repeat(text.chars().count().max(40)))
        );
    }

    /// A new numbered step of the journey.
    pub fn step(&self, text: &str) {
        let n = self.step.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
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

    pub fn ok(&self, text: &str) {
        println!("    {} {text}", self.paint(GREEN, "✔"));
    }

    pub fn refused(&self, text: &str) {
        println!("    {} {text}", self.paint(RED, "✘"));
    }

    pub fn detail(&self, label: &str, value: &str) {
        println!(
            "       {} {value}",
            self.paint(DIM, &format!("{label:<22}"))
        );
    }

    pub fn line(&self, text: &str) {
        println!("       {text}");
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(DIM, text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(BOLD, text)
    }
}
