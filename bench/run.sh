#!/usr/bin/env bash
# Ingest benchmark: builds llmpipe (Release), then measures ingest at the given sizes (default 100M,1G).
# Usage: bench/run.sh [--sizes 100M,1G,4G] [--no-python]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Query -c Release -v q -nologo >/dev/null
dotnet build bench/LlmPipeline.Bench -c Release -v q -nologo >/dev/null
# The built benchmark runs directly (not through `dotnet run`, whose MSBuild work would share the two cores).
exec dotnet bench/LlmPipeline.Bench/bin/Release/net10.0/LlmPipeline.Bench.dll --llmpipe src/Query/bin/Release/net10.0/llmpipe "$@"
