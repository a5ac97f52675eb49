using System.Data.Common;
using Manifold.Host.Storage;

namespace Manifold.Host.Characters;

/// <summary>
/// <see cref="ICharacterStore"/> over the <c>video_characters</c> table (migration 7), in the task store's style: plain
/// ADO.NET, <c>@name</c> parameters, times as unix milliseconds.
/// </summary>
public sealed class SqlCharacterStore(Database database) : ICharacterStore
{
    private const string Columns = "id, licence_id, platform, account_id, upstream_id, name, created_at, source";

    public async Task InsertAsync(VideoCharacterRecord character, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO video_characters ({Columns})
            VALUES (@id, @licence_id, @platform, @account_id, @upstream_id, @name, @created_at, @source);
            """;
        command.AddParameter("@id", character.Id);
        command.AddParameter("@licence_id", character.LicenceId);
        command.AddParameter("@platform", character.Platform);
        command.AddParameter("@account_id", character.AccountId);
        command.AddParameter("@upstream_id", character.UpstreamId);
        command.AddParameter("@name", character.Name);
        command.AddParameter("@created_at", character.CreatedAt.ToUnixTimeMilliseconds());
        command.AddParameter("@source", character.Source);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<VideoCharacterRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM video_characters WHERE id = @id;";
        command.AddParameter("@id", id);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<VideoCharacterRecord>> FindByNamesAsync(
        long? licenceId, string platform, IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        if (names.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var placeholders = string.Join(", ", names.Select(static (_, i) => "@name" + i));
        command.CommandText = $"""
            SELECT {Columns} FROM video_characters
            WHERE (licence_id = @licence_id OR (@licence_id IS NULL AND licence_id IS NULL)) AND platform = @platform AND name IN ({placeholders})
            ORDER BY created_at DESC, id DESC;
            """;
        command.AddParameter("@licence_id", licenceId);
        command.AddParameter("@platform", platform);
        var index = 0;
        foreach (var name in names)
        {
            command.AddParameter("@name" + index++, name);
        }
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<VideoCharacterRecord>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var characters = new List<VideoCharacterRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            characters.Add(new VideoCharacterRecord
            {
                Id = reader.GetString(0),
                LicenceId = reader.IsDBNull(1) ? null : reader.GetInt64(1),
                Platform = reader.GetString(2),
                AccountId = reader.IsDBNull(3) ? null : reader.GetString(3),
                UpstreamId = reader.GetString(4),
                Name = reader.GetString(5),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                Source = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }
        return characters;
    }
}
