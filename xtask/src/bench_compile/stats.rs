//! Samples, medians and how figures are written in the report.

use std::time::Duration;

/// One timed process.
#[derive(Clone, Copy, Default)]
pub struct Sample {
    pub wall: Duration,
    /// KiB, when GNU time is available.
    pub max_rss_kib: Option<u64>,
}

/// The samples of one command and target, one per round.
#[derive(Default)]
pub struct Row {
    pub compile: Vec<Sample>,
    pub no_op: Vec<Sample>,
}

impl Row {
    pub fn walls(&self) -> Vec<Duration> {
        self.compile.iter().map(|s| s.wall).collect()
    }

    /// Median wall time of the compiles.
    pub fn wall(&self) -> Duration {
        median(&self.walls())
    }

    /// `median (min–max)` of the compiles.
    pub fn wall_range(&self) -> String {
        let walls = self.walls();
        format!(
            "{} ({}–{})",
            duration(median(&walls)),
            duration(walls.iter().copied().min().unwrap_or_default()),
            duration(walls.iter().copied().max().unwrap_or_default()),
        )
    }

    /// Median peak memory of the compiles, KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        median_rss(&self.compile)
    }

    pub fn no_op_wall(&self) -> Duration {
        median(&self.no_op.iter().map(|s| s.wall).collect::<Vec<_>>())
    }
}

pub fn median_rss(samples: &[Sample]) -> Option<u64> {
    let mut rss: Vec<u64> = samples.iter().filter_map(|s| s.max_rss_kib).collect();
    if rss.is_empty() {
        return None;
    }
    rss.sort_unstable();
    let mid = rss.len() / 2;
    Some(if rss.len().is_multiple_of(2) {
        (rss[mid - 1] + rss[mid]) / 2
    } else {
        rss[mid]
    })
}

pub fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n.is_multiple_of(2) => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
        n => sorted[n / 2],
    }
}

pub fn duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        format!("{:.2} s", d.as_secs_f64())
    } else {
        format!("{:.0} ms", d.as_secs_f64() * 1000.0)
    }
}

pub fn memory(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |kib| format!("{:.0} MiB", mib(kib)))
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `3.1× cheaper` when ours is below theirs, `1.4× dearer` above it.
pub fn against(ours: f64, theirs: f64, below: &str, above: &str) -> String {
    if !(ours > 0.0 && theirs > 0.0) {
        return "n/a".into();
    }
    let (ratio, word) = if ours <= theirs {
        (theirs / ours, below)
    } else {
        (ours / theirs, above)
    };
    // Two decimals near 1, where one would read `1.0× fewer`.
    if ratio < 2.0 {
        format!("{ratio:.2}× {word}")
    } else {
        format!("{ratio:.1}× {word}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(3), ms(1), ms(2)]), ms(2));
        assert_eq!(
            median(&[ms(4), ms(1), ms(2), ms(3)]),
            Duration::from_micros(2500)
        );
        assert_eq!(median(&[]), Duration::ZERO);
    }

    #[test]
    fn peak_memory_median_skips_missing_samples() {
        let sample = |kib| Sample {
            wall: Duration::ZERO,
            max_rss_kib: kib,
        };
        assert_eq!(median_rss(&[sample(None), sample(None)]), None);
        assert_eq!(
            median_rss(&[sample(Some(10)), sample(None), sample(Some(30))]),
            Some(20)
        );
    }

    #[test]
    fn ratios_say_which_way() {
        assert_eq!(against(10.0, 55.0, "cheaper", "dearer"), "5.5× cheaper");
        assert_eq!(against(20.0, 10.0, "cheaper", "dearer"), "2.0× dearer");
        assert_eq!(against(185.0, 194.0, "fewer", "more"), "1.05× fewer");
        assert_eq!(against(0.0, 10.0, "cheaper", "dearer"), "n/a");
    }
}
