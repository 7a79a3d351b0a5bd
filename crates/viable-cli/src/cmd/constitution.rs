//! `viable constitution …`: read the constitution and drive amendments.

use std::path::PathBuf;

use alloy::{primitives::U256, providers::DynProvider};
use clap::{Args, Subcommand};
use eyre::Context;
use serde_json::json;
use viable::{Amendment, AmendmentId, Support, constitution::Constitution};

use crate::{
    json as j,
    opts::{ChainOpts, Sent},
    out::Output,
    render, tools,
};

/// The constitution (System 5): read its parameters, roles, articles and amendments;
/// propose, vote on, queue, execute and cancel amendments; veto as a guardian.
#[derive(Debug, Args)]
pub(crate) struct ConstitutionArgs {
    #[command(subcommand)]
    command: ConstitutionCommand,
    #[command(flatten)]
    chain: ChainOpts,
    #[command(flatten)]
    pub(crate) out: Output,
}

#[derive(Debug, Subcommand)]
enum ConstitutionCommand {
    /// Without ID: the whole constitution. With ID: one amendment, its tallies per
    /// house and its next deadline.
    Show {
        /// Amendment id (0x hex, as printed).
        id: Option<AmendmentId>,
    },
    /// Parameters with their values and hard bounds.
    Params,
    /// STEWARD and GUARDIAN holders.
    Roles,
    /// The articles, with their text when the URI is a local file or a preset's.
    Articles,
    /// Recognized schemas and their weights.
    Recognitions,
    /// Every amendment proposed on this deployment, with its state.
    List,
    /// Propose the amendment in a TOML file (see docs/amendments.md).
    Propose {
        /// Amendment file.
        file: PathBuf,
    },
    /// Vote on an Active amendment with your weight in both houses.
    Vote {
        /// Amendment id.
        id: AmendmentId,
        /// for, against or abstain.
        support: Support,
        /// Reason, logged on chain.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Start the timelock of a Succeeded amendment (anyone may).
    Queue {
        /// Amendment id.
        id: AmendmentId,
    },
    /// Execute a Queued amendment after its timelock (anyone may).
    Execute {
        /// Amendment id.
        id: AmendmentId,
    },
    /// Cancel your own amendment before voting opens.
    Cancel {
        /// Amendment id.
        id: AmendmentId,
    },
    /// As a GUARDIAN, veto a pending treasury allocation.
    Veto {
        /// Allocation id.
        allocation: U256,
        /// Why (logged on chain).
        #[arg(long)]
        reason: String,
    },
}

impl ConstitutionCommand {
    fn writes(&self) -> bool {
        matches!(
            self,
            Self::Propose { .. }
                | Self::Vote { .. }
                | Self::Queue { .. }
                | Self::Execute { .. }
                | Self::Cancel { .. }
                | Self::Veto { .. }
        )
    }
}

impl ConstitutionArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let out = self.out;
        let (conn, viable) = if self.command.writes() {
            self.chain.write_client().await?
        } else {
            self.chain.read_client().await?
        };
        let c = viable.constitution();
        match self.command {
            ConstitutionCommand::Show { id: Some(id) } => {
                let (status, now) = tokio::try_join!(
                    async { Ok::<_, eyre::Report>(c.amendment(id).await?) },
                    conn.now()
                )?;
                out.show(|| j::amendment(&status), || render::amendment(&status, Some(now)));
            }
            ConstitutionCommand::List => {
                let rows = c.amendments_with_state().await?;
                out.show(
                    || {
                        rows.iter()
                            .map(|(p, state)| {
                                let mut v = j::proposed(p);
                                v["state"] = j::text(state);
                                v
                            })
                            .collect()
                    },
                    || {
                        if rows.is_empty() {
                            return "no amendments yet\n".into();
                        }
                        rows.iter()
                            .map(|(p, state)| format!("{state:<10} {}  {}\n", p.id, p.description))
                            .collect()
                    },
                );
            }
            ConstitutionCommand::Propose { file } => {
                let text = std::fs::read_to_string(&file)
                    .wrap_err_with(|| format!("cannot read {}", file.display()))?;
                let amendment = Amendment::from_toml_str(&text, &file.display().to_string())?;
                let sent = conn.send(c.propose(&amendment)).await?;
                let Some(id) = sent.value else {
                    out.sent("propose", &sent, json!({}), "");
                    return Ok(());
                };
                let (status, now) = tokio::try_join!(
                    async { Ok::<_, eyre::Report>(c.amendment(id).await?) },
                    conn.now()
                )?;
                if out.json {
                    let created = json!({ "amendmentId": j::text(id), "state": j::text(status.state), "nextAt": status.next_at });
                    out.sent("propose", &sent, created, "");
                } else {
                    out.sent("propose", &sent, json!({}), &format!("proposed amendment {id}"));
                    print!("{}", render::amendment(&status, Some(now)));
                }
            }
            ConstitutionCommand::Vote { id, support, reason } => {
                let sent = conn.send(c.vote(id, support, reason.as_deref())).await?;
                report_state(&out, ("vote", &format!("voted {support} on")), &c, id, &sent).await?;
            }
            ConstitutionCommand::Queue { id } => {
                let sent = conn.send(c.queue(id)).await?;
                report_state(&out, ("queue", "queued"), &c, id, &sent).await?;
            }
            ConstitutionCommand::Execute { id } => {
                let sent = conn.send(c.execute(id)).await?;
                report_state(&out, ("execute", "executed"), &c, id, &sent).await?;
            }
            ConstitutionCommand::Cancel { id } => {
                let sent = conn.send(c.cancel(id)).await?;
                report_state(&out, ("cancel", "cancelled"), &c, id, &sent).await?;
            }
            ConstitutionCommand::Veto { allocation, reason } => {
                let sent = conn.send(c.veto_allocation(allocation, &reason)).await?;
                out.sent(
                    "veto",
                    &sent,
                    json!({ "allocationId": j::uint(allocation) }),
                    &format!("vetoed allocation {allocation}"),
                );
            }
            read => {
                let state = c.state().await?;
                let root = tools::project_root().ok();
                let texts: Vec<Option<String>> = state
                    .articles
                    .iter()
                    .map(|a| render::article_text(a, root.as_deref()))
                    .collect();
                match read {
                    ConstitutionCommand::Params => {
                        out.show(|| j::params(&state.params), || render::params(&state.params))
                    }
                    ConstitutionCommand::Roles => {
                        out.show(|| j::roles(&state), || render::roles(&state))
                    }
                    ConstitutionCommand::Articles => out.show(
                        || {
                            state
                                .articles
                                .iter()
                                .zip(&texts)
                                .map(|(a, t)| j::article(a, t.as_deref()))
                                .collect()
                        },
                        || render::articles(&state.articles, &texts),
                    ),
                    ConstitutionCommand::Recognitions => out.show(
                        || j::recognitions(&state.recognitions),
                        || render::recognitions(&state),
                    ),
                    _ => out
                        .show(|| j::state(&state, &texts), || render::constitution(&state, &texts)),
                }
            }
        }
        Ok(())
    }
}

/// After a vote or a lifecycle step: the amendment's id and state. `action` is the
/// JSON name and the past tense for the text.
async fn report_state<T>(
    out: &Output,
    (action, done): (&str, &str),
    c: &Constitution<DynProvider>,
    id: AmendmentId,
    sent: &Sent<T>,
) -> eyre::Result<()> {
    if sent.value.is_none() {
        out.sent(action, sent, json!({ "amendmentId": j::text(id) }), "");
        return Ok(());
    }
    let state = c.amendment_state(id).await?;
    out.sent(
        action,
        sent,
        json!({ "amendmentId": j::text(id), "state": j::text(state) }),
        &format!("{done} amendment {id} (now {state})"),
    );
    Ok(())
}
