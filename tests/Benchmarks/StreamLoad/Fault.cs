namespace Manifold.Benchmarks.StreamLoad;

/// <summary>How the slow upstream misbehaves, chosen by a <c>fault-{kind}</c> in the model's name.</summary>
internal enum FaultKind
{
    None,
    /// <summary>No status line, ever.</summary>
    Hang,
    /// <summary>Headers and the stream's first events, then silence.</summary>
    Silent,
    /// <summary>The connection dropped after a few events (or before a JSON answer).</summary>
    Close,
    /// <summary>A stream that ends cleanly without its final event.</summary>
    Truncate,
    /// <summary>Invalid JSON in an event, or as the answer.</summary>
    Garbage,
    /// <summary>A 500 in the protocol's error shape.</summary>
    Error,
}

internal static class Fault
{
    public static FaultKind Of(string model)
    {
        var at = model.IndexOf("fault-", StringComparison.Ordinal);
        if (at < 0)
        {
            return FaultKind.None;
        }
        var name = model[(at + "fault-".Length)..];
        foreach (var kind in Enum.GetValues<FaultKind>())
        {
            if (kind != FaultKind.None && name.StartsWith(kind.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }
        return FaultKind.None;
    }
}
