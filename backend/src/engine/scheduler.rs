//! The timer loop: sleeps until the earliest stored deadline (or until a command re-arms it),
//! then ticks every due conversation. Deadlines live in the database, so a deadline that passed
//! while the server was down fires right after start, once.

use std::time::Duration;

use tokio::sync::watch;

use super::Engine;

/// Longest sleep without looking at the database, so deadlines written by another node are
/// picked up even without a local re-arm.
const MAX_NAP: Duration = Duration::from_secs(5);

pub async fn run(engine: Engine, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(error) = engine.tick_due().await {
            tracing::warn!(%error, "scheduler could not tick due conversations; retrying");
        }
        let nap = match engine.next_deadline().await {
            Ok(Some(at)) => {
                let wait = at.as_millis() - engine.now().as_millis();
                Duration::from_millis(wait.clamp(0, MAX_NAP.as_millis() as i64) as u64)
            }
            Ok(None) => MAX_NAP,
            Err(error) => {
                tracing::warn!(%error, "scheduler could not read deadlines; retrying");
                MAX_NAP
            }
        };
        tokio::select! {
            () = tokio::time::sleep(nap) => {}
            () = engine.rearm.notified() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
