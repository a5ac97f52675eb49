using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Manifold.Conversion.Tests.Golden;

/// <summary>
/// Expected conversion outputs, kept as indented JSON under <c>Golden/_golden/{source}-to-{target}/</c>. On a
/// mismatch the actual JSON is written to <c>{name}.received.json</c> beside the golden (git-ignored) so the two
/// can be diffed; run with <c>MANIFOLD_ACCEPT_SNAPSHOTS=1</c> to accept every received output, then review the diff.
/// </summary>
internal static class GoldenFile
{
    public const string AcceptVariable = "MANIFOLD_ACCEPT_SNAPSHOTS";

    public static readonly string ProjectDirectory = FindProjectDirectory();

    public static readonly string GoldenDirectory = Path.Combine(ProjectDirectory, "Golden", "_golden");

    public static readonly string FixtureDirectory = Path.Combine(ProjectDirectory, "Fixtures");

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Verify(JsonNode? actual, string relativePath)
    {
        var text = Normalize(actual);
        var goldenPath = Path.Combine(GoldenDirectory, relativePath);
        var receivedPath = Path.ChangeExtension(goldenPath, ".received.json");

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(goldenPath)!);
            File.WriteAllText(goldenPath, text);
            File.Delete(receivedPath);
            return;
        }

        var golden = File.Exists(goldenPath) ? File.ReadAllText(goldenPath).ReplaceLineEndings("\n") : null;
        if (golden == text)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(goldenPath)!);
        File.WriteAllText(receivedPath, text);
        throw new XunitException(golden is null
            ? $"Golden '{relativePath}' does not exist.\n  received: {receivedPath}\n" +
              $"Review it, then rename it to {Path.GetFileName(goldenPath)} or rerun with {AcceptVariable}=1."
            : $"Golden '{relativePath}' differs.\n  golden:   {goldenPath}\n  received: {receivedPath}\n" +
              $"Diff the two; if the change is intended, rerun with {AcceptVariable}=1 (or copy received over golden).");
    }

    /// <summary>Indented JSON with a final newline; timestamps the encoders made up (now) are masked so goldens are stable.</summary>
    private static string Normalize(JsonNode? node)
    {
        MaskNow(node);
        return (node?.ToJsonString(Indented) ?? "null").ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>
    /// An encoder fills <c>created</c> (or <c>created_at</c>) with the current time when the platform gave none;
    /// any such value within a day of now is replaced by <c>"&lt;now&gt;"</c>. Timestamps from fixtures are years old
    /// and stay as they are, so carrying them across is still checked.
    /// </summary>
    private static void MaskNow(JsonNode? node)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name is "created" or "created_at" && value is JsonValue number && number.TryGetValue<long>(out var seconds)
                        && Math.Abs(seconds - now) < 86_400)
                    {
                        obj[name] = "<now>";
                    }
                    else
                    {
                        MaskNow(value);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    MaskNow(item);
                }
                break;
        }
    }

    // This file is <project>/Golden/GoldenFile.cs, as the compiler saw it.
    private static string FindProjectDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, ".."));
}
