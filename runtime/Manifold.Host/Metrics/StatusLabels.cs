using System.Globalization;

namespace Manifold.Host.Metrics;

/// <summary>HTTP statuses as label values, made once: formatting a number per request would allocate a string each time.</summary>
internal static class StatusLabels
{
    private static readonly string[] Texts = Enumerable.Range(0, 600).Select(static s => s.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static string Of(int status) => (uint)status < (uint)Texts.Length ? Texts[status] : status.ToString(CultureInfo.InvariantCulture);
}
