using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace Manifold.Contracts;

/// <summary>
/// Implemented by generated DTOs with optional nullable (or free-form) properties. Such a property is written as
/// <c>null</c> when it was assigned null, from JSON or by code, and left out when it was never set, so a relayed
/// answer keeps the nulls its upstream sent (<c>"container": null</c>) and an encoder can write a null the vendor's
/// schema requires (<c>"stop_sequence": null</c> in Anthropic's message_delta) without every null being written.
/// </summary>
public interface IAssignedNulls
{
    /// <summary>Whether the property carrying <see cref="KeepsAssignedNullAttribute"/> with this slot was assigned.</summary>
    bool WasAssigned(int slot);
}

/// <summary>Marks a generated property whose assigned null is written; <see cref="Slot"/> identifies it to <see cref="IAssignedNulls"/>.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class KeepsAssignedNullAttribute(int slot) : Attribute
{
    public int Slot { get; } = slot;
}

/// <summary>The contract modifier that makes <see cref="ManifoldJson"/> honour <see cref="KeepsAssignedNullAttribute"/>.</summary>
internal static class AssignedNulls
{
    /// <summary>Runs once per type when its contract is built; serialization then costs one delegate call per marked property.</summary>
    public static void Modify(JsonTypeInfo typeInfo)
    {
        if (!typeof(IAssignedNulls).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is PropertyInfo member && member.GetCustomAttribute<KeepsAssignedNullAttribute>() is { } marker)
            {
                var slot = marker.Slot;
                property.ShouldSerialize = (owner, value) => value is not null || ((IAssignedNulls)owner).WasAssigned(slot);
            }
        }
    }
}
