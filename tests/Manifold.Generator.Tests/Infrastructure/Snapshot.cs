using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace Manifold.Generator.Tests.Infrastructure;

/// <summary>
/// Whole-file snapshots of generated code, kept in <c>_snapshots/{name}.verified.cs</c>. On a mismatch the actual
/// text is written to <c>{name}.received.cs</c> beside it (git-ignored) so the two can be diffed; run with
/// <c>MANIFOLD_ACCEPT_SNAPSHOTS=1</c> to accept every received text as the new verified one, then review the diff.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "MANIFOLD_ACCEPT_SNAPSHOTS";

    private static readonly string SnapshotDirectory = Path.Combine(ProjectDirectory(), "_snapshots");

    public static void Verify(string actual, string name)
    {
        actual = Normalize(actual);
        var verifiedPath = Path.Combine(SnapshotDirectory, name + ".verified.cs");
        var receivedPath = Path.Combine(SnapshotDirectory, name + ".received.cs");

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(SnapshotDirectory);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(SnapshotDirectory);
        File.WriteAllText(receivedPath, actual);
        throw new XunitException(verified is null
            ? $"Snapshot '{name}' has no verified file.\n  received: {receivedPath}\n" +
              $"Review it, then rename it to {Path.GetFileName(verifiedPath)} or rerun with {AcceptVariable}=1."
            : $"Snapshot '{name}' differs from the verified file at {FirstDifference(verified, actual)}\n" +
              $"  verified: {verifiedPath}\n  received: {receivedPath}\n" +
              $"Diff the two; if the change is intended, rerun with {AcceptVariable}=1 (or copy received over verified).");
    }

    private static string Normalize(string text) => text.ReplaceLineEndings("\n");

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return $"line {i + 1}:\n  verified: {e.Trim()}\n  received: {a.Trim()}";
            }
        }
        return "the end of the file";
    }

    // This file is <project>/Infrastructure/Snapshot.cs, as the compiler saw it.
    private static string ProjectDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, ".."));
}
