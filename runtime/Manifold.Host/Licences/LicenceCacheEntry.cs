namespace Manifold.Host.Licences;

/// <summary>A positive authentication result and when it stops being trusted.</summary>
/// <param name="ExpiresAt">In <see cref="TimeProvider.GetTimestamp"/> units: monotonic, so clock changes cannot extend it.</param>
internal sealed record LicenceCacheEntry(Licence Licence, long ExpiresAt);
