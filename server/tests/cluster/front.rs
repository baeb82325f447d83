//! The load balancer in front of a test cluster: Debian's nginx with the checked-in
//! configuration (`deploy/nginx/baton-cluster.conf.template`, the one `scripts/cluster.sh`
//! runs), unprivileged, everything in the cluster's own directory.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::nodes::Cluster;

const TEMPLATE: &str = include_str!("../../../deploy/nginx/baton-cluster.conf.template");

fn nginx() -> &'static str {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|path| std::path::Path::new(path).exists())
        .expect("nginx is installed (scripts/setup.sh installs Debian's nginx)")
}

impl Cluster {
    /// Starts nginx over every node started so far; returns its websocket URL.
    pub async fn front(&mut self) -> String {
        let dir = self.dir().join("nginx");
        std::fs::create_dir_all(dir.join("nginx-tmp")).unwrap();
        let port = crate::nodes::free_port();
        let upstreams: String = self
            .nodes
            .iter()
            .map(|node| {
                format!(
                    "        server 127.0.0.1:{} max_fails=1 fail_timeout=10s;\n",
                    node.port
                )
            })
            .collect();
        // As root, nginx's workers would become `nobody` and could not write the directory.
        let user = if is_root() { "user root root;" } else { "" };
        let conf = TEMPLATE
            .replace("@UPSTREAM_SERVERS@", upstreams.trim_end())
            .replace("@RUNDIR@", &dir.display().to_string())
            .replace("@PORT@", &port.to_string())
            .replace("@USER_LINE@", user);
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new(nginx())
            .arg("-p")
            .arg(&dir)
            .arg("-e")
            .arg(dir.join("nginx-error.log"))
            .arg("-c")
            .arg(&conf_path)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = reqwest::Client::new();
        loop {
            if let Ok(response) = client.get(format!("{url}/readyz")).send().await
                && response.status().is_success()
            {
                break;
            }
            assert!(Instant::now() < deadline, "nginx never answered on {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.set_front(child);
        format!("ws://127.0.0.1:{port}/ws?v=1")
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}
