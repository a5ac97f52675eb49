using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Storage;

/// <summary>
/// Rejects storage settings at startup (with ValidateOnStart) rather than on the first request,
/// so a typo in the provider name stops the host instead of failing every call.
/// </summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!StorageOptions.SupportedProviders.Contains(options.Provider, StringComparer.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:Provider '{options.Provider}' is not supported. " +
                $"Supported providers: {string.Join(", ", StorageOptions.SupportedProviders)}.");
        }

        if (options.IsPostgres)
        {
            return ValidatePostgres(options.ConnectionString);
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            // Unset: the database in the data folder.
            return ValidateOptionsResult.Success;
        }

        try
        {
            _ = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            // The builder's message names the bad keyword; the connection string itself may hold a password, so it is not echoed.
            return ValidateOptionsResult.Fail($"{StorageOptions.SectionName}:ConnectionString is not a valid SQLite connection string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult ValidatePostgres(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:ConnectionString is required with Provider 'postgres' (e.g. Host=db;Database=manifold;Username=manifold;Password=…).");
        }

        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(builder.Host))
            {
                return ValidateOptionsResult.Fail($"{StorageOptions.SectionName}:ConnectionString names no Host.");
            }
        }
        catch (ArgumentException ex)
        {
            // As for SQLite: the message names the keyword, and the string itself, which may hold a password, is not echoed.
            return ValidateOptionsResult.Fail($"{StorageOptions.SectionName}:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
