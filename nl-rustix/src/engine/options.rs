//! Per-request settings: deadline, receive budget, what happens to replies.

use crate::Error;
use nl_proto::wire::Msg;
use std::time::{Duration, Instant};

/// Called with each reply message of a streaming request as it arrives.
pub(super) type OnReply = Box<dyn FnMut(&Msg<'_>) -> Result<(), Error> + Send>;

/// Per-request settings for [`Pipeline::submit_with`](super::Pipeline::submit_with).
///
/// ```
/// use nl_rustix::engine::RequestOptions;
/// use std::time::Duration;
/// let opts = RequestOptions::new()
///     .timeout(Duration::from_millis(500))
///     .answer_cost(16 * 1024);
/// # let _ = opts;
/// ```
#[derive(Default)]
#[must_use]
pub struct RequestOptions {
    pub(super) deadline: DeadlineOpt,
    pub(super) cost: Option<usize>,
    pub(super) replies: Replies,
}

/// When a request times out.
#[derive(Debug, Default, Clone, Copy)]
pub(super) enum DeadlineOpt {
    #[default]
    Default,
    After(Duration),
    At(Instant),
    Never,
}

/// What happens to a request's reply messages.
#[derive(Default)]
pub(super) enum Replies {
    /// Collected into its [`Answer`](super::Answer).
    #[default]
    Collect,
    /// Handed to a callback as they arrive.
    Stream(OnReply),
    /// Dropped: only the outcome matters.
    Discard,
}

impl std::fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let replies = match self.replies {
            Replies::Collect => "collect",
            Replies::Stream(_) => "stream",
            Replies::Discard => "discard",
        };
        f.debug_struct("RequestOptions")
            .field("deadline", &self.deadline)
            .field("cost", &self.cost)
            .field("replies", &replies)
            .finish()
    }
}

impl RequestOptions {
    /// The defaults: the pipeline's timeout, the cost its expectation
    /// implies, replies collected into the [`Answer`](super::Answer).
    pub fn new() -> Self {
        Self::default()
    }

    /// Fail the request with [`Error::Timeout`] if it has not ended
    /// `timeout` after it was submitted.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.deadline = DeadlineOpt::After(timeout);
        self
    }

    /// Fail the request with [`Error::Timeout`] if it has not ended by
    /// `deadline`.
    pub fn deadline(mut self, deadline: Instant) -> Self {
        self.deadline = DeadlineOpt::At(deadline);
        self
    }

    /// No deadline: the request waits as long as it takes.
    pub fn no_deadline(mut self) -> Self {
        self.deadline = DeadlineOpt::Never;
        self
    }

    /// Budget the answer at `bytes` of the receive buffer instead of
    /// [`ANSWER_COST`](super::ANSWER_COST) / [`DUMP_COST`](super::DUMP_COST)
    /// (e.g. a GET of a link with hundreds of VFs, whose reply alone is
    /// tens of KiB).
    pub fn answer_cost(mut self, bytes: usize) -> Self {
        self.cost = Some(bytes);
        self
    }

    /// Hand each reply message to `on_reply` as it arrives instead of
    /// collecting it: a dump of any size then runs in constant memory, and
    /// the final [`Answer`](super::Answer) holds no replies. An error from
    /// `on_reply` fails the request (the rest of its answer is read and
    /// dropped).
    pub fn on_reply(
        mut self,
        on_reply: impl FnMut(&Msg<'_>) -> Result<(), Error> + Send + 'static,
    ) -> Self {
        self.replies = Replies::Stream(Box::new(on_reply));
        self
    }

    /// Drop the reply messages: only whether the request succeeded is
    /// reported (what [`Conn::batch`](crate::Conn::batch) asks for). A reply
    /// cut short by the receive buffer then costs nothing, as its
    /// acknowledgement still comes.
    pub fn discard_replies(mut self) -> Self {
        self.replies = Replies::Discard;
        self
    }
}
