//! Test databases for the conformance suites: a fresh SQLite file every time, and a fresh
//! PostgreSQL database when TEST_DATABASE_URL is set (CI always sets it; a run without it says
//! so in its output instead of pretending).

#![allow(dead_code)]

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

pub async fn postgres() -> Option<TestDb> {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("PostgreSQL conformance test not run: TEST_DATABASE_URL is not set");
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
                    if let Some(test_db) = super::support::postgres().await {
                        super::$name(&test_db.db).await;
                        test_db.cleanup().await;
                    }
                }
            )*
        }
    };
}
