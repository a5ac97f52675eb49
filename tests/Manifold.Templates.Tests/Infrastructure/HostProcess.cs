using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Manifold.Templates.Tests.Infrastructure;

/// <summary>
/// The gateway as operators run it, <c>dotnet Manifold.Host.dll</c> from this repository's build, configured only through
/// <c>Manifold__*</c> environment variables, on a free loopback port, with its console log kept for assertions.
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

    public static async Task<HostProcess> StartAsync(string hostAssembly, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(hostAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(hostAssembly);
        DotNet.Isolate(start.Environment);
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

        return new HostProcess(process, log, await WhenListeningAsync(process, listening.Task, log, timeout));
    }

    private static async Task<Uri> WhenListeningAsync(Process process, Task<Uri> listening, StringBuilder log, TimeSpan timeout)
    {
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening, exited, Task.Delay(timeout));
        if (first == listening)
        {
            return await listening;
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
