#!/usr/bin/env bash
# Runs every gate in turn; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")"
for gate in phase1_gate.sh phase2_gate.sh phase3_gate.sh phase4_gate.sh migration_gate.sh clients_gate.sh client_keys_gate.sh translate_gate.sh translate_codex_gate.sh; do
  [ -f "$gate" ] || continue
  echo "=== $gate"
  bash "$gate"
done
