//! `mobank.channels()`: the customer's payment channels and their limits.

use std::sync::Arc;

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    self, paths, ChallengePurpose, ChannelsResponse, DisableChannelRequest, EnableChannelRequest,
    SetLimitsRequest,
};
use mobank_protocol::money::Currency;
use mobank_protocol::transfer::Channel;
use mobank_protocol::Assertion;
use rust_decimal::Decimal;

use super::check::fetch;
use super::model::ChannelInfo;
use super::state::LimitsState;
use crate::auth::{authorize, Authorized, Operation, Second};
use crate::context::Context;
use crate::error::{internal, MobankError};
use crate::kill;
use crate::money::parse_typed_amount;

/// Payment channels: see them, turn one on (strong authentication; the bank tells every
/// device) or off (at once), and set their limits (lower at once; higher after a strong
/// authentication and the bank's cooling-off). A cheap handle: get one from
/// [`crate::Mobank::channels`] per use.
pub struct ChannelsClient {
    context: Arc<Context>,
    state: Arc<LimitsState>,
}

impl ChannelsClient {
    pub(crate) fn new(context: Arc<Context>, state: Arc<LimitsState>) -> Self {
        Self { context, state }
    }

    /// Every channel with its state, limits, pending raise and the room left now, in the order
    /// mobile transfer, QR payment, quick pay. Needs a session.
    pub async fn list(&self) -> Result<Vec<ChannelInfo>, MobankError> {
        let auth = authorize(&self.context, None)?;
        Ok(infos(fetch(&self.context, &self.state, &auth).await?))
    }

    /// Turns `channel` on, signed by this phone's possession key. Needs a fresh strong
    /// authentication (`StepUpRequired` before anything is sent otherwise). The bank tells
    /// every bound device. Turning on a channel that is on changes nothing.
    pub async fn enable(&self, channel: Channel) -> Result<Vec<ChannelInfo>, MobankError> {
        let auth = authorize(&self.context, Some(Operation::EnableChannel))?;
        let operation = operations::enable_channel(channel.code());
        let (challenge_id, assertion) = sign_operation(&auth, operation).await?;
        let request = EnableChannelRequest {
            channel,
            challenge_id,
            assertion,
        };
        self.send(&auth, paths::CHANNELS_ENABLE, &request).await
    }

    /// Turns `channel` off at once. Needs only a session.
    pub async fn disable(&self, channel: Channel) -> Result<Vec<ChannelInfo>, MobankError> {
        let auth = authorize(&self.context, None)?;
        let request = DisableChannelRequest { channel };
        self.send(&auth, paths::CHANNELS_DISABLE, &request).await
    }

    /// Sets the three limits of `channel` from what the customer typed. A value at or below
    /// the one in force applies at once; a higher one needs a fresh strong authentication
    /// (`StepUpRequired` before anything is sent otherwise) and applies after the bank's
    /// cooling-off, shown as `pending` until then. A limit that is not a positive amount at the
    /// currency's scale is `AmountRejected`; one above the bank's ceiling, or limits out of
    /// order (per transaction ≤ daily ≤ monthly), `InvalidInput`. Nothing is sent for either.
    pub async fn set_limits(
        &self,
        channel: Channel,
        per_transaction: String,
        daily: String,
        monthly: String,
    ) -> Result<Vec<ChannelInfo>, MobankError> {
        let auth = authorize(&self.context, None)?;
        let channels = match self
            .state
            .channels(&auth.token, self.context.clock.now_ms())
        {
            Some(channels) => channels,
            None => fetch(&self.context, &self.state, &auth).await?,
        };
        let view = channels
            .channels
            .iter()
            .find(|view| view.channel == channel)
            .ok_or_else(|| internal("the bank did not list a channel"))?;
        let currency: Currency = view
            .currency
            .parse()
            .map_err(|_| internal("the bank's limit currency is not supported"))?;
        let typed = |text: &str| {
            parse_typed_amount(text, currency)
                .map(|amount| amount.value())
                .map_err(|reason| MobankError::AmountRejected { reason })
        };
        let limits = messages::ChannelLimits {
            per_transaction: typed(&per_transaction)?,
            daily: typed(&daily)?,
            monthly: typed(&monthly)?,
        };
        check_against(&limits, &view.ceilings)?;
        let raises = limits.per_transaction > view.limits.per_transaction
            || limits.daily > view.limits.daily
            || limits.monthly > view.limits.monthly;
        let mut request = SetLimitsRequest {
            channel,
            limits,
            challenge_id: None,
            assertion: None,
        };
        if raises {
            let auth = authorize(&self.context, Some(Operation::RaiseLimit))?;
            let operation = operations::set_limits(
                channel.code(),
                &limits.per_transaction.to_string(),
                &limits.daily.to_string(),
                &limits.monthly.to_string(),
            );
            let (challenge_id, assertion) = sign_operation(&auth, operation).await?;
            kill::point(kill::LIMITS_SIGNED);
            request.challenge_id = Some(challenge_id);
            request.assertion = Some(assertion);
        }
        self.send(&auth, paths::CHANNELS_LIMITS, &request).await
    }

    async fn send<T: serde::Serialize + Sync>(
        &self,
        auth: &Authorized,
        path: &str,
        request: &T,
    ) -> Result<Vec<ChannelInfo>, MobankError> {
        // Whatever the answer, what was remembered may no longer be so.
        self.state.forget();
        let result = self
            .context
            .bank
            .post_authorized::<_, ChannelsResponse>(path, request, &auth.token)
            .await;
        let channels = auth.settle(result).await?;
        self.state
            .remember(&auth.token, channels.clone(), self.context.clock.now_ms());
        tracing::info!(path, "channels changed");
        Ok(infos(channels))
    }
}

fn infos(channels: ChannelsResponse) -> Vec<ChannelInfo> {
    channels
        .channels
        .into_iter()
        .map(ChannelInfo::from)
        .collect()
}

/// The bank's rules the phone can judge: at most the ceiling, and in order.
fn check_against(
    limits: &messages::ChannelLimits,
    ceilings: &messages::ChannelLimits,
) -> Result<(), MobankError> {
    let above = |value: Decimal, ceiling: Decimal| value > ceiling;
    if above(limits.per_transaction, ceilings.per_transaction)
        || above(limits.daily, ceilings.daily)
        || above(limits.monthly, ceilings.monthly)
    {
        return Err(MobankError::InvalidInput {
            what: "a limit is above the bank's ceiling for the channel".to_owned(),
        });
    }
    if limits.per_transaction > limits.daily || limits.daily > limits.monthly {
        return Err(MobankError::InvalidInput {
            what: "limits must be per transaction ≤ daily ≤ monthly".to_owned(),
        });
    }
    Ok(())
}

/// A challenge for `operation`, answered by the possession key alone.
async fn sign_operation(
    auth: &Authorized,
    operation: String,
) -> Result<(String, Assertion), MobankError> {
    let mut answered = auth
        .answer_challenge(ChallengePurpose::Operation, Some(operation), Second::None)
        .await?;
    let assertion = answered
        .assertions
        .pop()
        .ok_or_else(|| internal("no possession assertion"))?;
    Ok((answered.challenge_id, assertion))
}
