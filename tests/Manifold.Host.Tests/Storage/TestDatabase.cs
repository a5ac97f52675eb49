using System.Data.Common;
using System.Globalization;
using Manifold.Host.Storage;

namespace Manifold.Host.Tests.Storage;

/// <summary>
/// A throwaway database of one engine for a store test: SQLite in a temp folder (<see cref="TempSqliteDatabase"/>) or a schema
/// of the test run's PostgreSQL (<see cref="TempPostgresDatabase"/>). Store tests are written once against this and run on both.
/// </summary>
public abstract class TestDatabase : IDisposable
{
    /// <summary>The database the store under test uses.</summary>
    public abstract Database Database { get; }

    /// <summary>Another <see cref="Storage.Database"/> on the same data, as a second node or a restart would have.</summary>
    public abstract Database Open();

    /// <summary>Every value of every row of <paramref name="table"/>, as text, for asserting what is really stored.</summary>
    public List<string> ReadAllValues(string table, string? orderBy = null)
    {
        using var connection = Database.OpenConnectionAsync().GetAwaiter().GetResult();
        using var command = connection.Command($"SELECT * FROM {table}{(orderBy is null ? "" : " ORDER BY " + orderBy)};");
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values.Add(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!);
            }
        }

        return values;
    }

    public long Scalar(string sql)
    {
        using DbConnection connection = Database.OpenConnectionAsync().GetAwaiter().GetResult();
        using var command = connection.Command(sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public abstract void Dispose();
}
