using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Manifold.Host.Tests.Storage;

/// <summary>
/// One real PostgreSQL for the whole test run, started on first use: Debian's <c>postgresql</c> package's <c>initdb</c> in a
/// temporary folder owned by the <c>postgres</c> user (initdb refuses root), <c>pg_ctl start</c> on a free loopback port with
/// its socket in that folder, and stopped (and the folder deleted) when the test process exits. Tests isolate themselves by
/// schema (<see cref="TempPostgresDatabase"/>). <c>MANIFOLD_TEST_POSTGRES</c> (an Npgsql connection string) uses an existing
/// server instead. A machine without PostgreSQL fails these tests with a message saying how to get one; they are never skipped,
/// so CI (<c>.ci/run</c> installs the package) cannot pass without them.
/// </summary>
internal sealed class PostgresServer
{
    public const string EnvironmentVariable = "MANIFOLD_TEST_POSTGRES";
    private const string DatabaseName = "manifold_tests";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string? _folder;
    private readonly string? _binaries;

    private PostgresServer(string connectionString, string? folder, string? binaries)
    {
        ConnectionString = connectionString;
        _folder = folder;
        _binaries = binaries;
    }

    /// <summary>A connection string to the tests' database, as the server's superuser (or as <c>MANIFOLD_TEST_POSTGRES</c> says).</summary>
    public string ConnectionString { get; }

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    private static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return new PostgresServer(configured, null, null);
        }

        var binaries = FindBinaries() ?? throw new InvalidOperationException(
            "These tests need PostgreSQL: install Debian's postgresql package (apt-get install postgresql; .ci/run does), " +
            $"or set {EnvironmentVariable} to an Npgsql connection string of a server to use.");
        var folder = Path.Combine(Path.GetTempPath(), "manifold-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false);
        }

        var data = Path.Combine(folder, "data");
        var port = FreePort();
        await RunAsync(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asRoot);
        // Tuned for throwaway data: no fsync, and room for every test's pool plus the node processes'.
        var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(binaries, "pg_ctl"), ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "120", "start"], asRoot);

        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database={DatabaseName};Pooling=true;Timeout=60;Command Timeout=120", folder, binaries);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot);

        await using (var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=60"))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName};", admin);
            await create.ExecuteNonQueryAsync();
        }

        return server;
    }

    /// <summary>Ends the server at once (its data is throwaway) and deletes its folder.</summary>
    private void Stop(bool asRoot)
    {
        if (_folder is null || _binaries is null)
        {
            return;
        }

        try
        {
            RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], asRoot).GetAwaiter().GetResult();
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception)
        {
            // Exiting anyway; a leftover temp folder is the OS's to clean.
        }
    }

    /// <summary>initdb's folder: on PATH, or Debian's /usr/lib/postgresql/&lt;version&gt;/bin (newest), which is not on PATH.</summary>
    private static string? FindBinaries()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")))
            {
                return directory;
            }
        }

        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(static version => Path.Combine(version, "bin"))
                .Where(static bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(static bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var argument in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
