using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Manifold.Host.Tests.Nodes;

/// <summary>
/// One gateway node as operators run it: <c>dotnet Manifold.Host.dll</c> from this repository's Release build, configured
/// only through <c>Manifold__*</c> environment variables, on a free loopback port, its console log kept for assertions.
/// <see cref="Kill"/> is SIGKILL: no shutdown code runs, as when a machine dies.
/// </summary>
internal sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private NodeProcess(Process process, StringBuilder log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The Release host next to these tests' build (<c>dotnet build Plugins.sln -c Release</c> makes both).</summary>
    public static string HostAssembly
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Plugins.sln")))
                {
                    var host = Path.Combine(directory.FullName, "runtime", "Manifold.Host", "bin", "Release", "net10.0", "Manifold.Host.dll");
                    return File.Exists(host) ? host : throw new InvalidOperationException($"{host} is missing: build Plugins.sln in Release first.");
                }
            }
            throw new InvalidOperationException("The repository root (Plugins.sln) is not above the test assembly.");
        }
    }

    public static async Task<NodeProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var host = HostAssembly;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(host)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(host);
        foreach (var name in start.Environment.Keys.Where(static k => k.StartsWith("Manifold__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var log = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object _, DataReceivedEventArgs line)
        {
            if (line.Data is null)
            {
                return;
            }
            lock (log)
            {
                log.AppendLine(line.Data);
            }
            if (ListeningLine().Match(line.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value.TrimEnd('/') + "/"));
            }
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Generous: the machine may be busy with other builds, and this is a start, not a measurement.
        var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
        if (first != listening.Task)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            lock (log)
            {
                throw new InvalidOperationException($"The node did not start listening:{Environment.NewLine}{log}");
            }
        }
        return new NodeProcess(process, log, await listening.Task);
    }

    /// <summary>SIGKILL (Process.Kill on Linux), and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
