//! Test databases for the conformance suites: a fresh SQLite file every time, and a fresh
//! PostgreSQL database when TEST_DATABASE_URL is set. A run without it says loudly, per test,
//! that the PostgreSQL half did not run, and under CI (`CI=true` or `CI=1`) it fails instead:
//! a green CI run must mean both databases were checked. The people and commands most stories
//! begin with are in `people` and `chat`.

#![allow(dead_code)]

pub mod chat;
pub mod model_double;
pub mod people;

use backend::{
    Db,
    db::{create_scratch_postgres_database, drop_scratch_postgres_database},
};

pub struct TestDb {
    pub db: Db,
    scratch: Option<(String, String)>,
    dir: Option<std::path::PathBuf>,
}

impl TestDb {
    /// The scratch PostgreSQL database's URL (`None` on SQLite), for what connects by URL.
    pub fn postgres_url(&self) -> Option<&str> {
        self.scratch.as_ref().map(|(_, url)| url.as_str())
    }

    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some((base, scratch)) = self.scratch {
            drop_scratch_postgres_database(&base, &scratch).await;
        }
        if let Some(dir) = self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub fn scratch_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("baton-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub async fn sqlite() -> TestDb {
    let dir = scratch_dir();
    let url = format!("sqlite://{}/baton.db", dir.display());
    let db = Db::open(&url, 4).await.expect("SQLite test database opens");
    TestDb {
        db,
        scratch: None,
        dir: Some(dir),
    }
}

/// A fresh PostgreSQL database for the conformance test `test`, or `None` when
/// TEST_DATABASE_URL is unset: then the test says it did not run, and fails under CI.
pub async fn postgres(test: &str) -> Option<TestDb> {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        not_run_without_postgres(test, running_in_ci());
        return None;
    };
    let scratch = create_scratch_postgres_database(&base)
        .await
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is not usable: {e}"));
    let db = Db::open(&scratch, 4)
        .await
        .expect("PostgreSQL test database opens");
    Some(TestDb {
        db,
        scratch: Some((base, scratch)),
        dir: None,
    })
}

/// CI services set `CI=true` (some set `CI=1`); anything else is a developer's machine.
pub fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|ci| ci.trim().eq_ignore_ascii_case("true") || ci.trim() == "1")
}

/// The one place a missing database is reported: a NOT RUN line a developer sees in the test
/// output, and a failure under CI, where a skipped PostgreSQL half would look like a pass.
pub fn not_run_without_postgres(test: &str, in_ci: bool) {
    let how = "set TEST_DATABASE_URL, e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
               cargo test -p backend (or run scripts/test.sh, which sets it)";
    if in_ci {
        panic!(
            "PostgreSQL conformance test {test} NOT RUN under CI: TEST_DATABASE_URL is not set; {how}"
        );
    }
    // Straight to stderr, not `eprintln!`: the test harness hides a passing test's captured
    // output, and this line must be seen.
    // One write of the whole line, so parallel tests do not interleave inside it.
    use std::io::Write;
    let line = format!(
        "\nNOT RUN: PostgreSQL conformance test {test} (TEST_DATABASE_URL is not set); to run it, {how}\n"
    );
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Runs each named `async fn(&Db)` against SQLite and, when configured, PostgreSQL.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let test_db = super::support::sqlite().await;
                    super::$name(&test_db.db).await;
                    test_db.cleanup().await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let test = concat!(module_path!(), "::", stringify!($name));
                    if let Some(test_db) = super::support::postgres(test).await {
                        super::$name(&test_db.db).await;
                        test_db.cleanup().await;
                    }
                }
            )*
        }
    };
}
