using System.Collections.Concurrent;
using System.Reflection;

namespace Manifold.Host.Protocols;

/// <summary>
/// The SSE event name of a streamed DTO whose protocol names each event after its payload's <c>type</c> (Responses,
/// Images): read once per event type through a delegate built once per DTO type, not by reflection per event.
/// </summary>
internal static class EventNames
{
    // A plugin's events reach the framing typed as object (see PluginOperation.Stream): their accessor is found by runtime type.
    private static readonly ConcurrentDictionary<Type, Func<object, string?>?> ByRuntimeType = new();

    public static string? Of<T>(T value) =>
        value is null ? null
        : typeof(T) == typeof(object) ? ByRuntimeType.GetOrAdd(value.GetType(), CreateUntyped)?.Invoke(value)
        : Accessor<T>.Type?.Invoke(value);

    private static Func<object, string?>? CreateUntyped(Type type)
    {
        var property = type.GetProperty("Type", BindingFlags.Public | BindingFlags.Instance);
        return property?.PropertyType == typeof(string) && property.GetMethod is { } getter
            ? value => (string?)getter.Invoke(value, null)
            : null;
    }

    private static class Accessor<T>
    {
        public static readonly Func<T, string?>? Type = Create();

        private static Func<T, string?>? Create()
        {
            var property = typeof(T).GetProperty("Type", BindingFlags.Public | BindingFlags.Instance);
            return property?.PropertyType == typeof(string) && property.GetMethod is { } getter
                ? getter.CreateDelegate<Func<T, string?>>()
                : null;
        }
    }
}
