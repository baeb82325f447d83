//! The live operations view's read: for the spaces the viewer administers (every space for a
//! site admin), the waiting customers, each member's availability and load, and the open
//! conversations with their first-response goal. Plain reads; the page reads again when the
//! bus says something changed (`Topic::Operations`).

use std::collections::{BTreeMap, HashMap};

use domain::views::operations::{
    AgentLoad, Goal, OpenConversation, OperationsView, SATISFACTION_WINDOW, WaitingCustomer,
};
use domain::{Conversation, ConversationStatus};

use crate::{db::Db, error::BackendError, store::Actor};

/// The view for `actor` at `now` (satisfaction counts the last 30 days); refused (`Forbidden`) to anyone who administers no space.
pub async fn view(
    db: &Db,
    actor: &Actor,
    default_goal_ms: i64,
    now: domain::Timestamp,
) -> Result<OperationsView, BackendError> {
    if !actor.roles.site_admin && actor.roles.space_admin_of.is_empty() {
        return Err(BackendError::Forbidden);
    }
    let all: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM spaces ORDER BY name")
        .fetch_all(&db.pool)
        .await?;
    let spaces: BTreeMap<String, String> = all
        .into_iter()
        .filter(|(id, _)| actor.roles.site_admin || actor.roles.space_admin_of.contains(id))
        .collect();
    let settings = crate::store::site::load(db).await?;
    let mut goals = HashMap::new();
    for space in spaces.keys() {
        let goal =
            crate::store::space_work::sla_goal_for(db, space, domain::conversation::WORK_TYPE)
                .await?
                .map_or(default_goal_ms, |minutes| minutes * 60_000);
        goals.insert(space.clone(), goal);
    }
    let names = people(db).await?;
    let (waiting, open) = conversations(db, &spaces, &goals, &names).await?;
    let since = domain::Timestamp(now.as_millis().saturating_sub(SATISFACTION_WINDOW));
    let (by_agent, by_space) = crate::ratings::satisfaction_since(db, since).await?;
    let mut agents = agents(db, &spaces).await?;
    for agent in &mut agents {
        agent.satisfaction = by_agent.get(&agent.id).copied().unwrap_or_default();
    }
    Ok(OperationsView {
        satisfaction: spaces
            .iter()
            .map(|(id, name)| (name.clone(), by_space.get(id).copied().unwrap_or_default()))
            .collect(),
        spaces: spaces.values().cloned().collect(),
        max_conversations: settings.max_conversations,
        waiting,
        agents,
        open,
    })
}

/// Staff and customer names by id (a site has hundreds, not millions, of staff; customers are
/// read only for the open conversations below).
async fn people(db: &Db) -> Result<HashMap<String, String>, BackendError> {
    let staff: Vec<(String, String)> = sqlx::query_as("SELECT id, display_name FROM users")
        .fetch_all(&db.pool)
        .await?;
    Ok(staff.into_iter().collect())
}

type Rows = (Vec<WaitingCustomer>, Vec<OpenConversation>);

async fn conversations(
    db: &Db,
    spaces: &BTreeMap<String, String>,
    goals: &HashMap<String, i64>,
    staff: &HashMap<String, String>,
) -> Result<Rows, BackendError> {
    // Open conversations only: an index range on status (waiting, active, wrapping up), bounded
    // by agents × Maximum conversations plus the queue.
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT c.state, cu.display_name FROM conversations c \
         LEFT JOIN customers cu ON cu.id = c.customer_id \
         WHERE c.status IN ('waiting_for_agent', 'active', 'wrapping_up')",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut waiting = Vec::new();
    let mut open = Vec::new();
    for (state, customer) in rows {
        let conversation: Conversation = serde_json::from_str(&state)
            .map_err(|e| BackendError::Corrupt(format!("conversation state: {e}")))?;
        let space_id = conversation.space.as_str();
        let Some(space) = spaces.get(space_id) else {
            continue;
        };
        let goal = conversation.waiting_since.map(|since| Goal {
            waiting_since: since.as_millis(),
            first_reply_at: conversation.first_agent_reply_at.map(|t| t.as_millis()),
            goal_ms: goals.get(space_id).copied().unwrap_or_default(),
        });
        let customer = customer.unwrap_or_else(|| "Visitor".into());
        let name_of = |id: &str| staff.get(id).cloned().unwrap_or_else(|| "Someone".into());
        match (conversation.status, goal) {
            (ConversationStatus::Work(domain::WorkStatus::WaitingForAgent), Some(goal)) => waiting
                .push(WaitingCustomer {
                    conversation: conversation.id.to_string(),
                    space: space.clone(),
                    customer,
                    goal,
                    offered_to: conversation
                        .offer
                        .as_ref()
                        .map(|o| name_of(o.agent.as_str())),
                }),
            (status, goal) => open.push(OpenConversation {
                conversation: conversation.id.to_string(),
                space: space.clone(),
                customer,
                status: status.label().to_string(),
                assignee: conversation.assignee.as_ref().map(|a| name_of(a.as_str())),
                goal,
            }),
        }
    }
    waiting.sort_by_key(|w| (w.goal.waiting_since, w.conversation.clone()));
    open.sort_by(|a, b| a.conversation.cmp(&b.conversation));
    Ok((waiting, open))
}

async fn agents(
    db: &Db,
    spaces: &BTreeMap<String, String>,
) -> Result<Vec<AgentLoad>, BackendError> {
    let members: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT sm.user_id, u.display_name, sm.space_id, sm.availability FROM space_members sm \
         JOIN users u ON u.id = sm.user_id ORDER BY u.display_name, sm.user_id",
    )
    .fetch_all(&db.pool)
    .await?;
    let accepted: Vec<(String, i64)> = sqlx::query_as(
        "SELECT assignee_id, COUNT(*) FROM conversations \
         WHERE status IN ('active', 'wrapping_up') AND assignee_id IS NOT NULL \
         GROUP BY assignee_id",
    )
    .fetch_all(&db.pool)
    .await?;
    let accepted: HashMap<String, i64> = accepted.into_iter().collect();
    let offers: Vec<(String, String)> = sqlx::query_as(
        "SELECT offer_agent_id, id FROM conversations WHERE offer_agent_id IS NOT NULL",
    )
    .fetch_all(&db.pool)
    .await?;
    let offers: HashMap<String, String> = offers.into_iter().collect();
    let mut agents: Vec<AgentLoad> = Vec::new();
    for (id, name, space, availability) in members {
        if !spaces.contains_key(&space) {
            continue;
        }
        let available = availability == "Available";
        if let Some(agent) = agents.iter_mut().find(|a| a.id == id) {
            agent.available |= available;
            continue;
        }
        agents.push(AgentLoad {
            accepted: accepted
                .get(&id)
                .map_or(0, |n| u32::try_from(*n).unwrap_or(u32::MAX)),
            offer: offers.get(&id).cloned(),
            id,
            name,
            available,
            satisfaction: Default::default(),
        });
    }
    Ok(agents)
}
