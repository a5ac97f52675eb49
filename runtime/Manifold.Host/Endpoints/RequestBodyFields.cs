using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Manifold.Host.Endpoints;

/// <summary>
/// The two things the host must reach in any request DTO, generated or a plugin's, without knowing its type: the body's
/// <c>model</c> (rewritten when the client named account groups, <c>model|[group]</c>) and its unknown fields (where
/// Manifold's own request options, such as <c>retry_attempt</c>, arrive and are taken out before the upstream sees them).
/// Found by their JSON names once per type, then called through compiled delegates.
/// </summary>
internal static class RequestBodyFields
{
    private static readonly ConcurrentDictionary<Type, Accessors> ByType = new();

    /// <summary>Sets the body's <c>model</c>; false when the type has no writable string property named <c>model</c> in JSON.</summary>
    public static bool TrySetModel(object body, string model)
    {
        if (For(body.GetType()).SetModel is not { } set)
        {
            return false;
        }
        set(body, model);
        return true;
    }

    /// <summary>Removes and returns the unknown field <paramref name="name"/>; null when the body has none by that name.</summary>
    public static JsonElement? Take(object body, string name) =>
        For(body.GetType()).Extras?.Invoke(body) is { Count: > 0 } extras && extras.Remove(name, out var value) ? value : null;

    private static Accessors For(Type type) => ByType.GetOrAdd(type, static t => Accessors.Of(t));

    private sealed record Accessors(Action<object, string>? SetModel, Func<object, IDictionary<string, JsonElement>?>? Extras)
    {
        public static Accessors Of(Type type)
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
            var model = properties.FirstOrDefault(static p =>
                p.PropertyType == typeof(string) && p.CanWrite && p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == "model");
            var extras = properties.FirstOrDefault(static p =>
                p.GetCustomAttribute<JsonExtensionDataAttribute>() is not null && typeof(IDictionary<string, JsonElement>).IsAssignableFrom(p.PropertyType));

            var target = Expression.Parameter(typeof(object), "body");
            var typed = Expression.Convert(target, type);
            Action<object, string>? setModel = null;
            if (model is not null)
            {
                var value = Expression.Parameter(typeof(string), "model");
                setModel = Expression.Lambda<Action<object, string>>(Expression.Assign(Expression.Property(typed, model), value), target, value).Compile();
            }
            Func<object, IDictionary<string, JsonElement>?>? getExtras = null;
            if (extras is not null)
            {
                getExtras = Expression.Lambda<Func<object, IDictionary<string, JsonElement>?>>(
                    Expression.Convert(Expression.Property(typed, extras), typeof(IDictionary<string, JsonElement>)), target).Compile();
            }
            return new Accessors(setModel, getExtras);
        }
    }
}
