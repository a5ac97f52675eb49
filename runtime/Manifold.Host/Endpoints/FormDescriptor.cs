namespace Manifold.Host.Endpoints;

/// <summary>
/// An operation that also takes <c>multipart/form-data</c>: its text parts fill the request DTO by name, and the parts
/// named in <see cref="Files"/> (with or without a trailing <c>[]</c>) are files for the adapter. Any other file is a 400.
/// </summary>
public sealed record FormDescriptor(IReadOnlyList<string> Files);
