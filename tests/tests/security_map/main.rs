//! docs/security-tests.md maps every item of the security checklist to the tests that prove
//! it, and docs/bad-input.md ties every refusal of bad input to its test. These checks fail
//! when a test named there no longer exists (renamed, deleted, or no longer a test), so the
//! documents cannot go on claiming coverage that is gone; and they keep the map complete and
//! its counts honest.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod definitions;
mod map;
mod references;

use std::path::{Path, PathBuf};

use definitions::{check, Missing};
use references::{in_markdown, Reference};

const SECURITY_MAP: &str = "docs/security-tests.md";
const BAD_INPUT: &str = "docs/bad-input.md";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the repository root")
        .to_path_buf()
}

fn read(root: &Path, document: &str) -> String {
    std::fs::read_to_string(root.join(document))
        .unwrap_or_else(|error| panic!("{document}: {error}"))
}

/// Every reference of `markdown` that does not hold under `root`, as a readable line.
fn broken(root: &Path, document: &str, markdown: &str) -> Vec<String> {
    in_markdown(markdown)
        .iter()
        .filter_map(|reference| {
            check(root, reference).err().map(|missing| {
                format!(
                    "{document}:{}: {}::{}: {missing}",
                    reference.line, reference.path, reference.name
                )
            })
        })
        .collect()
}

#[test]
fn every_test_named_in_the_security_map_exists() {
    let root = repo_root();
    let markdown = read(&root, SECURITY_MAP);
    assert!(
        in_markdown(&markdown).len() >= 50,
        "the map names its tests"
    );
    let broken = broken(&root, SECURITY_MAP, &markdown);
    assert!(broken.is_empty(), "\n{}", broken.join("\n"));
}

#[test]
fn every_test_named_in_the_bad_input_table_exists() {
    let root = repo_root();
    let markdown = read(&root, BAD_INPUT);
    assert!(
        in_markdown(&markdown).len() >= 50,
        "the table names its tests"
    );
    let broken = broken(&root, BAD_INPUT, &markdown);
    assert!(broken.is_empty(), "\n{}", broken.join("\n"));
}

#[test]
fn the_map_lists_every_checklist_item_once_and_its_counts_add_up() {
    let markdown = read(&repo_root(), SECURITY_MAP);
    let items = map::items(&markdown);
    let mut ids: Vec<&str> = items.iter().map(|item| item.id.as_str()).collect();
    ids.sort_unstable();
    let mut expected = map::CHECKLIST_IDS.to_vec();
    expected.sort_unstable();
    assert_eq!(ids, expected);

    assert_eq!(map::count_mismatches(&markdown), Ok(Vec::new()));
    // A covered item names at least one test.
    for item in items
        .iter()
        .filter(|item| item.status == map::Status::Covered)
    {
        assert!(
            item.references > 0,
            "{} is covered by no named test",
            item.id
        );
    }
}

// ---- the checker itself, on a small tree of its own ----

/// A tree with one Rust, one Kotlin and one Swift test file.
fn sample_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "core/src/pin.rs",
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn wrong_pins_are_counted() {}\n\n    \
         #[tokio::test(flavor = \"multi_thread\")]\n    async fn five_wrong_pins_block() {}\n\n    \
         fn helper_that_counts() {}\n}\n",
    );
    write(
        "android/src/test/PinTest.kt",
        "class PinTest {\n    @Test\n    fun `five wrong PINs block, after 4, 3, 2, 1`() = runTest {}\n}\n",
    );
    write(
        "ios/Tests/PinTests.swift",
        "final class PinTests: XCTestCase {\n    func testFiveWrongPinsBlock() async throws {}\n    \
         func helper() {}\n}\n",
    );
    dir
}

fn reference(path: &str, name: &str) -> Reference {
    Reference {
        path: path.to_owned(),
        name: name.to_owned(),
        line: 1,
    }
}

#[test]
fn the_parser_finds_references_in_code_spans_and_nothing_else() {
    let markdown = "\
# Map
- `core/src/pin.rs::wrong_pins_are_counted` — counted; `MobankError::DeviceBlocked` is no test.
| PIN | `android/src/test/PinTest.kt::five wrong PINs block, after 4, 3, 2, 1` |
```
`core/src/pin.rs::inside_a_fence`
```
Plain core/src/pin.rs::not_in_code, and `../outside.rs::escape`.
";
    let found = in_markdown(markdown);
    assert_eq!(
        found,
        [
            Reference {
                path: "core/src/pin.rs".to_owned(),
                name: "wrong_pins_are_counted".to_owned(),
                line: 2,
            },
            Reference {
                path: "android/src/test/PinTest.kt".to_owned(),
                name: "five wrong PINs block, after 4, 3, 2, 1".to_owned(),
                line: 3,
            },
        ]
    );
}

#[test]
fn existing_tests_in_each_language_pass_the_check() {
    let tree = sample_tree();
    for (path, name) in [
        ("core/src/pin.rs", "wrong_pins_are_counted"),
        ("core/src/pin.rs", "five_wrong_pins_block"),
        (
            "android/src/test/PinTest.kt",
            "five wrong PINs block, after 4, 3, 2, 1",
        ),
        ("ios/Tests/PinTests.swift", "testFiveWrongPinsBlock"),
    ] {
        assert_eq!(check(tree.path(), &reference(path, name)), Ok(()), "{name}");
    }
}

#[test]
fn a_renamed_or_deleted_test_fails_the_check() {
    let tree = sample_tree();
    let document = "\
- `core/src/pin.rs::wrong_pins_are_counted` — still there.
- `core/src/pin.rs::wrong_pins_are_counted_by_the_bank` — renamed away.
- `core/src/gone.rs::wrong_pins_are_counted` — file deleted.
- `core/src/pin.rs::helper_that_counts` — a helper, not a test.
- `ios/Tests/PinTests.swift::helper` — a Swift helper.
- `android/src/test/PinTest.kt::five wrong PINs block` — a prefix of a Kotlin name.
";
    assert_eq!(
        broken(tree.path(), "doc.md", document),
        [
            "doc.md:2: core/src/pin.rs::wrong_pins_are_counted_by_the_bank: \
             the file defines no function of that name",
            "doc.md:3: core/src/gone.rs::wrong_pins_are_counted: no such file",
            "doc.md:4: core/src/pin.rs::helper_that_counts: the function is not a test",
            "doc.md:5: ios/Tests/PinTests.swift::helper: the function is not a test",
            "doc.md:6: android/src/test/PinTest.kt::five wrong PINs block: \
             the file defines no function of that name",
        ]
    );
    assert_eq!(
        check(tree.path(), &reference("core/src/pin.rs", "pin")),
        Err(Missing::Function)
    );
}

#[test]
fn a_map_whose_counts_disagree_with_its_sections_is_caught() {
    let map = |counts: &str| {
        format!(
            "**Counts:** {counts} (3 items).\n\n\
             ## Covered\n### S1 — idle timeout\n- `core/src/pin.rs::wrong_pins_are_counted` — x.\n\n\
             ### S2 — session cap\n\n\
             ## Cannot be tested here\n### B3 — no passcode fallback\n"
        )
    };
    let honest = map("2 covered · 0 not yet covered · 1 cannot be tested here · 0 not applicable");
    assert_eq!(map::count_mismatches(&honest), Ok(Vec::new()));
    let items = map::items(&honest);
    assert_eq!(
        items.iter().map(|item| item.references).collect::<Vec<_>>(),
        [1, 0, 0]
    );

    let inflated =
        map("3 covered · 0 not yet covered · 0 cannot be tested here · 0 not applicable");
    assert_eq!(
        map::count_mismatches(&inflated),
        Ok(vec![
            (map::Status::Covered, 3, 2),
            (map::Status::CannotBeTestedHere, 0, 1)
        ])
    );
    assert!(map::count_mismatches("## Covered\n### S1 — x\n").is_err());
}
