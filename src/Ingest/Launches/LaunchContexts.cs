using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Normalizing;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Launches;

/// <summary>
/// The <c>launch_contexts.context_id</c> of each (launching cpu_op name, its Input Dims and Input type, grid, block,
/// module scopes) combination of a
/// run's kernels, looked up in the database (or added) the first time a combination is asked for and remembered for the
/// rest of the run. A trace has few combinations (at most 300 in the shared real traces, 25 for the 733 k kernels of
/// the 1 GB benchmark trace), so the kernel rows carry one integer where schema 3 stored four texts
/// (<c>sql/schema.sql</c>, issue 6). Texts can be asked for directly too (<see cref="IdOf(string, string, string, string, string, string, string)"/>:
/// graph-replay attribution, <see cref="GraphReplayAttribution"/>).
/// </summary>
public sealed class LaunchContexts : ILaunchContextIds, IDisposable
{
    private readonly Dictionary<(int Op, int Dims, int Grid, int Block), long> _ids = [];
    private readonly Dictionary<(string? Op, string? Dims, string? Grid, string? Block, string? Types, string? Module, string? Layer), long> _textIds = [];
    private readonly Utf8Interner? _smallTexts;
    private readonly Utf8Interner? _opNames;
    private readonly Utf8Interner? _opDims;
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _add;

    /// <summary>Prepares the lookups on <paramref name="connection"/> inside <paramref name="tx"/>.</summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The transaction that stores the run.</param>
    /// <param name="smallTexts">Grid and block texts by the run-local ids of <see cref="DeviceKernels.GridId"/> / <see cref="DeviceKernels.BlockId"/> (null: texts only).</param>
    /// <param name="opNames">Launching CPU operator names by <see cref="DeviceKernels.OpNameId"/> (null: texts only).</param>
    /// <param name="opDims">Their Input Dims texts by <see cref="DeviceKernels.OpDimsId"/> (null: texts only).</param>
    public LaunchContexts(SqliteConnection connection, SqliteTransaction tx, Utf8Interner? smallTexts = null,
        Utf8Interner? opNames = null, Utf8Interner? opDims = null)
    {
        (_smallTexts, _opNames, _opDims) = (smallTexts, opNames, opDims);
        _find = Command(connection, tx, """
            SELECT context_id FROM launch_contexts
            WHERE op_name IS $op AND input_dims IS $dims AND grid IS $grid AND block IS $block
              AND input_types IS $types AND module IS $module AND layer_module IS $layer
            ORDER BY context_id LIMIT 1
            """);
        _add = Command(connection, tx, """
            INSERT INTO launch_contexts (op_name, input_dims, grid, block, input_types, module, layer_module)
            VALUES ($op, $dims, $grid, $block, $types, $module, $layer) RETURNING context_id
            """);
    }

    /// <summary>
    /// The context id of a kernel's run-local ids (-1: unknown), adding the combination to <c>launch_contexts</c> when
    /// the database lacks it; null when all four are unknown.
    /// </summary>
    /// <exception cref="InvalidOperationException">Built without the run's interners.</exception>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public long? IdOf(int op, int dims, int grid, int block)
    {
        if (op < 0 && dims < 0 && grid < 0 && block < 0) return null;
        var key = (op, dims, grid, block);
        if (_ids.TryGetValue(key, out var id)) return id;
        if (_opNames is null || _opDims is null || _smallTexts is null)
            throw new InvalidOperationException("LaunchContexts built without the run's interners resolves texts only");
        var dimsText = Text(_opDims, dims);
        string? types = null;
        if (dimsText?.IndexOf(EventNormalizer.DimsTypesSeparator, StringComparison.Ordinal) is int cut and >= 0)
            (dimsText, types) = (dimsText[..cut], dimsText[(cut + 1)..]);
        return _ids[key] = IdOf(Text(_opNames, op), dimsText, Text(_smallTexts, grid), Text(_smallTexts, block), types)!.Value;
    }

    /// <summary>The context id of these texts, adding them to <c>launch_contexts</c> when absent; null when all are null.</summary>
    /// <param name="opName">Launching cpu_op name.</param>
    /// <param name="inputDims">Its <c>Input Dims</c>, compact JSON list of lists.</param>
    /// <param name="grid">Kernel grid, compact JSON.</param>
    /// <param name="block">Kernel block, compact JSON.</param>
    /// <param name="inputTypes">The cpu_op's <c>Input type</c>, compact JSON list.</param>
    /// <param name="module">Innermost module scope (<c>QKVParallelLinear_5</c>) or compiled-graph annotation.</param>
    /// <param name="layerModule">Decoder-layer module scope (<c>Qwen3DecoderLayer_5</c>).</param>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public long? IdOf(string? opName, string? inputDims, string? grid, string? block, string? inputTypes = null, string? module = null, string? layerModule = null)
    {
        if (opName is null && inputDims is null && grid is null && block is null && inputTypes is null && module is null && layerModule is null) return null;
        var key = (opName, inputDims, grid, block, inputTypes, module, layerModule);
        if (_textIds.TryGetValue(key, out var id)) return id;
        foreach (var cmd in (ReadOnlySpan<SqliteCommand>)[_find, _add])
        {
            cmd.Parameters["$op"].Value = (object?)opName ?? DBNull.Value;
            cmd.Parameters["$dims"].Value = (object?)inputDims ?? DBNull.Value;
            cmd.Parameters["$grid"].Value = (object?)grid ?? DBNull.Value;
            cmd.Parameters["$block"].Value = (object?)block ?? DBNull.Value;
            cmd.Parameters["$types"].Value = (object?)inputTypes ?? DBNull.Value;
            cmd.Parameters["$module"].Value = (object?)module ?? DBNull.Value;
            cmd.Parameters["$layer"].Value = (object?)layerModule ?? DBNull.Value;
            if (cmd.ExecuteScalar() is long found) return _textIds[key] = found;
        }
        throw new InvalidOperationException("INSERT ... RETURNING gave no launch context id");
    }

    private static string? Text(Utf8Interner texts, int id) => id < 0 ? null : texts.Strings[id];

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var name in (string[])["$op", "$dims", "$grid", "$block", "$types", "$module", "$layer"]) cmd.Parameters.Add(name, SqliteType.Text);
        return cmd;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _find.Dispose();
        _add.Dispose();
    }
}
