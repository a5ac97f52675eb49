namespace Manifold.Host.Storage;

/// <summary>One forward-only schema step. Versions are applied in ascending order and recorded in <c>schema_migrations</c>.</summary>
/// <param name="Version">Positive, unique, ascending. Never renumber or edit a shipped migration: add a new one.</param>
/// <param name="Name">Human-readable label stored alongside the version.</param>
/// <param name="Sql">One or more statements, run inside the migrator's transaction.</param>
public sealed record Migration(int Version, string Name, string Sql);
