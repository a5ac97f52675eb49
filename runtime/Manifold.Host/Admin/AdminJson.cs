using System.Text.Json;
using System.Text.Json.Serialization;

namespace Manifold.Host.Admin;

/// <summary>The admin API's JSON: snake_case names as declared on each type, nulls written (a cleared limit reads as null).</summary>
internal static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}
