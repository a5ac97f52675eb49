using System.Diagnostics;
using System.Text;

namespace Manifold.Templates.Tests.Infrastructure;

/// <summary>Runs the <c>dotnet</c> CLI as an author would in a terminal, isolated from the test run that starts it.</summary>
internal static class DotNet
{
    private const string Nice = "/usr/bin/nice";

    /// <summary>The exit code and everything written to stdout and stderr.</summary>
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // These builds run beside the other test assemblies, some of which time real work (video jobs, stream timeouts):
        // at a lower priority, inherited by every compiler and MSBuild node they start, they take only the CPU left over.
        if (File.Exists(Nice))
        {
            start.FileName = Nice;
            start.ArgumentList.Add("-n10");
            start.ArgumentList.Add("dotnet");
        }
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Isolate(start.Environment);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:{Environment.NewLine}{output}");
        }
        await Task.WhenAll(stdout, stderr);
        return new Result(process.ExitCode, output.ToString());
    }

    /// <summary>
    /// Removes what the running test host inherited from the `dotnet test` that started it (MSBuild's and VSTest's own
    /// variables would steer the child build), and keeps the child from leaving build servers behind.
    /// </summary>
    public static void Isolate(IDictionary<string, string?> environment)
    {
        foreach (string name in environment.Keys.Where(static n =>
            n.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || n.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            environment.Remove(name);
        }
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = "false";
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder output)
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
