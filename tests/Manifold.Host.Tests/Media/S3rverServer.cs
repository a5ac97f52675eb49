using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Media;

/// <summary>
/// A real S3-compatible server for the tests: <c>s3rver</c> from <c>tests/conformance/node_modules</c> (installed by
/// <c>npm ci</c> there, which ./test.sh runs first), on a free loopback port with its own data folder. Its default
/// credentials are S3RVER / S3RVER.
/// </summary>
public sealed class S3rverServer : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "manifold-s3rver-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepoRoot(), "tests", "conformance", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed ({script}); run 'npm ci' in tests/conformance (./test.sh does).");
        }
        Directory.CreateDirectory(_directory);
        var port = FreePort();
        _process = Process.Start(new ProcessStartInfo("node", [script, "--directory", _directory, "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        Endpoint = $"http://127.0.0.1:{port}";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The settings that put a gateway's media into <paramref name="bucket"/> on this server.</summary>
    public Dictionary<string, string?> Settings(string bucket) => new()
    {
        ["Manifold:Media:Storage"] = "s3",
        ["Manifold:Media:S3:Bucket"] = bucket,
        ["Manifold:Media:S3:Endpoint"] = Endpoint,
        ["Manifold:Media:S3:AccessKey"] = AccessKey,
        ["Manifold:Media:S3:SecretKey"] = SecretKey,
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Plugins.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (Plugins.sln) was not found above the test's folder.");
    }
}
