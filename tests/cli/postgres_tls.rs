//! PostgreSQL over TLS, end to end: `scripts/test` starts a second server with `ssl = on`
//! that accepts only TLS connections, with a certificate made for `localhost` and signed by a
//! root of its own (`KPI_TEST_POSTGRES_TLS_URL`, `KPI_TEST_POSTGRES_TLS_ROOT`), and another
//! root that signed nothing (`KPI_TEST_POSTGRES_OTHER_ROOT`). The first server has no TLS.

use serde_json::{Value, json};

use crate::postgres::{eval, fails, project};

/// A test server setting, never skipped: without it these tests fail.
pub(crate) fn setting(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value,
        _ => {
            panic!("{name} is not set: run the tests with `scripts/test`, which starts the servers")
        }
    }
}

/// The TLS server's URL (host `localhost`, at 127.0.0.1) with more parameters.
fn tls_url(params: &str) -> String {
    format!("{}&{params}", setting("KPI_TEST_POSTGRES_TLS_URL"))
}

/// `path` as a URL parameter's value.
fn encoded(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The right root, as `sslrootcert=…`.
fn right_root() -> String {
    format!(
        "sslrootcert={}",
        encoded(&setting("KPI_TEST_POSTGRES_TLS_ROOT"))
    )
}

/// The password of the test servers' URLs, to check that no message shows it.
fn password() -> String {
    let url = setting("KPI_TEST_POSTGRES_URL");
    let start = url.find("://").unwrap() + 3;
    let credentials = &url[start..start + url[start..].find('@').unwrap()];
    credentials.split_once(':').unwrap().1.to_string()
}

/// A project whose query says whether its own connection is encrypted: `tls` is 1 when
/// `pg_stat_ssl` says so (the server's view, not kpi's).
fn encrypted() -> crate::support::Project {
    project(
        "query = \"select '2026-10' as period, \
         (select ssl::int from pg_stat_ssl where pid = pg_backend_pid()) as tls\"",
        &[("tls", "")],
    )
}

/// The value of `m_tls` for 2026-10: 1 over TLS, 0 without.
fn tls_value(url: &str) -> Value {
    eval(&encrypted(), url, "2026-10")["m_tls"].0.clone()
}

/// The error `kpi eval` gives with `url`, checked to show no secret.
fn refused(url: &str) -> String {
    let stderr = fails(&encrypted(), url);
    for secret in [url, &password(), "postgresql://"] {
        assert!(!stderr.contains(secret), "{secret:?} in {stderr}");
    }
    stderr
}

#[test]
fn require_connects_over_tls_without_checking_the_certificate() {
    assert_eq!(tls_value(&tls_url("sslmode=require")), json!(1.0));
    // Without a root, as libpq: encrypted, whoever signed the certificate; the host name
    // (127.0.0.1 is not in the certificate) is not checked either.
    let by_address = tls_url("sslmode=require").replacen("@localhost:", "@127.0.0.1:", 1);
    assert_eq!(tls_value(&by_address), json!(1.0));
}

#[test]
fn prefer_is_the_default_and_uses_tls_when_the_server_has_it() {
    // No `sslmode`: the TLS server (which takes only TLS connections) is reached over TLS...
    let url = setting("KPI_TEST_POSTGRES_TLS_URL");
    assert_eq!(tls_value(&url), json!(1.0));
    // ... and the server without TLS without it.
    let plain = setting("KPI_TEST_POSTGRES_URL");
    assert_eq!(tls_value(&plain), json!(0.0));
    // `disable` never asks for TLS: the TLS server refuses the connection.
    let stderr = refused(&tls_url("sslmode=disable"));
    assert!(stderr.contains("no pg_hba.conf entry"), "{stderr}");
}

#[test]
fn verify_full_with_the_right_root_connects() {
    let url = tls_url(&format!("sslmode=verify-full&{}", right_root()));
    assert_eq!(tls_value(&url), json!(1.0));
    // `require` with a root checks the certificate as `verify-ca` does.
    let url = tls_url(&format!("sslmode=require&{}", right_root()));
    assert_eq!(tls_value(&url), json!(1.0));
}

#[test]
fn verify_full_with_a_wrong_host_name_is_refused() {
    // The certificate was made for `localhost`; 127.0.0.1 is the same server by another name.
    let url = tls_url(&format!("sslmode=verify-full&{}", right_root())).replacen(
        "@localhost:",
        "@127.0.0.1:",
        1,
    );
    assert_eq!(
        refused(&url),
        "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: the server's certificate \
         is not valid for the host name `127.0.0.1` (`sslmode=verify-full` checks it)\n  \
         = help: connect with the host name the certificate was made for (as your database \
         provider shows it), or use `sslmode=verify-ca` to check the certificate's signature \
         only\n"
    );
    // `verify-ca` checks the signature only, as the help says.
    let url = url.replacen("verify-full", "verify-ca", 1);
    assert_eq!(tls_value(&url), json!(1.0));
}

#[test]
fn verify_full_with_another_root_is_refused() {
    let other = encoded(&setting("KPI_TEST_POSTGRES_OTHER_ROOT"));
    for mode in ["verify-full", "verify-ca", "require"] {
        let stderr = refused(&tls_url(&format!("sslmode={mode}&sslrootcert={other}")));
        assert!(
            stderr.starts_with(
                "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: the server's \
                 certificate is not trusted (not signed by a root of `sslrootcert`)\n"
            ),
            "{mode}: {stderr}"
        );
    }
}

#[test]
fn require_on_a_server_without_tls_is_refused() {
    let plain = setting("KPI_TEST_POSTGRES_URL");
    for mode in ["require", "verify-full"] {
        let url = format!("{plain}?sslmode={mode}&{}", right_root());
        let stderr = refused(&url);
        assert_eq!(
            stderr,
            format!(
                "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: the server does \
                 not accept TLS connections, and `sslmode={mode}` requires TLS\n  = help: turn \
                 TLS on at the server (`ssl = on`), or connect with `sslmode=prefer` to accept \
                 an unencrypted connection\n"
            )
        );
    }
}

#[test]
fn tls_settings_that_cannot_work_are_named() {
    let project = encrypted();
    let home = project.join("home");
    std::fs::create_dir(&home).unwrap();
    let home = home.to_str().unwrap();
    let run = |url: &str| {
        let run = project
            .run_with(
                &["eval", "--format", "json"],
                &[(crate::postgres::VAR, url), ("HOME", home)],
                None,
            )
            .code(1);
        assert!(!run.stderr.contains(&password()), "{}", run.stderr);
        run.stderr
    };
    // No root to check against (and none in ~/.postgresql/root.crt).
    assert!(run(&tls_url("sslmode=verify-full")).starts_with(
        "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: `sslmode=verify-full` \
             checks the server's certificate, but the URL gives no `sslrootcert`\n  = help: add \
             `sslrootcert=/path/to/root.crt` to the URL"
    ));
    // A mode libpq does not know.
    assert!(run(&tls_url("sslmode=verify")).contains(
        "the URL's `sslmode` is none of `disable`, `prefer`, `require`, `verify-ca` and \
         `verify-full`"
    ));
    // A root file that is not there, or holds no certificate.
    let stderr = run(&tls_url("sslmode=verify-full&sslrootcert=missing.crt"));
    assert!(
        stderr.contains("cannot read the root certificates of `sslrootcert` from `missing.crt`"),
        "{stderr}"
    );
    std::fs::write(project.join("empty.crt"), "not a certificate\n").unwrap();
    let stderr = run(&tls_url(&format!(
        "sslmode=verify-full&sslrootcert={}",
        encoded(project.join("empty.crt").to_str().unwrap())
    )));
    assert!(
        stderr.contains("holds no `BEGIN CERTIFICATE` block"),
        "{stderr}"
    );
    // The ~/.postgresql/root.crt that libpq reads when no `sslrootcert` is given.
    std::fs::create_dir(project.join("home/.postgresql")).unwrap();
    std::fs::copy(
        setting("KPI_TEST_POSTGRES_TLS_ROOT"),
        project.join("home/.postgresql/root.crt"),
    )
    .unwrap();
    let run = project
        .run_with(
            &["eval", "--period", "2026-10", "--format", "json"],
            &[
                (
                    crate::postgres::VAR,
                    tls_url("sslmode=verify-full").as_str(),
                ),
                ("HOME", home),
            ],
            None,
        )
        .code(0);
    assert_eq!(run.json()["metrics"][0]["value"], json!(1.0));
}

#[test]
fn sslrootcert_system_reads_the_systems_roots() {
    // `SSL_CERT_FILE` stands for the system's store, as it does for OpenSSL: the roots are
    // read from it alone. With no `sslmode`, the mode is `verify-full`.
    let url = tls_url("sslrootcert=system");
    let project = encrypted();
    let run = |root: &str| {
        project.run_with(
            &["eval", "--period", "2026-10", "--format", "json"],
            &[
                (crate::postgres::VAR, url.as_str()),
                ("SSL_CERT_FILE", root),
            ],
            None,
        )
    };
    let run_ok = run(&setting("KPI_TEST_POSTGRES_TLS_ROOT")).code(0);
    assert_eq!(run_ok.json()["metrics"][0]["value"], json!(1.0));
    let untrusted = run(&setting("KPI_TEST_POSTGRES_OTHER_ROOT")).code(1);
    assert!(
        untrusted.stderr.contains(
            "the server's certificate is not trusted (not signed by a root of `sslrootcert`)"
        ),
        "{}",
        untrusted.stderr
    );
    // A weaker mode with the system's roots is a mistake, as libpq says.
    let stderr = refused(&tls_url("sslrootcert=system&sslmode=require"));
    assert!(
        stderr.starts_with(
            "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: `sslrootcert=system` \
             checks the server against the system's roots, which needs `sslmode=verify-full`, \
             not `require`\n"
        ),
        "{stderr}"
    );
}
