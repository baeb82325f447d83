//! Where attachments' bytes live: a directory under the data directory by default, or an
//! S3-compatible bucket. Both through the `object_store` crate, so the code that stores, reads
//! and removes files is the same for either. Files are named by their content (SHA-256), so the
//! same file sent twice is kept once.

use std::{path::Path, sync::Arc, time::Duration};

use bytes::Bytes;
use object_store::{ObjectStore, PutPayload, path::Path as StorePath};
use sha2::{Digest, Sha256};

use crate::error::BackendError;

/// The store of attachments' bytes.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    /// What the store is, for the start-up log.
    pub described: String,
}

/// A stored file's name in the store: the hex SHA-256 of its bytes.
pub fn key_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `ab/abcdef…`: a level of folders keeps a directory from holding every file.
fn path_of(key: &str) -> Result<StorePath, BackendError> {
    if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(BackendError::Corrupt(format!("attachment key {key:?}")));
    }
    Ok(StorePath::from(format!("{}/{key}", &key[..2])))
}

fn failed(what: &str) -> impl Fn(object_store::Error) -> BackendError + '_ {
    move |error| {
        tracing::error!(%error, "attachment store: {what} failed");
        BackendError::Storage(what.to_string())
    }
}

impl Files {
    /// Files under `dir` (created when missing).
    pub fn local(dir: &Path) -> Result<Files, BackendError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| BackendError::Config(format!("cannot create {}: {e}", dir.display())))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| BackendError::Config(format!("attachments in {}: {e}", dir.display())))?;
        Ok(Files {
            store: Arc::new(store),
            described: format!("the directory {}", dir.display()),
        })
    }

    /// Files in an S3-compatible bucket; region, endpoint and keys from the `AWS_*` variables.
    pub fn bucket(name: &str) -> Result<Files, BackendError> {
        let store = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(name)
            .build()
            .map_err(|e| BackendError::Config(format!("BATON_ATTACHMENTS_BUCKET {name:?}: {e}")))?;
        Ok(Files {
            store: Arc::new(store),
            described: format!("the bucket {name}"),
        })
    }

    /// Stores `bytes` under `key` (the local store writes a temporary file and renames it, so a
    /// reader never sees half a file).
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BackendError> {
        self.store
            .put(&path_of(key)?, PutPayload::from_bytes(bytes))
            .await
            .map_err(failed("writing a file"))?;
        Ok(())
    }

    /// The file's bytes; `NotFound` when the store has none under `key`.
    pub async fn get(&self, key: &str) -> Result<Bytes, BackendError> {
        match self.store.get(&path_of(key)?).await {
            Ok(found) => found.bytes().await.map_err(failed("reading a file")),
            Err(object_store::Error::NotFound { .. }) => Err(BackendError::NotFound),
            Err(error) => Err(failed("reading a file")(error)),
        }
    }

    pub async fn exists(&self, key: &str) -> Result<bool, BackendError> {
        match self.store.head(&path_of(key)?).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(failed("looking for a file")(error)),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), BackendError> {
        match self.store.delete(&path_of(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(failed("removing a file")(error)),
        }
    }

    /// The keys of files stored more than `older_than` ago (the sweep's candidates: a younger
    /// one may belong to an upload whose message is being stored right now).
    pub async fn keys_older_than(&self, older_than: Duration) -> Result<Vec<String>, BackendError> {
        use futures_util::TryStreamExt;
        let cutoff = chrono_cutoff(older_than);
        let listed: Vec<object_store::ObjectMeta> = self
            .store
            .list(None)
            .try_collect()
            .await
            .map_err(failed("listing files"))?;
        Ok(listed
            .into_iter()
            .filter(|meta| meta.last_modified.timestamp_millis() < cutoff)
            .filter_map(|meta| meta.location.filename().map(str::to_string))
            .filter(|name| name.len() == 64 && name.chars().all(|c| c.is_ascii_hexdigit()))
            .collect())
    }
}

/// Unix milliseconds `ago` before now, by the system clock (the files' own times are too).
fn chrono_cutoff(ago: Duration) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.saturating_sub(ago).as_millis()).unwrap_or(i64::MAX)
}
