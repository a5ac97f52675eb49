using System.Runtime.InteropServices;

namespace Manifold.Host.Licences;

/// <summary>String helpers for keys carried as <see cref="ReadOnlyMemory{T}"/> slices of header values.</summary>
internal static class MemoryStrings
{
    /// <summary>Reuses the underlying string when the slice covers all of it (the common case) instead of copying the key.</summary>
    public static string AsString(ReadOnlyMemory<char> memory) =>
        MemoryMarshal.TryGetString(memory, out var text, out var start, out var length) && start == 0 && length == text.Length
            ? text
            : memory.ToString();
}
