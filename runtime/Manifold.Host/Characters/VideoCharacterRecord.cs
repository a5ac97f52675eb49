namespace Manifold.Host.Characters;

/// <summary>
/// A character as Manifold keeps it: its own id (what clients see), the licence that made it (only that licence reads or
/// mentions it), and where it lives upstream: the platform, the account that made it (the only one that can use it, as a
/// job is pinned to its account) and the upstream's id. <see cref="Source"/> says how it was made, for the operator.
/// </summary>
public sealed record VideoCharacterRecord
{
    public required string Id { get; init; }

    public long? LicenceId { get; init; }

    public required string Platform { get; init; }

    public string? AccountId { get; init; }

    public required string UpstreamId { get; init; }

    /// <summary>The name prompts mention as <c>@name</c> (OpenAI's display name; the seeds' username).</summary>
    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>How it was made, as JSON: <c>{"upload":…}</c>, or <c>{"url":…,"timestamps":…}</c> / <c>{"from_task":…,"timestamps":…}</c>.</summary>
    public string? Source { get; init; }
}
