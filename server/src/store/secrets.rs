//! Keys the server makes for itself, kept in the database so that every instance uses the
//! same ones.

use chrono::{DateTime, Utc};
use rand::RngCore;

use app::backend::{StoreError, StoreResult};
use app::domain::device::{DeviceKey, KEY_BYTES};
use app::domain::token::{from_hex, to_hex};

use super::{db_error, Db};

const DEVICE_KEY: &str = "device_cookies";

impl Db {
    /// The key that signs device cookies: made by the first instance that asks, then read by
    /// every other.
    pub async fn device_key(&self, now: DateTime<Utc>) -> StoreResult<DeviceKey> {
        let mut fresh = [0u8; KEY_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        sqlx::query(
            "INSERT INTO server_keys (name, secret, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(DEVICE_KEY)
        .bind(to_hex(&fresh))
        .bind(now.timestamp())
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        let stored: String = sqlx::query_scalar("SELECT secret FROM server_keys WHERE name = $1")
            .bind(DEVICE_KEY)
            .fetch_one(&self.pool)
            .await
            .map_err(db_error)?;
        parse_key(&stored)
            .map(DeviceKey::from_bytes)
            .ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "server_keys.{DEVICE_KEY} is not {} hexadecimal digits",
                    KEY_BYTES * 2
                ))
            })
    }
}

fn parse_key(hex: &str) -> Option<[u8; KEY_BYTES]> {
    from_hex(hex)?.try_into().ok()
}
