#!/usr/bin/env bash
# Ingest benchmark: builds llmpipe (Release), then measures ingest at the given sizes (default 100M,1G).
# Usage: bench/run.sh [--sizes 100M,1G,4G] [--no-python]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Query -c Release -v q -nologo >/dev/null
exec dotnet run -c Release --project bench/LlmPipeline.Bench -- --llmpipe src/Query/bin/Release/net10.0/llmpipe "$@"
