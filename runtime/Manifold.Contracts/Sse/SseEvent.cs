namespace Manifold.Contracts;

/// <summary>One server-sent event: the <c>event:</c> name (null when absent) and its joined <c>data:</c> lines.</summary>
public readonly record struct SseEvent(string? Event, string Data);
