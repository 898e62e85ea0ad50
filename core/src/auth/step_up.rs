//! A fresh strong authentication inside the session, for the operations that need one.

use std::sync::Arc;

use mobank_protocol::messages::{paths, ChallengePurpose, StepUpRequest, StepUpResponse};

use super::gate::authorize;
use super::signing::{strong_authentication_succeeded, Second};
use crate::context::Context;
use crate::error::{internal, MobankError};

pub(super) async fn step_up(context: &Arc<Context>, second: Second) -> Result<(), MobankError> {
    let factor = second
        .strong_factor()
        .ok_or_else(|| internal("a step-up needs a second factor"))?;
    let auth = authorize(context, None)?;
    let state = context.usable_state().await?;
    second.check_available(&state)?;
    let answered = auth
        .answer_challenge(ChallengePurpose::StepUp, None, second)
        .await?;
    let sent_at_ms = context.clock.now_ms();
    let result = context
        .bank
        .post_authorized::<_, StepUpResponse>(
            paths::STEP_UP,
            &StepUpRequest {
                challenge_id: answered.challenge_id,
                assertions: answered.assertions,
            },
            &auth.token,
        )
        .await;
    auth.settle(result).await?;
    auth.with_session(|session| {
        session.strong_authentication(factor, sent_at_ms);
    });
    strong_authentication_succeeded(context, &auth.device_id).await;
    tracing::info!("stepped up");
    Ok(())
}
