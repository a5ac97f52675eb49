using Manifold.Host.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Manifold.Host.Tests.Storage;

/// <summary>
/// A schema of its own in the test run's PostgreSQL (<see cref="PostgresServer"/>), named in the connection string's search
/// path, so every table a test makes is its own; dropped on dispose. A schema is much cheaper than a database per test.
/// </summary>
public sealed class TempPostgresDatabase : TestDatabase
{
    private readonly List<Database> _opened = [];

    private TempPostgresDatabase(string connectionString, string schema)
    {
        Schema = schema;
        // The schema's name as the application's too, so a test can find its own connections in pg_stat_activity.
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema, ApplicationName = schema }.ConnectionString;
        Database = Open();
    }

    public string Schema { get; }

    /// <summary>The connection string into this schema, as a node would be configured with it.</summary>
    public string ConnectionString { get; }

    public override Database Database { get; }

    public static async Task<TempPostgresDatabase> CreateAsync()
    {
        var server = await PostgresServer.GetAsync();
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema};", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new TempPostgresDatabase(server.ConnectionString, schema);
    }

    /// <summary>xunit's synchronous constructors: the store tests' fixtures are made in constructors.</summary>
    public static TempPostgresDatabase Create() => CreateAsync().GetAwaiter().GetResult();

    public override Database Open()
    {
        var database = new PostgresDatabase(ConnectionString, NullLogger<PostgresDatabase>.Instance);
        _opened.Add(database);
        return database;
    }

    public override void Dispose()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = null, Pooling = false }.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA {Schema} CASCADE;", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server is going away with the run; its data folder goes with it.
        }
    }
}
