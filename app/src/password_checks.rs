//! Password checks (argon2id: ~19 MiB and tens of milliseconds each) under a crowd: at most a
//! few run at once, each in memory kept for the next one, and a login waits a bounded time for
//! its turn; past it the login is told to come back, never queued without end.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::domain::password::{self, CheckMemory};
use crate::model::PASSWORD_CHECK_WAIT_SECONDS;

/// `JETONS_PASSWORD_CHECKS`' default.
pub const DEFAULT_PASSWORD_CHECKS: usize = 2;
pub const DEFAULT_PASSWORD_CHECK_WAIT: Duration = Duration::from_secs(PASSWORD_CHECK_WAIT_SECONDS);

pub struct PasswordChecks {
    slots: Semaphore,
    wait: Duration,
    memory: Mutex<Vec<CheckMemory>>,
}

impl Default for PasswordChecks {
    fn default() -> Self {
        Self::new(DEFAULT_PASSWORD_CHECKS, DEFAULT_PASSWORD_CHECK_WAIT)
    }
}

impl PasswordChecks {
    /// At most `slots` checks at once (at least one); a login waits at most `wait` for one.
    pub fn new(slots: usize, wait: Duration) -> Self {
        Self {
            slots: Semaphore::new(slots.max(1)),
            wait,
            memory: Mutex::new(Vec::new()),
        }
    }

    /// Whole seconds a login turned away should wait before trying again (at least one).
    pub fn retry_after(&self) -> u64 {
        self.wait.as_secs() + u64::from(self.wait.subsec_nanos() > 0)
    }

    /// Checks `password` against `stored` when a slot frees up in time; `None` when none did.
    pub async fn check(&self, stored: Option<String>, password: String) -> Option<bool> {
        let permit = tokio::time::timeout(self.wait, self.slots.acquire())
            .await
            .ok()?
            .ok()?;
        let mut memory = self
            .memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        let checked = tokio::task::spawn_blocking(move || {
            let verified = password::verify_password_in(&mut memory, stored.as_deref(), &password);
            (verified, memory)
        })
        .await;
        drop(permit);
        let (verified, memory) = checked.ok()?;
        self.memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(memory);
        Some(verified)
    }
}
