//! Where a process's first HTTPS request spends its CPU before the TLS ClientHello leaves:
//! each step of the first request timed in a fresh process, as reqwest (azure_core's default
//! transport, rustls on aws-lc-rs with `rustls-platform-verifier`) takes them. Run with
//!
//! ```text
//! cargo bench -p codegen_tests --bench first_request                 # release
//! cargo bench -p codegen_tests --bench first_request --profile dev   # debug
//! ```
//!
//! The binary runs itself `FIRST_REQUEST_RUNS` times (default 15) per variant and prints
//! the median wall and CPU time (this thread's, `CLOCK_THREAD_CPUTIME_ID`) of each step:
//!
//! - `system roots`: what reqwest does by default, so that `reqwest::Client::build` loads the
//!   platform's root certificates (`rustls-native-certs`: `SSL_CERT_FILE`, `SSL_CERT_DIR` or
//!   OpenSSL's locations) and parses them into a root store.
//! - `no system roots`: the same client from a rustls `ClientConfig` with an empty root store
//!   (`tls_backend_preconfigured`), which is what a client with compiled-in roots
//!   (`webpki-roots`) costs at start-up; the steps that load roots are skipped.
//!
//! The first request goes to a listener on 127.0.0.1 that only reads the ClientHello and
//! closes; its arrival ends the `first request` step.

use std::io::Read;
use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

const CHILD: &str = "FIRST_REQUEST_CHILD";
const VARIANTS: [&str; 2] = ["system roots", "no system roots"];

fn main() {
    match std::env::var(CHILD) {
        Ok(variant) => child(&variant),
        Err(_) => parent(),
    }
}

/// This thread's time on the CPU so far (`CLOCK_THREAD_CPUTIME_ID`: exact, where
/// `/proc/thread-self/schedstat` only moves at scheduler ticks).
fn cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the duration of the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// Times steps; prints `step\twall_us\tcpu_us` lines for the parent.
struct Steps {
    wall: Instant,
    cpu: Duration,
}

impl Steps {
    fn start() -> Self {
        Steps {
            wall: Instant::now(),
            cpu: cpu(),
        }
    }

    fn step(&mut self, name: &str) {
        let (wall, cpu) = (Instant::now(), cpu());
        println!(
            "{name}\t{}\t{}",
            (wall - self.wall).as_micros(),
            (cpu - self.cpu).as_micros()
        );
        self.wall = wall;
        self.cpu = cpu;
    }
}

fn child(variant: &str) {
    println!("process start to main\t0\t{}", cpu().as_micros());
    let mut steps = Steps::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    steps.step("tokio runtime");
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let _ = provider.clone().install_default();
    steps.step("crypto provider (aws-lc-rs) built and installed");
    let mut random = [0u8; 32];
    let _ = provider.secure_random.fill(&mut random);
    steps.step("aws-lc-rs start-up (first random bytes)");
    // rustls's ClientHello carries a key share of the first group and, when that is a
    // post-quantum hybrid, of its classical part too: time each group's first key share.
    for group in provider.kx_groups.iter() {
        let _ = group.start();
        steps.step(&format!("first key share: {:?}", group.name()));
    }

    let builder = reqwest::Client::builder().no_proxy();
    let client = if variant == VARIANTS[0] {
        let roots = rustls_native_certs::load_native_certs();
        steps.step("system roots: read and decode PEM");
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(roots.certs);
        steps.step("system roots: parse into a root store");
        builder.build()
    } else {
        let config = ClientConfig::builder_with_provider(Arc::new(provider))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_root_certificates(RootCertStore::empty())
            .with_no_client_auth();
        builder.tls_backend_preconfigured(config).build()
    }
    .expect("a reqwest client");
    steps.step("reqwest client build");

    let listener = TcpListener::bind("127.0.0.1:0").expect("a local listener");
    let url = format!("https://{}/", listener.local_addr().expect("its address"));
    let (hello_tx, hello_rx) = mpsc::channel();
    std::thread::spawn(move || {
        if let Ok((mut socket, _)) = listener.accept() {
            let mut buf = [0u8; 1];
            if socket.read_exact(&mut buf).is_ok() {
                let _ = hello_tx.send(Instant::now());
            }
        }
    });
    let (started, cpu_before) = (Instant::now(), cpu());
    let _ = runtime.block_on(client.get(url).send());
    let cpu_after = cpu();
    let hello = hello_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the ClientHello arrived");
    println!(
        "first request until the ClientHello\t{}\t{}",
        (hello - started).as_micros(),
        (cpu_after - cpu_before).as_micros()
    );
}

fn parent() {
    let runs: usize = std::env::var("FIRST_REQUEST_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(15);
    let exe = std::env::current_exe().expect("this binary");
    for variant in VARIANTS {
        // step -> (wall samples, cpu samples), in first-seen order
        let mut steps: Vec<(String, Vec<u128>, Vec<u128>)> = Vec::new();
        for _ in 0..runs {
            let out = Command::new(&exe)
                .env(CHILD, variant)
                .output()
                .expect("a child run");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let mut fields = line.split('\t');
                let (Some(name), Some(wall), Some(cpu)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    continue;
                };
                let index = match steps.iter().position(|(n, _, _)| n == name) {
                    Some(i) => i,
                    None => {
                        steps.push((name.to_string(), Vec::new(), Vec::new()));
                        steps.len() - 1
                    }
                };
                steps[index].1.push(wall.parse().unwrap_or(0));
                steps[index].2.push(cpu.parse().unwrap_or(0));
            }
        }
        println!("\n{variant}: medians of {runs} processes\n");
        println!("| step | wall | CPU |\n|---|---:|---:|");
        let (mut total_cpu, mut total_wall) = (0.0, 0.0);
        for (name, walls, cpus) in &mut steps {
            let (wall, cpu) = (median_ms(walls), median_ms(cpus));
            total_wall += wall;
            total_cpu += cpu;
            println!("| {name} | {wall:.2} ms | {cpu:.2} ms |");
        }
        println!(
            "| sum of medians, main to ClientHello | {total_wall:.2} ms | {total_cpu:.2} ms |"
        );
    }
}

fn median_ms(samples: &mut [u128]) -> f64 {
    samples.sort_unstable();
    samples
        .get(samples.len() / 2)
        .map_or(0.0, |&us| us as f64 / 1000.0)
}
