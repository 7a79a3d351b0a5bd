//! `viable strategy …`: questions, options, stake, support and conviction (System 4).

use std::path::PathBuf;

use alloy::primitives::{B256, Bytes, U256, keccak256};
use clap::{Args, Subcommand};
use eyre::Context;
use serde_json::{Value, json};
use viable::{
    Amendment, display,
    genesis::parse_quantity,
    keys,
    strategy::{
        Crossing, ProposalId, ProposalInfo, QuestionId, Target, amendment_toml,
        encode_suggested_actions,
    },
};

use crate::{fail::Fail, json as j, opts::ChainOpts, out::Output};

/// Open questions, propose options, stake and support them, promote, and turn a Ready
/// proposal into an amendment file.
#[derive(Debug, Args)]
pub(crate) struct StrategyArgs {
    #[command(subcommand)]
    command: StrategyCommand,
    #[command(flatten)]
    chain: ChainOpts,
    #[command(flatten)]
    pub(crate) out: Output,
}

fn parse_amount(text: &str) -> Result<U256, String> {
    parse_quantity(text)
}

#[derive(Debug, Subcommand)]
enum StrategyCommand {
    /// Open a question, posting `strategy.minBond` (approved for you).
    Question {
        /// The question's text (its keccak256 is the content hash). Or --content-hash.
        #[arg(long, conflicts_with = "content_hash")]
        text: Option<String>,
        /// Hash of the question's text (hex).
        #[arg(long)]
        content_hash: Option<B256>,
        /// Where the text can be read.
        #[arg(long, default_value = "")]
        uri: String,
    },
    /// Propose an option under an open question, posting `strategy.minBond`.
    Propose {
        /// Question id.
        question: QuestionId,
        /// The module the recommendation is for: work, coordination, optimization,
        /// strategy or legitimacy (the constitution).
        #[arg(long, default_value = "legitimacy")]
        target: Target,
        /// The option's text (its keccak256 is the content hash). Or --content-hash.
        #[arg(long, conflicts_with = "content_hash")]
        text: Option<String>,
        /// Hash of the option's text (hex).
        #[arg(long)]
        content_hash: Option<B256>,
        /// Where the text can be read.
        #[arg(long, default_value = "")]
        uri: String,
        /// An amendment file whose actions are suggested (`strategy adopt` turns them back
        /// into an amendment file).
        #[arg(long, conflicts_with = "suggested_actions")]
        actions: Option<PathBuf>,
        /// Raw suggested actions (hex), information only.
        #[arg(long)]
        suggested_actions: Option<Bytes>,
    },
    /// Stake governance tokens (`100 ether`, or wei), approved for you.
    Stake {
        /// Amount.
        #[arg(value_parser = parse_amount)]
        amount: U256,
    },
    /// Take unassigned stake back.
    Unstake {
        /// Amount.
        #[arg(value_parser = parse_amount)]
        amount: U256,
    },
    /// Assign unassigned stake to an Open proposal.
    Support {
        /// Proposal id.
        id: ProposalId,
        /// Amount.
        #[arg(value_parser = parse_amount)]
        amount: U256,
    },
    /// Take support off a proposal (any state).
    Unsupport {
        /// Proposal id.
        id: ProposalId,
        /// Amount.
        #[arg(value_parser = parse_amount)]
        amount: U256,
    },
    /// Promote an Open proposal whose conviction reached the threshold (anyone may).
    Promote {
        /// Proposal id.
        id: ProposalId,
    },
    /// Withdraw your Open proposal and take its bond back.
    Withdraw {
        /// Proposal id.
        id: ProposalId,
    },
    /// One proposal: state, support, conviction, threshold and predicted Ready time.
    Show {
        /// Proposal id.
        id: ProposalId,
    },
    /// Proposals, newest first.
    List {
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Write an amendment file (TOML, for `viable constitution propose`) that adopts a
    /// Ready proposal with its suggested actions.
    Adopt {
        /// Proposal id.
        id: ProposalId,
        /// Where to write it (default: amendment-strategy-<ID>.toml).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The amendment's description (default names the proposal).
        #[arg(long)]
        description: Option<String>,
    },
}

impl StrategyCommand {
    fn writes(&self) -> bool {
        !matches!(self, Self::Show { .. } | Self::List { .. } | Self::Adopt { .. })
    }
}

fn content(text: Option<String>, hash: Option<B256>) -> eyre::Result<B256> {
    match (text, hash) {
        (Some(t), None) => Ok(keccak256(t.as_bytes())),
        (None, Some(h)) => Ok(h),
        _ => Err(Fail::usage("give --text or --content-hash").into()),
    }
}

/// A token amount in whole tokens, as decoded reverts show amounts.
pub(crate) fn tokens(v: U256) -> String {
    format!("{} ether", keys::ether(v))
}

fn crossing_json(c: Option<Crossing>) -> Value {
    match c {
        None => Value::Null,
        Some(Crossing::Reached) => json!("now"),
        Some(Crossing::At(t)) => json!(t),
        Some(Crossing::Never) => json!("never"),
    }
}

pub(crate) fn crossing_text(p: &ProposalInfo, now: u64) -> String {
    match p.ready_at {
        None => "-".into(),
        Some(Crossing::Reached) if now < p.expires_at => "now (promotable)".into(),
        Some(Crossing::At(t)) if t < p.expires_at => display::time(t, Some(now)),
        Some(Crossing::At(t)) => {
            format!("{} (after it expires)", display::time(t, Some(now)))
        }
        Some(Crossing::Reached) | Some(Crossing::Never) => "never, as things stand".into(),
    }
}

pub(crate) fn proposal_json(p: &ProposalInfo) -> Value {
    let r = &p.record;
    json!({
        "proposalId": j::text(r.id),
        "questionId": j::text(r.question_id),
        "proposer": j::addr(r.proposer),
        "target": j::text(r.target),
        "state": j::text(r.state),
        "adoptedBy": r.adopted_by.iter().map(j::text).collect::<Vec<_>>(),
        "createdAt": r.created_at,
        "expiresAt": p.expires_at,
        "bond": j::uint(r.bond),
        "support": j::uint(r.support),
        "conviction": j::uint(p.conviction_now),
        "threshold": j::uint(p.threshold),
        "readyAt": crossing_json(p.ready_at),
        "contentHash": j::hex(p.content_hash),
        "uri": p.uri,
        "suggestedActions": j::hex(&p.suggested_actions),
    })
}

fn proposal_text(p: &ProposalInfo, now: u64) -> String {
    let r = &p.record;
    let adopted = if r.adopted_by.is_empty() {
        String::new()
    } else {
        format!(
            " by {}",
            r.adopted_by.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        )
    };
    format!(
        "proposal {id}  {state}{adopted}  for {target}  (question {q})\n\
         \x20 proposer    {proposer}\n\
         \x20 support     {support}\n\
         \x20 conviction  {conviction}\n\
         \x20 threshold   {threshold}\n\
         \x20 ready at    {ready}\n\
         \x20 created     {created}\n\
         \x20 expires     {expires}\n\
         \x20 bond        {bond}\n\
         \x20 content     {hash} {uri}\n\
         \x20 actions     {actions}\n",
        id = r.id,
        state = r.state,
        target = r.target,
        q = r.question_id,
        proposer = r.proposer,
        support = tokens(r.support),
        conviction = tokens(p.conviction_now),
        threshold = tokens(p.threshold),
        ready = crossing_text(p, now),
        created = display::time(r.created_at, Some(now)),
        expires = display::time(p.expires_at, Some(now)),
        bond = tokens(r.bond),
        hash = p.content_hash,
        uri = p.uri,
        actions = if p.suggested_actions.is_empty() {
            "none".to_string()
        } else {
            format!("{} bytes", p.suggested_actions.len())
        },
    )
}

impl StrategyArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let out = self.out;
        let (conn, viable) = if self.command.writes() {
            self.chain.write_client().await?
        } else {
            self.chain.read_client().await?
        };
        let s = viable.strategy();
        match self.command {
            StrategyCommand::Question { text, content_hash, uri } => {
                let hash = content(text, content_hash)?;
                let sent = conn.send(s.open_question(hash, &uri)).await?;
                let line = sent.value.map(|id| format!("opened question {id}")).unwrap_or_default();
                out.sent(
                    "openQuestion",
                    &sent,
                    json!({ "questionId": sent.value.map(j::text) }),
                    &line,
                );
            }
            StrategyCommand::Propose {
                question,
                target,
                text,
                content_hash,
                uri,
                actions,
                suggested_actions,
            } => {
                let hash = content(text, content_hash)?;
                let data = match (actions, suggested_actions) {
                    (Some(f), None) => {
                        let t = std::fs::read_to_string(&f)
                            .wrap_err_with(|| format!("cannot read {}", f.display()))?;
                        let a = Amendment::from_toml_str(&t, &f.display().to_string())?;
                        encode_suggested_actions(&a)
                    }
                    (None, Some(b)) => b,
                    _ => Bytes::new(),
                };
                let sent = conn.send(s.propose(question, target, hash, &uri, data)).await?;
                let line = sent
                    .value
                    .map(|id| format!("proposed {id} under question {question} (Open)"))
                    .unwrap_or_default();
                out.sent(
                    "propose",
                    &sent,
                    json!({ "proposalId": sent.value.map(j::text), "state": "Open" }),
                    &line,
                );
            }
            StrategyCommand::Stake { amount } => {
                let sent = conn.send(s.stake(amount)).await?;
                let line = format!("staked {}", tokens(amount));
                out.sent("stake", &sent, json!({ "amount": j::uint(amount) }), &line);
            }
            StrategyCommand::Unstake { amount } => {
                let sent = conn.send(s.unstake(amount)).await?;
                let line = format!("unstaked {}", tokens(amount));
                out.sent("unstake", &sent, json!({ "amount": j::uint(amount) }), &line);
            }
            StrategyCommand::Support { id, amount } => {
                let sent = conn.send(s.support(id, amount)).await?;
                let line = format!("supported proposal {id} with {}", tokens(amount));
                out.sent(
                    "support",
                    &sent,
                    json!({ "proposalId": j::text(id), "amount": j::uint(amount) }),
                    &line,
                );
            }
            StrategyCommand::Unsupport { id, amount } => {
                let sent = conn.send(s.unsupport(id, amount)).await?;
                let line = format!("took {} of support off proposal {id}", tokens(amount));
                out.sent(
                    "unsupport",
                    &sent,
                    json!({ "proposalId": j::text(id), "amount": j::uint(amount) }),
                    &line,
                );
            }
            StrategyCommand::Promote { id } => {
                let sent = conn.send(s.promote(id)).await?;
                let line = format!("promoted proposal {id} (now Ready)");
                out.sent(
                    "promote",
                    &sent,
                    json!({ "proposalId": j::text(id), "state": "Ready" }),
                    &line,
                );
            }
            StrategyCommand::Withdraw { id } => {
                let sent = conn.send(s.withdraw(id)).await?;
                let line = format!("withdrew proposal {id} (bond returned)");
                out.sent(
                    "withdraw",
                    &sent,
                    json!({ "proposalId": j::text(id), "state": "Withdrawn" }),
                    &line,
                );
            }
            StrategyCommand::Show { id } => {
                let (p, now) = tokio::try_join!(
                    async { Ok::<_, eyre::Report>(s.proposal(id).await?) },
                    conn.now()
                )?;
                out.show(|| proposal_json(&p), || proposal_text(&p, now));
            }
            StrategyCommand::List { limit } => {
                let (list, now) = tokio::try_join!(
                    async { Ok::<_, eyre::Report>(s.proposals(limit).await?) },
                    conn.now()
                )?;
                out.show(
                    || list.iter().map(proposal_json).collect(),
                    || {
                        if list.is_empty() {
                            return "no proposals\n".into();
                        }
                        list.iter()
                            .map(|p| {
                                format!(
                                    "{:>5}  {:<9} {:<12} support {}  conviction {}  threshold {}  ready {}\n",
                                    p.record.id,
                                    p.record.state,
                                    p.record.target,
                                    tokens(p.record.support),
                                    tokens(p.conviction_now),
                                    tokens(p.threshold),
                                    crossing_text(p, now),
                                )
                            })
                            .collect()
                    },
                );
            }
            StrategyCommand::Adopt { id, output, description } => {
                let file = s.adoption(id, description).await?;
                let path = output
                    .unwrap_or_else(|| PathBuf::from(format!("amendment-strategy-{id}.toml")));
                std::fs::write(&path, amendment_toml(&file))
                    .wrap_err_with(|| format!("cannot write {}", path.display()))?;
                out.show(
                    || {
                        json!({
                            "proposalId": j::text(id),
                            "file": path.display().to_string(),
                            "actions": file.actions.len(),
                        })
                    },
                    || {
                        format!(
                            "wrote {} ({} actions adopting proposal {id}); propose it with `viable constitution propose {}`\n",
                            path.display(),
                            file.actions.len(),
                            path.display()
                        )
                    },
                );
            }
        }
        Ok(())
    }
}
