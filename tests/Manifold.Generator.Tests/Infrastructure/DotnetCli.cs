using System.Diagnostics;
using System.Text;

namespace Manifold.Generator.Tests.Infrastructure;

/// <summary>Runs the real <c>dotnet</c> CLI, as a developer or CI would, and keeps what it printed.</summary>
internal static class DotnetCli
{
    private const string Nice = "/usr/bin/nice";

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="directory"/>; fails the test when it outlives <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        // Other test assemblies run beside this one and some time real work (video jobs, stream timeouts): niced, the
        // build and every compiler and MSBuild node it starts take only the CPU they leave over.
        if (File.Exists(Nice))
        {
            start.FileName = Nice;
            start.ArgumentList.Add("-n10");
            start.ArgumentList.Add("dotnet");
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The test host inherits MSBuild's and VSTest's variables from the dotnet test that started it; they would steer this build.
        foreach (var name in start.Environment.Keys.Where(static n =>
            n.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || n.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        // No MSBuild nodes left behind by a test, and no first-run chatter in the output the test reads.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var reads = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} took more than {timeout}:\n{output}");
        }
        await reads;
        return (process.ExitCode, output.ToString());
    }

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
