//! The shape of docs/security-tests.md: a counts line, one `##` section per status, and one
//! `### ID — requirement` heading per checklist item inside it.

/// Where an item of the checklist stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Covered,
    NotYetCovered,
    CannotBeTestedHere,
    NotApplicable,
}

impl Status {
    /// The section heading and the counts-line label of each status.
    const NAMES: [(Status, &'static str); 4] = [
        (Status::Covered, "covered"),
        (Status::NotYetCovered, "not yet covered"),
        (Status::CannotBeTestedHere, "cannot be tested here"),
        (Status::NotApplicable, "not applicable"),
    ];

    fn named(text: &str) -> Option<Status> {
        let text = text.trim().to_lowercase();
        Self::NAMES
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(status, _)| *status)
    }
}

/// Every item of the security checklist (docs: the MASVS / PSD2 RTS / WebAuthn / SP 800-63B
/// checklist the project was built against), and `CI` for its dependency audit line.
pub const CHECKLIST_IDS: [&str; 59] = [
    "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", //
    "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", //
    "L1", "L2", "L3", "L4", "L5", "L6", "L7", //
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", //
    "R1", "R2", "R3", "R4", "R5", "R6", "R7", //
    "N1", "N2", "N3", "N4", "N5", "N6", //
    "B1", "B2", "B3", "B4", "B5", "B6", "B7", //
    "P1", "P2", "P3", "P4", "P5", "P6", "P7", //
    "CI",
];

/// One item as the map lists it.
#[derive(Debug)]
pub struct Item {
    pub id: String,
    pub status: Status,
    /// How many test references its entry holds.
    pub references: usize,
}

/// Every `### ID` heading under a status section, with its status and reference count.
pub fn items(markdown: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut status = None;
    for line in markdown.lines() {
        if let Some(section) = line.strip_prefix("## ") {
            status = Status::named(section);
            continue;
        }
        if let Some(heading) = line.strip_prefix("### ") {
            if let Some(status) = status {
                let id = heading.split_whitespace().next().unwrap_or_default();
                items.push(Item {
                    id: id.to_owned(),
                    status,
                    references: 0,
                });
            }
            continue;
        }
        if let (Some(item), Some(_)) = (items.last_mut(), status) {
            item.references += crate::references::in_markdown(line).len();
        }
    }
    items
}

/// The counts the map states in its `**Counts:**` line, e.g.
/// `**Counts:** 2 covered · 1 not yet covered · 0 cannot be tested here · 1 not applicable (4 items).`
pub fn stated_counts(markdown: &str) -> Option<Vec<(Status, usize)>> {
    let line = markdown
        .lines()
        .find_map(|line| line.strip_prefix("**Counts:**"))?;
    let line = line.split('(').next()?.trim().trim_end_matches('.');
    let counts = line
        .split('·')
        .map(|part| {
            let (number, label) = part.trim().split_once(' ')?;
            Some((Status::named(label)?, number.parse().ok()?))
        })
        .collect::<Option<Vec<_>>>()?;
    (counts.len() == Status::NAMES.len()).then_some(counts)
}

/// Each status whose stated count differs from the items listed under it, as
/// `(status, stated, listed)`; an error if the counts line is missing or malformed.
pub fn count_mismatches(markdown: &str) -> Result<Vec<(Status, usize, usize)>, &'static str> {
    let stated = stated_counts(markdown).ok_or("no well-formed **Counts:** line")?;
    let items = items(markdown);
    Ok(stated
        .into_iter()
        .filter_map(|(status, stated)| {
            let listed = items.iter().filter(|item| item.status == status).count();
            (listed != stated).then_some((status, stated, listed))
        })
        .collect())
}
