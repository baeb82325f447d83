//! The command line. Every setting is a flag and a `BATON_*` variable, so `server --help` lists
//! them all; the optional config file sits below both (see backend::config).

use std::path::PathBuf;

use backend::config::RawConfig;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Baton: live customer chat. Runs the web server."
)]
pub struct Cli {
    /// A TOML file with settings (keys as below, without the BATON_ prefix, in lower case).
    #[arg(long, env = "BATON_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub settings: SettingArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Create the first site admin of a new database (asks for the password when not given).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read from BATON_ADMIN_PASSWORD or asked for on the terminal when omitted.
        #[arg(long, env = "BATON_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
}

#[derive(Debug, Args)]
pub struct SettingArgs {
    /// Folder for the SQLite database and other local data [default: data]
    #[arg(long, env = "BATON_DATA_DIR", global = true)]
    pub data_dir: Option<String>,
    /// sqlite://FILE or postgres://USER@HOST/DB [default: sqlite://<data dir>/baton.db]
    #[arg(
        long,
        env = "BATON_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Address to listen on [default: 127.0.0.1:3000]
    #[arg(long, env = "BATON_ADDR", global = true)]
    pub addr: Option<String>,
    /// Log format: pretty or json [default: pretty]
    #[arg(long, env = "BATON_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Log filter, e.g. info or baton=debug,info [default: info]
    #[arg(long, env = "BATON_LOG_LEVEL", global = true)]
    pub log_level: Option<String>,
    /// Fill an empty database with a demo site and print its sign-ins [default: false]
    #[arg(long, env = "BATON_DEMO", global = true, num_args = 0..=1, default_missing_value = "true")]
    pub demo: Option<bool>,
    /// Where demo mode serves its demo host page, which embeds the widget [default: 127.0.0.1:3002]
    #[arg(long, env = "BATON_DEMO_HOST_ADDR", global = true)]
    pub demo_host_addr: Option<String>,
    /// Largest number of database connections [default: 8]
    #[arg(long, env = "BATON_DB_MAX_CONNECTIONS", global = true)]
    pub db_max_connections: Option<u32>,
    /// Time an agent has to Accept or Decline an offer [default: 120s]
    #[arg(long, env = "BATON_OFFER_TIMEOUT", global = true)]
    pub offer_timeout: Option<String>,
    /// Time a conversation may wait for an agent before the Fallback message [default: 20m]
    #[arg(long, env = "BATON_ACCEPT_DEADLINE", global = true)]
    pub accept_deadline: Option<String>,
    /// Silence before both sides are told the conversation is inactive [default: 20m]
    #[arg(long, env = "BATON_INACTIVITY_WARNING", global = true)]
    pub inactivity_warning: Option<String>,
    /// Further silence after that warning before the conversation ends [default: 10m]
    #[arg(long, env = "BATON_INACTIVITY_GRACE", global = true)]
    pub inactivity_grace: Option<String>,
    /// Longest a conversation may last [default: 24h]
    #[arg(long, env = "BATON_MAX_DURATION", global = true)]
    pub max_duration: Option<String>,
    /// How long an Available agent's last dashboard tab may be closed before Baton sets them
    /// Unavailable [default: 60s]
    #[arg(long, env = "BATON_PRESENCE_GRACE", global = true)]
    pub presence_grace: Option<String>,
    /// Messages one browser tab may send per second, twice that in a burst [default: 5]
    #[arg(long, env = "BATON_MESSAGE_RATE", global = true)]
    pub message_rate: Option<u32>,
    /// Goal for the time to first response on a conversation [default: 5m]
    #[arg(long, env = "BATON_SLA_FIRST_RESPONSE", global = true)]
    pub sla_first_response: Option<String>,
    /// Baton's address as customers reach it, for links in AI answers [default: http://<addr>]
    #[arg(long, env = "BATON_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// How long the AI agent shows it is typing before it answers [default: 700ms]
    #[arg(long, env = "BATON_AI_THINKING", global = true)]
    pub ai_thinking: Option<String>,
    /// Sign-in attempts for one account from one client address, as COUNT/PERIOD: COUNT at
    /// once, then one per PERIOD/COUNT (staff and customer accounts apart) [default: 5/min]
    #[arg(long, env = "BATON_SIGN_IN_RATE", global = true)]
    pub sign_in_rate: Option<String>,
    /// Sign-in attempts for one account from all addresses together [default: 20/min]
    #[arg(long, env = "BATON_SIGN_IN_ACCOUNT_RATE", global = true)]
    pub sign_in_account_rate: Option<String>,
    /// Sign-in attempts from one client address, all accounts together [default: 20/min]
    #[arg(long, env = "BATON_SIGN_IN_ADDRESS_RATE", global = true)]
    pub sign_in_address_rate: Option<String>,
    /// New customer accounts from one client address [default: 30/h]
    #[arg(long, env = "BATON_SIGN_UP_RATE", global = true)]
    pub sign_up_rate: Option<String>,
    /// New customer accounts from all addresses together [default: 60/min]
    #[arg(long, env = "BATON_SIGN_UP_GLOBAL_RATE", global = true)]
    pub sign_up_global_rate: Option<String>,
    /// New anonymous chat visitors from one client address [default: 60/h]
    #[arg(long, env = "BATON_VISITOR_RATE", global = true)]
    pub visitor_rate: Option<String>,
    /// Chats anonymous visitors start from one client address [default: 30/h]
    #[arg(long, env = "BATON_VISITOR_START_RATE", global = true)]
    pub visitor_start_rate: Option<String>,
    /// Chats one visitor session or one customer starts [default: 10/h]
    #[arg(long, env = "BATON_CHAT_START_RATE", global = true)]
    pub chat_start_rate: Option<String>,
    /// Run as one node of several sharing one PostgreSQL database (behind a load balancer);
    /// refused on SQLite [default: false]
    #[arg(long, env = "BATON_CLUSTER", global = true, num_args = 0..=1, default_missing_value = "true")]
    pub cluster: Option<bool>,
    /// Reverse proxies (IP addresses or CIDR networks, comma-separated) whose X-Forwarded-For
    /// names the client, for per-address limits; others' X-Forwarded-For is ignored [default: none]
    #[arg(long, env = "BATON_TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,
    /// Key that seals the AI agents' model API keys, 64 hex digits (`openssl rand -hex 32`);
    /// required with BATON_CLUSTER [default: one kept in the data directory]
    #[arg(long, env = "BATON_SECRET_KEY", global = true, hide_env_values = true)]
    pub secret_key: Option<String>,
    /// How long a language model may take for one answer before the built-in answer is used
    /// [default: 30s]
    #[arg(long, env = "BATON_AI_MODEL_TIMEOUT", global = true)]
    pub ai_model_timeout: Option<String>,
    /// Answers one node asks language models for at once [default: 8]
    #[arg(long, env = "BATON_AI_MODEL_CONCURRENCY", global = true)]
    pub ai_model_concurrency: Option<u32>,
    /// Tokens (prompt and completion) one conversation may use with a language model; past
    /// it, built-in answers [default: 50000]
    #[arg(long, env = "BATON_AI_TOKEN_BUDGET", global = true)]
    pub ai_token_budget: Option<u32>,
    /// Where Prometheus metrics are served, apart from the public port; `off` for none
    /// [default: 127.0.0.1:9464]
    #[arg(long, env = "BATON_METRICS_ADDR", global = true)]
    pub metrics_addr: Option<String>,
    /// Keep attachments in this S3-compatible bucket instead of the data directory; region,
    /// endpoint and keys come from the usual AWS_* variables [default: the data directory]
    #[arg(long, env = "BATON_ATTACHMENTS_BUCKET", global = true)]
    pub attachments_bucket: Option<String>,
}

impl SettingArgs {
    pub fn into_raw(self) -> RawConfig {
        RawConfig {
            data_dir: self.data_dir,
            database_url: self.database_url,
            addr: self.addr,
            log_format: self.log_format,
            log_level: self.log_level,
            demo: self.demo,
            demo_host_addr: self.demo_host_addr,
            db_max_connections: self.db_max_connections,
            offer_timeout: self.offer_timeout,
            accept_deadline: self.accept_deadline,
            inactivity_warning: self.inactivity_warning,
            inactivity_grace: self.inactivity_grace,
            max_duration: self.max_duration,
            presence_grace: self.presence_grace,
            message_rate: self.message_rate,
            sla_first_response: self.sla_first_response,
            public_url: self.public_url,
            ai_thinking: self.ai_thinking,
            sign_in_rate: self.sign_in_rate,
            sign_in_account_rate: self.sign_in_account_rate,
            sign_in_address_rate: self.sign_in_address_rate,
            sign_up_rate: self.sign_up_rate,
            sign_up_global_rate: self.sign_up_global_rate,
            visitor_rate: self.visitor_rate,
            visitor_start_rate: self.visitor_start_rate,
            chat_start_rate: self.chat_start_rate,
            cluster: self.cluster,
            trusted_proxies: self.trusted_proxies,
            secret_key: self.secret_key,
            ai_model_timeout: self.ai_model_timeout,
            ai_model_concurrency: self.ai_model_concurrency,
            ai_token_budget: self.ai_token_budget,
            metrics_addr: self.metrics_addr,
            attachments_bucket: self.attachments_bucket,
        }
    }
}
