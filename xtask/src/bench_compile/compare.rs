//! Ours against the old generator's crate, measured in the same run: per operation time,
//! peak memory and lines, their ratios, and what a 286-operation api-version would cost us.
//!
//! "Per operation" is marginal for both crates: the wall time (peak memory) less that of our
//! crate with no api-version, i.e. cargo's and rustc's fixed cost for a crate, divided by the
//! operations. The old crate's own fixed cost is not measured separately; at 286 operations
//! the difference is well under 1%.

use std::fmt::Write as _;

use super::Group;
use super::old_crate::OldSource;
use super::report::{marginal, scale_slope};
use super::scale::ScaledCrate;
use super::stats::{Row, against, duration, memory, mib, ms};
use super::subject::Version;

/// The synthetic crates and their measurements, when `--scale` made them.
#[derive(Clone, Copy)]
pub struct Scaled<'a> {
    pub crates: &'a [ScaledCrate],
    pub group: &'a Group,
}

/// One crate's row: `(ms/op, MiB/op)` per command.
type PerOperation = Vec<Option<(f64, Option<f64>)>>;

pub fn comparison(
    report: &mut String,
    commands: &[&str],
    ours: &Group,
    versions: &[Version],
    old: &Group,
    old_source: &OldSource,
    scaled: Option<Scaled<'_>>,
) {
    let _ = writeln!(
        report,
        "### Against the old generator's crate, same run: {} rounds, median\n\n\
         Both crates alone, dependencies built, same profile. Per operation: wall time (peak \
         memory) less that of our crate with no api-version (cargo's and rustc's fixed cost), \
         divided by the operations. Old operations: `pub struct RequestBuilder` in \
         `src/{}/` of the old crate (one per operation, each returned by one client method).\n",
        ours.rounds(),
        old_source.module
    );
    let mut header = "| crate | operations | lines per operation |".to_string();
    let mut rule = "|---|---:|---:|".to_string();
    for command in commands {
        let _ = write!(
            header,
            " `cargo {command}` | ms/op | peak memory | MiB/op |"
        );
        rule.push_str("---:|---:|---:|---:|");
    }
    let _ = writeln!(report, "{header}\n{rule}");
    let old_lines = old_source.lines as f64 / old_source.operations as f64;
    let old_per_op = write_row(
        report,
        &old.targets[0].label,
        old_source.operations,
        old_lines,
        &column(old, 0),
        ours,
    );
    let mut ratios = Vec::new();
    for version in versions {
        let Some(t) = ours.targets.iter().position(|t| t.label == version.module) else {
            continue;
        };
        let Some(n) = version.operations.filter(|&n| n > 0) else {
            continue;
        };
        let lines = version.lines as f64 / n as f64;
        let label = format!("ours `{}`", version.module);
        let per_op = write_row(report, &label, n, lines, &column(ours, t), ours);
        ratios.push(ratio_line(
            &version.module,
            commands,
            &per_op,
            &old_per_op,
            (lines, old_lines),
        ));
    }
    if let Some(line) = scaled.and_then(|s| slope_ratio_line(commands, s, &old_per_op, old_lines)) {
        ratios.push(line);
    }
    let _ = writeln!(report, "\n{}\n", ratios.join("\n"));
}

/// The synthetic crates' slope (one more operation with its share of types, free of each
/// module's fixed cost) against the old crate's per-operation figures.
fn slope_ratio_line(
    commands: &[&str],
    scaled: Scaled<'_>,
    old: &PerOperation,
    old_lines: f64,
) -> Option<String> {
    let (first, last) = (scaled.crates.first()?, scaled.crates.last()?);
    let added = last
        .operations
        .checked_sub(first.operations)
        .filter(|&n| n > 0)? as f64;
    let lines = (last.lines as f64 - first.lines as f64) / added;
    let slopes: PerOperation = scaled
        .group
        .rows
        .iter()
        .map(|rows| scale_slope(scaled.crates, rows))
        .collect();
    let label = format!("synthetic slope ×{} → ×{}", first.copies, last.copies);
    Some(ratio_line(
        &label,
        commands,
        &slopes,
        old,
        (lines, old_lines),
    ))
}

/// Row `t` of every command.
fn column(group: &Group, t: usize) -> Vec<&Row> {
    group.rows.iter().map(|rows| &rows[t]).collect()
}

fn write_row(
    report: &mut String,
    label: &str,
    operations: usize,
    lines: f64,
    rows: &[&Row],
    ours: &Group,
) -> PerOperation {
    let mut line = format!("| {label} | {operations} | {lines:.0} |");
    let mut per_operation = Vec::new();
    for (c, row) in rows.iter().enumerate() {
        let per_op = marginal(row, &ours.rows[c][0], operations);
        let (time, mem) = per_op.map_or((None, None), |(t, m)| (Some(t), m));
        let _ = write!(
            line,
            " {} | {} | {} | {} |",
            duration(row.wall()),
            time.map_or("?".into(), |t| format!("{t:.1}")),
            memory(row.rss_kib()),
            mem.map_or("n/a".into(), |m| format!("{m:.2}")),
        );
        per_operation.push(per_op);
    }
    let _ = writeln!(report, "{line}");
    per_operation
}

fn ratio_line(
    subject: &str,
    commands: &[&str],
    ours: &PerOperation,
    old: &PerOperation,
    (lines, old_lines): (f64, f64),
) -> String {
    let mut parts = Vec::new();
    for (c, command) in commands.iter().enumerate() {
        let (Some((time, mem)), Some((old_time, old_mem))) = (ours[c], old[c]) else {
            continue;
        };
        parts.push(format!(
            "`cargo {command}` {}",
            against(time, old_time, "cheaper", "dearer")
        ));
        if let (Some(mem), Some(old_mem)) = (mem, old_mem) {
            parts.push(format!(
                "its peak memory {}",
                against(mem, old_mem, "lighter", "heavier")
            ));
        }
    }
    parts.push(format!(
        "lines {}",
        against(lines, old_lines, "fewer", "more")
    ));
    format!(
        "- **`{subject}` per operation against the old crate:** {}.",
        parts.join("; ")
    )
}

/// `cargo check` (and peak memory) of an api-version with `operations` operations, from our
/// slope: the synthetic crates' when there are any, else the marginal per operation of our
/// largest api-version.
pub fn projection(
    report: &mut String,
    ours: &Group,
    versions: &[Version],
    scaled: Option<Scaled<'_>>,
    operations: usize,
    old: Option<&Row>,
) {
    // (anchor row, its operations, slope in ms and MiB per operation, where the slope is from)
    let from_scale = scaled.and_then(|s| {
        let last = s.crates.last()?;
        let rows = &s.group.rows[0];
        let slope = scale_slope(s.crates, rows)?;
        Some((
            &rows[rows.len() - 1],
            last.operations,
            slope,
            format!(
                "the synthetic crates' slope (×{} → ×{})",
                s.crates.first()?.copies,
                last.copies
            ),
        ))
    });
    let from_real = || {
        let (t, n) = versions
            .iter()
            .filter_map(|v| {
                let t = ours.targets.iter().position(|t| t.label == v.module)?;
                Some((t, v.operations.filter(|&n| n > 0)?))
            })
            .max_by_key(|&(_, n)| n)?;
        let row = &ours.rows[0][t];
        let slope = marginal(row, &ours.rows[0][0], n)?;
        Some((
            row,
            n,
            slope,
            format!("the marginal cost of `{}`", ours.targets[t].label),
        ))
    };
    let Some((anchor, anchor_ops, (time, mem), source)) = from_scale.or_else(from_real) else {
        return;
    };
    let extra = operations.saturating_sub(anchor_ops) as f64;
    let check = ms(anchor.wall()) + extra * time;
    let peak = anchor
        .rss_kib()
        .zip(mem)
        .map(|(kib, m)| mib(kib) + extra * m);
    let old_text = old.map_or(String::new(), |old| {
        format!(
            " (the old crate, measured: {}, {})",
            duration(old.wall()),
            memory(old.rss_kib())
        )
    });
    let _ = writeln!(
        report,
        "**A {operations}-operation api-version, projected** from {source}: `cargo check` ≈ {:.2} s, \
         peak memory ≈ {}{old_text}.\n",
        check / 1000.0,
        peak.map_or("n/a".into(), |p| format!("{p:.0} MiB")),
    );
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::cargo::Target;
    use super::super::stats::Sample;
    use super::*;

    fn group(samples: &[(u64, u64)]) -> Group {
        let targets = samples
            .iter()
            .enumerate()
            .map(|(i, _)| Target {
                label: ["(none)", "v1"].get(i).copied().unwrap_or("old").into(),
                manifest: "/x/Cargo.toml".into(),
                package: "p".into(),
                features: None,
                target_dir: "/x/target".into(),
                operations: None,
            })
            .collect();
        let row = |&(ms, mib): &(u64, u64)| Row {
            compile: vec![Sample {
                wall: Duration::from_millis(ms),
                max_rss_kib: Some(mib * 1024),
            }],
            no_op: Vec::new(),
        };
        Group {
            targets,
            rows: vec![samples.iter().map(row).collect()],
        }
    }

    #[test]
    fn ratios_are_per_operation_over_our_fixed_cost() {
        // Ours: 100 ms and 80 MiB fixed; v1 adds 4 operations at 50 ms and 2 MiB each.
        let ours = group(&[(100, 80), (300, 88)]);
        // Old: 286 operations at 200 ms and 4 MiB each over the same fixed cost.
        let old = group(&[(100 + 286 * 200, 80 + 286 * 4)]);
        let versions = [Version {
            version: "1".into(),
            module: "v1".into(),
            operations: Some(4),
            files: 1,
            lines: 400,
        }];
        let source = OldSource {
            module: "package_1".into(),
            operations: 286,
            lines: 286 * 200,
        };
        let mut report = String::new();
        comparison(
            &mut report,
            &["check"],
            &ours,
            &versions,
            &old,
            &source,
            None,
        );
        assert!(
            report.contains(
                "**`v1` per operation against the old crate:** `cargo check` 4.0× cheaper; its peak memory 2.0× lighter; lines 2.0× fewer."
            ),
            "{report}"
        );
        assert!(
            report.contains("| 286 | 200 | 57.30 s | 200.0 | 1224 MiB | 4.00 |"),
            "{report}"
        );
    }
}
