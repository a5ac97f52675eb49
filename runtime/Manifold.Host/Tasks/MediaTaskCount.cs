namespace Manifold.Host.Tasks;

/// <summary>How many jobs of one kind are in one status.</summary>
public sealed record MediaTaskCount(string Kind, string Status, long Count);
