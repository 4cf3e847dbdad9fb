//! Applying a refresh [`Step`] inside the write transaction: rotation and grace re-issue as
//! compare-and-sets on the token's state and the family's generation, or a family revocation.

use super::{Cached, OrStore, SqliteStore};
use crate::session::Step;
use crate::session::store::{Family, NewEvent, TokenRecord};
use anyhow::Result;
use rusqlite::{Connection, params};

impl SqliteStore {
    /// Moves the family to `successor` at generation `successor.generation`, if it is still at
    /// the generation before.
    pub(super) fn advance(
        &self,
        tx: &Connection,
        f: &Family,
        successor: &TokenRecord,
        now: i64,
    ) -> Result<()> {
        let n = tx
            .run(
                "UPDATE families SET generation = ?1, current_jti = ?2, last_refresh_at = ?3 \
                 WHERE id = ?4 AND generation = ?5 AND current_jti = ?6 AND revoked_at IS NULL",
                params![
                    successor.generation,
                    successor.jti,
                    now,
                    f.id,
                    f.generation,
                    f.current_jti
                ],
            )
            .store(self)?;
        self.cas(n, "the family")?;
        self.insert_token(tx, successor)
    }

    /// Applies `step`: each write is a compare-and-set on the step's target as the decision
    /// saw it.
    pub(super) fn apply(&self, tx: &Connection, step: &Step, now: i64) -> Result<()> {
        match step {
            Step::Rotate { target, successor } => {
                let (f, t, successor) = (&target.family, &target.token, &successor.record);
                let n = tx
                    .run(
                        "UPDATE refresh_tokens SET state = 'used', used_at = ?1, replaced_by = ?2 \
                         WHERE jti = ?3 AND state = 'active'",
                        params![now, successor.jti, t.jti],
                    )
                    .store(self)?;
                self.cas(n, "the refresh token")?;
                self.advance(tx, f, successor, now)?;
                let e = NewEvent::new("rotated", Some(&successor.jti), Some(successor.generation))
                    .detail(format!("replaces generation {}", t.generation));
                self.log(tx, now, Some(f), None, &e)
            }
            Step::Grace { target, successor } => {
                let (f, t, successor) = (&target.family, &target.token, &successor.record);
                let superseded = &f.current_jti;
                let n = tx
                    .run(
                        "UPDATE refresh_tokens SET state = 'superseded' \
                         WHERE jti = ?1 AND state = 'active'",
                        [superseded],
                    )
                    .store(self)?;
                self.cas(n, "the current refresh token")?;
                let n = tx
                    .run(
                        "UPDATE refresh_tokens SET replaced_by = ?1 \
                         WHERE jti = ?2 AND state = 'used' AND replaced_by = ?3",
                        params![successor.jti, t.jti, superseded],
                    )
                    .store(self)?;
                self.cas(n, "the refresh token")?;
                self.advance(tx, f, successor, now)?;
                let e = NewEvent::new("grace_reissued", Some(&successor.jti), Some(successor.generation))
                    .detail(format!(
                        "generation {} presented again within the grace window; generation {} superseded",
                        t.generation, f.generation
                    ));
                self.log(tx, now, Some(f), None, &e)
            }
            Step::Revoke {
                target,
                reason,
                event,
                ..
            } => {
                self.log(tx, now, Some(&target.family), None, event)?;
                self.revoke_in(tx, &target.family, *reason, now)
            }
            Step::Refuse { logged, .. } => match logged {
                Some((target, e)) => self.log(tx, now, Some(&target.family), None, e),
                None => Ok(()),
            },
        }
    }
}
