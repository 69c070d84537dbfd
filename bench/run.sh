#!/usr/bin/env bash
# Ingest benchmark (issue 19): builds llmpipe (Release), then measures ingest at the given sizes (default 193M,1G,4G),
# a TP-8 directory of rank files (default 1G in all) and report latency. See README.md, Benchmark.
# Usage: bench/run.sh [--sizes 193M,1G,4G] [--ranks 1G|none] [--repeat N] [--no-python] [--no-reports]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Query -c Release -v q -nologo >/dev/null
dotnet build bench/LlmPipeline.Bench -c Release -v q -nologo >/dev/null
# The built benchmark runs directly (not through `dotnet run`, whose MSBuild work would share the two cores).
exec dotnet bench/LlmPipeline.Bench/bin/Release/net10.0/LlmPipeline.Bench.dll --llmpipe src/Query/bin/Release/net10.0/llmpipe "$@"
