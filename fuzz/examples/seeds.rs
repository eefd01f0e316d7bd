//! Writes each fuzz target's seed corpus into `corpus/<target>/` (beside this crate's
//! Cargo.toml): every published example of tests/fixtures/postmark and every
//! conformance case of tests/conformance, in the layout each target reads, plus a few
//! hand-written HTTP requests for the mock.

use std::fs;
use std::path::{Path, PathBuf};

use postmark_kit_fuzz::{FuzzedResponse, TYPED, dynamic_operations};
use serde_json::Value;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = root.parent().expect("fuzz/ is inside the repository");
    let corpus = root.join("corpus");
    let mut seeds = Seeds::default();

    let fixtures = repo.join("tests/fixtures/postmark");
    let conformance = repo.join("tests/conformance");

    // Responses: published examples (named `<operation>.response.json`) and the
    // conformance cases, with their status and headers.
    for (name, path) in files(&fixtures, ".response.json")? {
        let body = fs::read(path)?;
        seeds.response(&name, 200, &[], &body);
    }
    for case in cases(&conformance.join("responses.json"))? {
        let name = case["operation"].as_str().unwrap_or_default();
        let status = case["status"].as_u64().unwrap_or(200) as u16;
        let headers: Vec<(String, String)> = case["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect();
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let body = case["body"].as_str().unwrap_or_default();
        seeds.response(name, status, &headers, body.as_bytes());
    }

    // Parameters: published request examples and the conformance cases' parameters.
    for (name, path) in files(&fixtures, ".request.json")? {
        let name = name.split('.').next().unwrap_or_default().to_owned();
        let params = fs::read_to_string(path)?;
        seeds.params(&name, "server", &params);
    }
    for case in cases(&conformance.join("requests.json"))? {
        let name = case["operation"].as_str().unwrap_or_default();
        let token = case["token"].as_str().unwrap_or("server");
        seeds.params(name, token, &case["params"].to_string());
    }

    // Webhooks: every published webhook example.
    for dir in [fixtures.join("webhooks"), fixtures.join("skills/webhooks")] {
        for (_, path) in files(&dir, ".json")? {
            seeds.add("webhook", fs::read(path)?);
        }
    }

    for header in [
        "Basic cG9zdG1hcms6czNjcmV0\0postmark\0s3cret",
        "basic  YTpi \0a\0b",
        "Bearer x\0a\0b",
    ] {
        seeds.add("basic_auth", header.as_bytes().to_vec());
    }
    for value in [
        "30",
        "Wed, 21 Oct 2026 07:28:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "99999999999999999999999",
        "",
    ] {
        let mut data = (1_790_000_000u64 << 20).to_le_bytes().to_vec();
        data.extend_from_slice(value.as_bytes());
        seeds.add("retry_after", data);
    }

    for request in [
        "GET /server HTTP/1.1\r\nX-Postmark-Server-Token: t\r\nAccept: application/json\r\n\r\n",
        "POST /email HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}GET /server HTTP/1.1\r\n\r\n",
        "POST /email HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        "GET /server HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    ] {
        seeds.add("mock_http", request.as_bytes().to_vec());
    }

    seeds.write(&corpus)
}

#[derive(Default)]
struct Seeds {
    files: Vec<(&'static str, Vec<u8>)>,
}

impl Seeds {
    fn add(&mut self, target: &'static str, data: Vec<u8>) {
        self.files.push((target, data));
    }

    fn response(&mut self, operation: &str, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        let dynamic = dynamic_operations();
        if let Some(index) = dynamic.iter().position(|op| op.name == operation) {
            self.add(
                "response_read",
                FuzzedResponse::write(index as u8, status, headers, body),
            );
        }
        if let Some(index) = TYPED.iter().position(|(name, _)| *name == operation) {
            self.add(
                "response_typed",
                FuzzedResponse::write(index as u8, status, headers, body),
            );
        }
    }

    fn params(&mut self, operation: &str, token: &str, params: &str) {
        let dynamic = dynamic_operations();
        let Some(index) = dynamic.iter().position(|op| op.name == operation) else {
            return;
        };
        let op = dynamic[index];
        let kind = u8::from(token == "account");
        let mut data = vec![index as u8, kind | 2];
        data.extend_from_slice(params.as_bytes());
        self.add("params", data);
        if op.paged {
            for limit in [None, Some(7)] {
                if let Ok(cursor) = op.cursor(params, limit) {
                    let paged = dynamic
                        .iter()
                        .filter(|o| o.paged)
                        .position(|o| o.name == op.name);
                    let mut data = vec![paged.unwrap_or(0) as u8];
                    data.extend_from_slice(cursor.to_json().as_bytes());
                    self.add("cursor", data);
                }
            }
        }
    }

    fn write(self, corpus: &Path) -> std::io::Result<()> {
        let mut counts = std::collections::BTreeMap::new();
        for (target, data) in self.files {
            let dir = corpus.join(target);
            fs::create_dir_all(&dir)?;
            let n = counts.entry(target).or_insert(0usize);
            *n += 1;
            fs::write(dir.join(format!("seed-{n:04}")), data)?;
        }
        for (target, n) in counts {
            println!("{target}: {n} seeds");
        }
        Ok(())
    }
}

/// The files of `dir` whose names end in `suffix`, with the name before the suffix.
fn files(dir: &Path, suffix: &str) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some(stem) = name.strip_suffix(suffix) {
            found.push((stem.to_owned(), path.clone()));
        }
    }
    found.sort();
    Ok(found)
}

fn cases(path: &Path) -> std::io::Result<Vec<Value>> {
    let text = fs::read_to_string(path)?;
    Ok(serde_json::from_str::<Vec<Value>>(&text).expect("a JSON array of cases"))
}
