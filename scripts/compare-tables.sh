#!/usr/bin/env bash
# Compares what two commits store for the same traces: every table of every run, row for row.
#
#   scripts/compare-tables.sh BASE_REV [NEW_REV]      (NEW_REV defaults to the working tree)
#
# Each side is built in its own detached worktree (the working tree is used as is for the new side), then ingests
# every trace below $LLMPIPE_SHARED/traces (default ../shared/traces) in one command (so rank files group into
# captures as a user's would), plus the traces that have companion graph-capture traces in $LLMPIPE_SHARED/captures,
# and the LLM traces again with their model config (configs/) or layer count.
# Every table and view is dumped sorted on all its columns; columns that hold the time of the ingest (runs.ingested_at,
# captures.created_at) are left out, and the warnings table is compared as counts per run (kinds and occurrences) (its kind
# names and texts may change through the warning catalogue; its counts may not).
# Prints one line per table (rows, identical or the first differing lines) and exits 1 when any table differs.
# Needs: git, dotnet, sqlite3 (scripts/install-deps.sh installs it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${LLMPIPE_SHARED:-$repo/../shared}
base=${1:?usage: scripts/compare-tables.sh BASE_REV [NEW_REV]}
new=${2:-}
command -v sqlite3 >/dev/null || { echo "compare-tables: sqlite3 not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
[ -d "$shared/traces" ] || { echo "compare-tables: $shared/traces not found (set LLMPIPE_SHARED)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/compare-tables.XXXXXX")
trap 'for w in "$work"/tree-*; do [ -d "$w" ] && git -C "$repo" worktree remove --force "$w" >/dev/null 2>&1; done; rm -rf "$work"' EXIT

checkout() { # rev name -> prints the source folder
    if [ -z "$1" ]; then echo "$repo"; return; fi
    git -C "$repo" worktree add --detach -q "$work/tree-$2" "$1"
    echo "$work/tree-$2"
}

ingest() { # source-folder db
    local src=$1 db=$2 cli
    dotnet build "$src/src/Query" -c Release -v q -nologo >"$db.build.log" 2>&1 || { cat "$db.build.log" >&2; exit 2; }
    cli=(dotnet "$(ls "$src"/src/Query/bin/Release/net*/llmpipe.dll | head -1)")
    "${cli[@]}" ingest "$shared/traces" --db "$db" -q >"$db.ingest.log" 2>&1 || true
    for c in "$shared"/captures/*/*/; do
        local name; name=$(basename "$c")
        local trace; trace=$(find "$shared/traces" -path "*/$name/*" -name '*.json*' | head -1)
        [ -n "$trace" ] && { "${cli[@]}" ingest "$trace" --capture-traces "$c" --db "$db" -q >>"$db.ingest.log" 2>&1 || true; }
    done
    # The LLM traces again with their model config (or layer count): config-derived work, layer types, profiles.
    local c=$shared/configs
    while read -r trace opt value; do
        "${cli[@]}" ingest "$shared/traces/$trace" "$opt" "$value" --db "$db" -q >>"$db.ingest.log" 2>&1 || true
    done <<LIST
tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz --config $c/aiconfigurator/Qwen--Qwen3-8B_config.json
tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz --config $c/aiconfigurator/Qwen--Qwen3-8B_config.json
tracelens/inference/vllm_decode_full/graph_execution.json.gz --config $c/aiconfigurator/openai--gpt-oss-20b_config.json
tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz --config $c/aiconfigurator/openai--gpt-oss-20b_config.json
tracelens/b200/eager_trace.json.gz --config $c/tenstorrent_tt-metal/models/demos/gpt_oss/configs/gpt-oss-120b/config.json
llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz --num-layers 32
tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz --num-layers 24
tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz --num-layers 24
LIST
}

dump() { # db out-folder
    local db=$1 out=$2; mkdir -p "$out"
    for t in $(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
        local cols
        case $t in
            warnings) continue ;;   # the view of ingest_warnings: texts that the catalogue may change
            ingest_warnings) sqlite3 -separator $'\t' "$db" "SELECT run_id, count(*), sum(count) FROM ingest_warnings GROUP BY run_id ORDER BY run_id" >"$out/$t"; continue ;;
        esac
        cols=$(sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t') WHERE name NOT IN ('ingested_at', 'created_at')")
        sqlite3 -separator $'\t' "$db" "SELECT $cols FROM \"$t\" ORDER BY $cols" >"$out/$t"
    done
}

old_src=$(checkout "$base" base); new_src=$(checkout "$new" new)
echo "compare-tables: base $(git -C "$old_src" rev-parse --short HEAD), new ${new:-working tree $(git -C "$repo" rev-parse --short HEAD)+}" >&2
ingest "$old_src" "$work/base.db"; ingest "$new_src" "$work/new.db"
dump "$work/base.db" "$work/base"; dump "$work/new.db" "$work/new"
status=0
for f in $(ls "$work/base" "$work/new" | grep -v ':$' | sort -u); do
    if [ ! -f "$work/base/$f" ] || [ ! -f "$work/new/$f" ]; then
        printf '%-26s only in %s\n' "$f" "$([ -f "$work/base/$f" ] && echo base || echo new)"; status=1; continue
    fi
    rows=$(wc -l <"$work/new/$f")
    if cmp -s "$work/base/$f" "$work/new/$f"; then printf '%-26s %9d rows  identical\n' "$f" "$rows"
    else printf '%-26s %9d rows  DIFFERS (base %d rows)\n' "$f" "$rows" "$(wc -l <"$work/base/$f")"; { diff "$work/base/$f" "$work/new/$f" || true; } | head -6 | cut -c1-200 || true; status=1
    fi
done
echo "runs: base $(sqlite3 "$work/base.db" 'SELECT count(*) FROM runs'), new $(sqlite3 "$work/new.db" 'SELECT count(*) FROM runs')"
exit $status
