#!/usr/bin/env bash
# Installs the golden exporter's libraries into a git-ignored virtualenv at .venv/.
# Only `softmax-conformance golden export` needs them; CI and the tests use the committed goldens.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --retries 0 --timeout 5 numpy scipy mpmath tensorflow-cpu torch jax scikit-learn onnx onnxruntime
