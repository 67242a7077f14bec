#!/usr/bin/env python3
"""Upserts tfvpc's pull-request comment: one comment per marker, edited in place on each run.

Usage: comment.py BODY_FILE. Standard library only. Reads the pull-request number from
$GITHUB_EVENT_PATH, talks to $GITHUB_API_URL (a test points it at a fake server) with
$TFVPC_GITHUB_TOKEN, and finds its comment by $TFVPC_COMMENT_MARKER (a hidden HTML comment
that starts the body). Any API failure (a fork's read-only token answers 403) becomes a
`::warning::` and exit status 1; the caller carries on, so the job summary and the fail-on
verdict never depend on the comment.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

MAX_BODY = 65536  # GitHub rejects longer comment bodies.
PER_PAGE = 100
MAX_PAGES = 50
TIMEOUT_S = 30


def escape_data(text):
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def warn(text):
    print(f"::warning title=tfvpc comment::{escape_data(text)}", flush=True)


def pull_request_number(event):
    if isinstance(event.get("pull_request"), dict):
        return event["pull_request"].get("number")
    issue = event.get("issue")
    if isinstance(issue, dict) and issue.get("pull_request"):
        return issue.get("number")
    return None


def truncate(body):
    if len(body) < MAX_BODY:
        return body
    note = "\n\n_… cut here: the report is longer than a comment allows; the job summary and the SARIF file have all of it._\n"
    return body[: MAX_BODY - len(note) - 1] + note


class Api:
    def __init__(self, base, repo, token):
        self.base = base.rstrip("/")
        self.repo = repo
        self.token = token

    def call(self, method, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/vnd.github+json")
        req.add_header("X-GitHub-Api-Version", "2022-11-28")
        req.add_header("User-Agent", "tfvpc-action")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            return json.loads(resp.read() or b"null")

    def find_comment(self, number, marker):
        for page in range(1, MAX_PAGES + 1):
            query = urllib.parse.urlencode({"per_page": PER_PAGE, "page": page})
            comments = self.call("GET", f"/repos/{self.repo}/issues/{number}/comments?{query}")
            for comment in comments:
                if marker in (comment.get("body") or ""):
                    return comment
            if len(comments) < PER_PAGE:
                return None
        return None


def main(argv):
    if len(argv) != 2:
        print("usage: comment.py BODY_FILE", file=sys.stderr)
        return 2
    marker = os.environ.get("TFVPC_COMMENT_MARKER", "")
    repo = os.environ.get("GITHUB_REPOSITORY", "")
    event_path = os.environ.get("GITHUB_EVENT_PATH", "")
    if not marker.startswith("<!-- tfvpc:") or "/" not in repo:
        warn("TFVPC_COMMENT_MARKER or GITHUB_REPOSITORY is missing; no comment written")
        return 1
    try:
        with open(event_path, encoding="utf-8") as f:
            event = json.load(f)
        with open(argv[1], encoding="utf-8") as f:
            body = f.read()
    except (OSError, ValueError) as e:
        warn(f"cannot read the event or the comment body: {e}")
        return 1
    number = pull_request_number(event) if isinstance(event, dict) else None
    if not isinstance(number, int):
        print("tfvpc: not a pull-request event; no comment written")
        return 0
    if not body.startswith(marker):
        body = marker + "\n" + body
    body = truncate(body)

    api = Api(os.environ.get("GITHUB_API_URL", "https://api.github.com"), repo,
              os.environ.get("TFVPC_GITHUB_TOKEN", ""))
    try:
        existing = api.find_comment(number, marker)
        if existing is not None:
            api.call("PATCH", f"/repos/{repo}/issues/comments/{existing['id']}", {"body": body})
            print(f"tfvpc: updated comment {existing['id']} on pull request #{number}")
        else:
            created = api.call("POST", f"/repos/{repo}/issues/{number}/comments", {"body": body})
            print(f"tfvpc: created comment {created.get('id')} on pull request #{number}")
    except urllib.error.HTTPError as e:
        if e.code in (401, 403, 404):
            warn(f"the GitHub API answered {e.code} {e.reason}: this token cannot write pull-request "
                 "comments (a pull request from a fork gets a read-only token); the report is in "
                 "the job summary")
        else:
            warn(f"the GitHub API answered {e.code} {e.reason}; no comment written")
        return 1
    except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        warn(f"could not write the pull-request comment: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
