//! The audit log: building its events, and reading it one page at a time.

use super::{admin, internal, Actor, Admin, Caller, ConsoleError};
use crate::backend::{AuditRecord, Author, Console};
use crate::i18n::td_string;
use crate::model::{AuditAction, AuditEntry, AuditPage};

/// Audit log lines per page.
pub const AUDIT_PAGE_SIZE: u32 = 50;

/// The event of `actor` doing `action` on `target` now, from the caller's address.
pub(super) fn audit(
    console: &Console,
    caller: &Caller,
    action: AuditAction,
    actor: String,
    target: impl Into<String>,
) -> AuditRecord {
    AuditRecord {
        at: console.now(),
        action,
        actor,
        client: client_of(caller),
        target: target.into(),
    }
}

/// The caller's address as the audit log shows it.
fn client_of(caller: &Caller) -> String {
    caller
        .client
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

impl<'a> Admin<'a> {
    /// This admin, as whoever acts on tokens.
    pub(super) fn actor(&self) -> Actor<'a> {
        Actor {
            console: self.console,
            author: Author::Person(self.person.id),
            name: self.person.login.clone(),
            client: client_of(self.caller),
            locale: self.caller.locale,
        }
    }

    /// The event of this admin doing `action` on `target` now.
    pub(super) fn event(&self, action: AuditAction, target: impl Into<String>) -> AuditRecord {
        self.actor().event(action, target)
    }
}

impl Actor<'_> {
    /// The event of this actor doing `action` on `target` now.
    pub(super) fn event(&self, action: AuditAction, target: impl Into<String>) -> AuditRecord {
        AuditRecord {
            at: self.console.now(),
            action,
            actor: self.name.clone(),
            client: self.client.clone(),
            target: target.into(),
        }
    }
}

/// How the audit log names a token: its user and its name (unique per user).
pub(super) use crate::model::token_target;

/// One page of the audit log (1-based), newest first. Right 090201 only; the feature flag
/// does not hide it, since flag changes are among its events.
pub async fn audit_log(
    console: &Console,
    caller: &Caller,
    page: u32,
) -> Result<AuditPage, ConsoleError> {
    admin(console, caller).await?;
    if page == 0 {
        return Err(ConsoleError::BadRequest {
            message: td_string!(caller.locale, audit.pages_numbered_from_1).into(),
        });
    }
    let offset = u64::from(page - 1) * u64::from(AUDIT_PAGE_SIZE);
    let (events, total) = console
        .store
        .audit_events(offset, AUDIT_PAGE_SIZE)
        .await
        .map_err(internal)?;
    let pages = u32::try_from(total.div_ceil(u64::from(AUDIT_PAGE_SIZE)))
        .unwrap_or(u32::MAX)
        .max(1);
    Ok(AuditPage {
        entries: events
            .into_iter()
            .map(|event| AuditEntry {
                id: event.id,
                at: event
                    .record
                    .at
                    .with_timezone(&console.zone)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                action: event.record.action,
                actor: event.record.actor,
                client: event.record.client,
                target: event.record.target,
            })
            .collect(),
        page,
        pages,
        total,
    })
}
