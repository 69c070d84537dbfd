using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmPipeline.TraceGen;

/// <summary>A kernel template's JSON fragments, encoded once per trace.</summary>
internal sealed class EncodedKernel
{
    public EncodedKernel(KernelTemplate t, int numSms)
    {
        Template = t;
        Name = Escape(t.Name);
        CpuOp = Escape(t.CpuOp);
        InputDims = Encoding.UTF8.GetBytes(t.InputDims);
        double blocksPerSm = (double)t.GridX / numSms;
        double warpsPerSm = blocksPerSm * t.BlockX / 32.0;
        int occupancy = (int)Math.Min(100, Math.Round(Math.Min(warpsPerSm, 64) / 64.0 * 100));
        var ci = CultureInfo.InvariantCulture;
        ArgsTail = Encoding.UTF8.GetBytes(
            $",\n      \"registers per thread\": {t.Registers},\n      \"shared memory\": {t.SharedMemoryBytes},\n" +
            $"      \"blocks per SM\": {blocksPerSm.ToString("0.######", ci)},\n      \"warps per SM\": {warpsPerSm.ToString("0.######", ci)},\n" +
            $"      \"grid\": [{t.GridX}, 1, 1],\n      \"block\": [{t.BlockX}, 1, 1],\n" +
            $"      \"est. achieved occupancy %\": {occupancy}\n    }}\n  }}");
        DurationNs = t.DurationUs * 1000.0;
    }

    public KernelTemplate Template { get; }
    public byte[] Name { get; }
    public byte[] CpuOp { get; }
    public byte[] InputDims { get; }
    public byte[] ArgsTail { get; }
    public double DurationNs { get; }

    public static byte[] Escape(string s) =>
        JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.ToArray();
}
