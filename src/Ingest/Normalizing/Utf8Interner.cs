using System.Text;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// Maps UTF-8 byte strings to dense integer ids (0, 1, 2, ...) without allocating for strings already seen.
/// Used for kernel names, where a trace repeats a few hundred distinct names millions of times.
/// </summary>
public sealed class Utf8Interner
{
    private readonly List<byte[]> _bytes = [];
    private readonly List<string> _strings = [];
    private readonly List<int> _hashes = [];
    private int[] _buckets = NewBuckets(256);

    /// <summary>The distinct strings, indexed by id.</summary>
    public IReadOnlyList<string> Strings => _strings;

    /// <summary>Number of distinct strings.</summary>
    public int Count => _strings.Count;

    /// <summary>Returns the id of <paramref name="utf8"/>, adding it when new. Invalid UTF-8 decodes with U+FFFD.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        var mask = _buckets.Length - 1;
        var slot = hash & mask;
        while (true)
        {
            var id = _buckets[slot];
            if (id < 0) break;
            if (_hashes[id] == hash && utf8.SequenceEqual(_bytes[id])) return id;
            slot = (slot + 1) & mask;
        }
        var newId = _strings.Count;
        _bytes.Add(utf8.ToArray());
        _strings.Add(Encoding.UTF8.GetString(utf8));
        _hashes.Add(hash);
        _buckets[slot] = newId;
        if (_strings.Count * 2 > _buckets.Length) Grow();
        return newId;
    }

    /// <summary>Returns the id of a string, adding it when new.</summary>
    public int GetOrAdd(string value) => GetOrAdd(Encoding.UTF8.GetBytes(value));

    private void Grow()
    {
        _buckets = NewBuckets(_buckets.Length * 2);
        var mask = _buckets.Length - 1;
        for (var id = 0; id < _hashes.Count; id++)
        {
            var slot = _hashes[id] & mask;
            while (_buckets[slot] >= 0) slot = (slot + 1) & mask;
            _buckets[slot] = id;
        }
    }

    private static int[] NewBuckets(int size)
    {
        var buckets = new int[size];
        Array.Fill(buckets, -1);
        return buckets;
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hc = new HashCode();
        hc.AddBytes(bytes);
        return hc.ToHashCode() & int.MaxValue;
    }
}
