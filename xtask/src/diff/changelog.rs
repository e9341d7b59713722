//! `CHANGELOG.md` entries written by `cargo xtask diff --changelog`.
//!
//! A file has a title, then one `## <version>` section per version, newest first. An
//! entry is a block inside the section of the version it needs, opened by a marker
//! comment that names the base it was computed from:
//! `<!-- cargo xtask diff: since <commit> -->`. Running the command again with the same
//! base replaces that block (so it can be rerun after every edit); a different base (a
//! later spec change before the next release) adds a block above the earlier one.
//! Everything outside the block, hand-written notes included, is kept as it is.

/// The marker line that opens a block computed against `base`.
pub fn marker(base: &str) -> String {
    format!("<!-- cargo xtask diff: since {base} -->")
}

/// The start of a new changelog for `crate_name`.
pub fn new_file(crate_name: &str) -> String {
    format!(
        "# Changelog of {crate_name}\n\n\
         Versions follow semver (before 1.0, a breaking change bumps the minor). Entries are\n\
         written by `cargo xtask diff --changelog` from the changes to the spec and to the\n\
         generated public API; edit around them freely.\n"
    )
}

/// Puts `block` (starting with [`marker`]`(base)`) into the `## version` section of
/// `existing`, creating the section when there is none.
pub fn insert(existing: &str, version: &str, base: &str, block: &str) -> String {
    let lines: Vec<&str> = existing.lines().collect();
    let heading = |l: &str| {
        l.strip_prefix("## ")
            .and_then(|rest| rest.split_whitespace().next())
            .map(|v| v.trim_start_matches('[').trim_end_matches(']') == version)
            .unwrap_or(false)
    };
    let block = block.trim_end();
    let mut out: Vec<String> = Vec::new();
    match lines.iter().position(|l| heading(l)) {
        None => {
            let first = lines
                .iter()
                .position(|l| l.starts_with("## "))
                .unwrap_or(lines.len());
            out.extend(lines[..first].iter().map(|l| l.to_string()));
            out.push(String::new());
            out.push(format!("## {version} (unreleased)"));
            out.push(String::new());
            out.push(block.to_owned());
            out.push(String::new());
            out.extend(lines[first..].iter().map(|l| l.to_string()));
        }
        Some(h) => {
            let end = lines[h + 1..]
                .iter()
                .position(|l| l.starts_with("## "))
                .map(|p| h + 1 + p)
                .unwrap_or(lines.len());
            let mark = marker(base);
            out.extend(lines[..=h].iter().map(|l| l.to_string()));
            match lines[h + 1..end].iter().position(|l| l.trim() == mark) {
                Some(p) => {
                    let start = h + 1 + p;
                    let stop = lines[start + 1..end]
                        .iter()
                        .position(|l| l.starts_with("<!-- cargo xtask diff:"))
                        .map(|q| start + 1 + q)
                        .unwrap_or(end);
                    out.extend(lines[h + 1..start].iter().map(|l| l.to_string()));
                    out.push(block.to_owned());
                    out.push(String::new());
                    out.extend(lines[stop..].iter().map(|l| l.to_string()));
                }
                None => {
                    out.push(String::new());
                    out.push(block.to_owned());
                    let rest: Vec<String> = lines[h + 1..].iter().map(|l| l.to_string()).collect();
                    let skip = rest.iter().take_while(|l| l.trim().is_empty()).count();
                    out.push(String::new());
                    out.extend(rest.into_iter().skip(skip));
                }
            }
        }
    }
    // One blank line between paragraphs, none before the title or after the end.
    let mut text = out.join("\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    format!("{}\n", text.trim_start_matches('\n').trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A changelog with a hand-written note and two blocks in its unreleased section, an
    /// older release below, and blank lines after the preamble.
    const FILE: &str = "# Changelog of telnums-x\n\
        \n\
        Intro.\n\
        \n\
        \n\
        ## 0.2.0 (unreleased)\n\
        \n\
        A note by hand.\n\
        \n\
        <!-- cargo xtask diff: since abc -->\n\
        - one\n\
        - more\n\
        \n\
        <!-- cargo xtask diff: since old -->\n\
        - older\n\
        \n\
        ## 0.1.0\n\
        \n\
        - first\n";

    /// [`FILE`] as `insert` writes it back: one blank line between paragraphs.
    fn tidy() -> String {
        FILE.replace("Intro.\n\n\n", "Intro.\n\n")
    }

    #[test]
    fn a_block_is_replaced_up_to_the_next_block_and_the_rest_is_kept() {
        let block = format!("{}\n- one, edited", marker("abc"));
        assert_eq!(
            insert(FILE, "0.2.0", "abc", &block),
            tidy().replace("- one\n- more\n", "- one, edited\n")
        );
        // The last block of the file runs to its end.
        let block = format!("{}\n- older, edited", marker("old"));
        let last = insert(FILE, "0.2.0", "old", &block);
        assert_eq!(last, tidy().replace("- older\n", "- older, edited\n"));
    }

    #[test]
    fn blocks_and_sections_need_no_blank_line_between_them() {
        let file = "# T\n\n## 0.2.0 (unreleased)\n\
            <!-- cargo xtask diff: since abc -->\n- one\n\
            <!-- cargo xtask diff: since old -->\n- older\n\
            ## 0.1.0\n- first\n";
        let block = format!("{}\n- one, edited", marker("abc"));
        assert_eq!(
            insert(file, "0.2.0", "abc", &block),
            file.replace("- one\n", "- one, edited\n\n")
        );
        let block = format!("{}\n- older, edited", marker("old"));
        assert_eq!(
            insert(file, "0.2.0", "old", &block),
            file.replace("- older\n", "- older, edited\n\n")
        );
    }

    #[test]
    fn a_new_base_goes_first_in_its_section_and_a_new_version_after_the_preamble() {
        let block = format!("{}\n- two", marker("zzz"));
        assert_eq!(
            insert(FILE, "0.2.0", "zzz", &block),
            tidy().replace(
                "## 0.2.0 (unreleased)\n\nA note",
                "## 0.2.0 (unreleased)\n\n<!-- cargo xtask diff: since zzz -->\n- two\n\nA note"
            )
        );
        let block = format!("{}\n- three", marker("fed"));
        assert_eq!(
            insert(FILE, "0.3.0", "fed", &block),
            tidy().replace(
                "Intro.\n\n## 0.2.0",
                "Intro.\n\n## 0.3.0 (unreleased)\n\n<!-- cargo xtask diff: since fed -->\n\
                 - three\n\n## 0.2.0"
            )
        );
        // A file of blank lines gets the section at its top.
        assert_eq!(
            insert("\n\n", "0.3.0", "fed", &block),
            "## 0.3.0 (unreleased)\n\n<!-- cargo xtask diff: since fed -->\n- three\n"
        );
    }

    #[test]
    fn creates_section_then_replaces_own_block_and_keeps_others() {
        let file = new_file("telnums-x");
        let first = insert(&file, "0.2.0", "abc", &format!("{}\n- one", marker("abc")));
        assert!(first
            .contains("## 0.2.0 (unreleased)\n\n<!-- cargo xtask diff: since abc -->\n- one\n"));
        // Same base again: replaced, not duplicated.
        let again = insert(
            &first,
            "0.2.0",
            "abc",
            &format!("{}\n- one, edited", marker("abc")),
        );
        assert_eq!(again.matches("since abc").count(), 1);
        assert!(again.contains("- one, edited") && !again.contains("- one\n"));
        // Another base in the same version: a second block above the first.
        let other = insert(&again, "0.2.0", "def", &format!("{}\n- two", marker("def")));
        let (two, one) = (
            other.find("- two").expect("two"),
            other.find("- one").expect("one"),
        );
        assert!(two < one, "{other}");
        // An older released section stays below a new one.
        let released = other.replace("0.2.0 (unreleased)", "0.2.0");
        let newer = insert(
            &released,
            "0.3.0",
            "fed",
            &format!("{}\n- three", marker("fed")),
        );
        let (three, two) = (
            newer.find("## 0.3.0").expect("0.3"),
            newer.find("## 0.2.0").expect("0.2"),
        );
        assert!(three < two, "{newer}");
        assert!(newer.starts_with("# Changelog of telnums-x"));
    }
}
