#!/usr/bin/env python3
"""Writes N fake credential files into a pool folder, in the formats README.md documents:
40 % ChatGPT OAuth (pool/chatgpt), 30 % Claude OAuth (pool/claude), 30 % API keys (pool/apikeys, OpenAI and
Anthropic alternately). Tokens are obviously fake and expire in 2099, so nothing is ever refreshed.
    gen-pool.py POOL_DIR [N]      (N defaults to 10000)"""
import json
import os
import sys

pool = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
chatgpt, claude = n * 4 // 10, n * 3 // 10
keys = n - chatgpt - claude
for d in ("chatgpt", "claude", "apikeys"):
    os.makedirs(os.path.join(pool, d), exist_ok=True)


def write(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f)
    os.chmod(path, 0o600)


plans = ["plus", "pro", "team"]
for i in range(chatgpt):
    write(os.path.join(pool, "chatgpt", f"scale-gpt-{i:05d}@example.com.json"), {
        "email": f"scale-gpt-{i:05d}@example.com", "account_id": f"acct-scale-{i:05d}",
        "plan_type": plans[i % 3], "access_token": f"fake-scale-access-{i:05d}",
        "refresh_token": f"fake-scale-refresh-{i:05d}", "expires_at": "2099-01-01T00:00:00Z",
        "created_at": "2026-01-01T00:00:00Z"})
tiers = ["pro", "max"]
for i in range(claude):
    write(os.path.join(pool, "claude", f"scale-claude-{i:05d}@example.com.json"), {
        "email": f"scale-claude-{i:05d}@example.com", "subscription_type": tiers[i % 2],
        "access_token": f"sk-ant-oat01-fake-scale-{i:05d}", "refresh_token": f"sk-ant-ort01-fake-scale-{i:05d}",
        "expires_at": "2099-01-01T00:00:00Z", "created_at": "2026-01-01T00:00:00Z"})
for i in range(keys):
    kind = "openai" if i % 2 == 0 else "anthropic"
    key = f"sk-test-scale-{i:05d}" if kind == "openai" else f"sk-ant-test-scale-{i:05d}"
    write(os.path.join(pool, "apikeys", f"scale-key-{i:05d}.json"),
          {"id": f"scale-key-{i:05d}", "type": kind, "api_key": key})
print(f"{chatgpt} ChatGPT, {claude} Claude, {keys} API keys in {pool}")
