using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Manifold.Tests.Processes;

/// <summary>
/// The gateway as operators run it: <c>dotnet Manifold.Host.dll</c> from this repository's build, configured only through
/// <c>Manifold__*</c> environment variables (none inherited from the test run), on a free loopback port, its console log
/// kept for assertions. <see cref="KillAsync"/> is SIGKILL (no shutdown code runs, as when a machine dies);
/// <see cref="Terminate"/> is SIGTERM (what an orchestrator sends to stop it). One source file, linked into each test
/// project that starts the host (tests/Shared).
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private HostProcess(Process process, StringBuilder log, Uri baseAddress)
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

    public bool HasExited => _process.HasExited;

    /// <summary>The Release host next to this repository's build (<c>dotnet build Plugins.sln -c Release</c> makes it).</summary>
    public static string RepositoryHostAssembly
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

    /// <summary>The repository's Release host, given three minutes to listen (the machine may be busy with builds).</summary>
    public static Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> environment) =>
        StartAsync(RepositoryHostAssembly, environment, TimeSpan.FromMinutes(3));

    public static async Task<HostProcess> StartAsync(string hostAssembly, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(hostAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(hostAssembly);
        // Nothing from the test run steers the host: not its own settings, nor MSBuild's and VSTest's variables.
        foreach (var name in start.Environment.Keys.Where(static k => Inherited.Any(prefix => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        // One line per entry, so that a message and the category that wrote it stay together.
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

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(timeout));
        if (first == listening.Task)
        {
            return new HostProcess(process, log, await listening.Task);
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        lock (log)
        {
            throw new InvalidOperationException($"The host did not start listening ({(first == exited ? "it exited" : "timed out")}):{Environment.NewLine}{log}");
        }
    }

    private static readonly string[] Inherited = ["Manifold__", "ASPNETCORE_", "MSBUILD", "VSTEST"];

    /// <summary>SIGKILL (Process.Kill on Linux), and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as <c>kill</c> sends it; returns at once (see <see cref="WaitForExitAsync"/>).</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed with {kill.ExitCode}.");
        }
    }

    /// <summary>The exit code, once the process is gone; fails (with the log) when it is not within <paramref name="within"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The host did not exit within {within}:{Environment.NewLine}{Log}");
        }
        // The exit is known before the last lines are read: WaitForExit() (no timeout) waits for the redirected output too.
        _process.WaitForExit();
        return _process.ExitCode;
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
