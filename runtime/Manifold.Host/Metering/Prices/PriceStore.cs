using System.Data.Common;
using Manifold.Host.Storage;

namespace Manifold.Host.Metering.Prices;

/// <summary>The <c>prices</c> table: read whole at startup, replaced whole by <c>PUT /admin/api/prices</c>.</summary>
public sealed class PriceStore(Database database, PriceTable table, TimeProvider time)
{
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT model, input_per_million, output_per_million, per_image, per_video_second, per_request FROM prices;";
        var prices = new List<ModelPrice>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                prices.Add(new ModelPrice(reader.GetString(0), Price(reader, 1), Price(reader, 2), Price(reader, 3), Price(reader, 4), Price(reader, 5)));
            }
        }
        table.Replace(prices);
    }

    /// <summary>Replaces every price in one transaction, then the table in memory: the next batch is priced with them.</summary>
    public async Task ReplaceAsync(IReadOnlyList<ModelPrice> prices, CancellationToken cancellationToken)
    {
        // As DbConnection: the statements below are the provider-neutral ADO.NET that PostgreSQL's will run as well.
        await using DbConnection connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var clear = connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = "DELETE FROM prices;";
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var price in prices)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO prices (model, input_per_million, output_per_million, per_image, per_video_second, per_request, updated_at)
                VALUES (@model, @input, @output, @image, @video_second, @request, @updated_at);
                """;
            Add(insert, "@model", price.Model);
            Add(insert, "@input", price.InputPerMillion);
            Add(insert, "@output", price.OutputPerMillion);
            Add(insert, "@image", price.PerImage);
            Add(insert, "@video_second", price.PerVideoSecond);
            Add(insert, "@request", price.PerRequest);
            Add(insert, "@updated_at", now);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        table.Replace(prices);
    }

    private static decimal? Price(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : (decimal)reader.GetDouble(ordinal);

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value is decimal price ? (double)price : value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
