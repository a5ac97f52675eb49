using Manifold.Host.Accounts;
using Manifold.Host.Platforms;

namespace Manifold.Host.Admin;

/// <summary>
/// <c>/admin/api/platforms</c> and each platform's accounts: list them with their health, add one (its key is encrypted and
/// never shown again, only masked), change one, delete one. Every change is in the pool before the answer is sent; other
/// nodes sharing the database pick it up within <see cref="AccountOptions.SyncInterval"/>.
/// </summary>
internal static class AdminPlatformEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var platforms = api.MapGroup("/platforms").WithTags("Platforms and accounts");
        platforms.MapGet("", List)
            .Produces<AdminList<PlatformView>>()
            .WithSummary("Every configured platform: its plugin, upstream, models, and how many of its accounts are in each state.");
        platforms.MapGet("/{name}/accounts", ListAccounts)
            .Produces<AdminList<AccountView>>()
            .Produces<AdminError>(StatusCodes.Status404NotFound)
            .WithSummary("A platform's accounts, configured and added ones, by priority, with their health on this node; keys only masked.");
        platforms.MapPost("/{name}/accounts", CreateAsync)
            .Accepts<AccountBody>("application/json")
            .Produces<AccountView>(StatusCodes.Status201Created)
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .Produces<AdminError>(StatusCodes.Status404NotFound)
            .Produces<AdminError>(StatusCodes.Status409Conflict)
            .WithSummary("Adds an account (key required; weight 1, priority 0, group 'default' and enabled unless sent). It takes requests at once.");
        platforms.MapPatch("/{name}/accounts/{id}", UpdateAsync)
            .Accepts<AccountBody>("application/json")
            .Produces<AccountView>()
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .Produces<AdminError>(StatusCodes.Status404NotFound)
            .WithSummary("Changes an account: the fields sent replace its own. A configured account's key stays in configuration; its other settings can be changed here.");
        platforms.MapDelete("/{name}/accounts/{id}", DeleteAsync)
            .Produces<DeletedAccountView>()
            .Produces<AdminError>(StatusCodes.Status404NotFound)
            .Produces<AdminError>(StatusCodes.Status409Conflict)
            .WithSummary("Deletes an account added through this API; requests already using it finish on it.");
    }

    private static IResult List(PlatformRegistry platforms) =>
        Results.Json(new AdminList<PlatformView>("list", [.. platforms.All.Select(PlatformView.From)]), AdminJson.Options);

    private static IResult ListAccounts(string name, PlatformRegistry platforms, AccountPools pools) =>
        platforms.TryGet(name, out var entry)
            ? Results.Json(new AdminList<AccountView>("list", [.. entry.Accounts.Accounts.Select(a => AccountView.From(entry.Name, a, pools.Policy))]), AdminJson.Options)
            : UnknownPlatform(name, platforms);

    private static async Task<IResult> CreateAsync(string name, HttpRequest request, PlatformRegistry platforms, AccountPools pools, CancellationToken cancellationToken)
    {
        if (!platforms.TryGet(name, out var entry))
        {
            return UnknownPlatform(name, platforms);
        }
        var read = await AdminJson.ReadAsync(request, cancellationToken);
        if (read.Object is not { } body)
        {
            return read.Invalid ?? AdminErrors.BadRequest("The body must be a JSON object such as {\"key\": \"sk-...\"}.", code: "invalid_json");
        }
        if (!body.ContainsKey("key"))
        {
            return AdminErrors.BadRequest("'key' is required: the upstream's key for this account.", "key", "missing_required_parameter");
        }
        try
        {
            var (key, settings) = AccountRequests.Apply(body, AccountSettings.Default);
            // Named by its key's fingerprint, as a configured account is: the same key twice is one account, and moving an
            // account from configuration to the database keeps its id (and the media jobs that name it).
            var id = AccountIds.FromKey(entry.Name, key!);
            if (entry.Accounts.Find(id) is { } existing)
            {
                return AdminErrors.Conflict(
                    $"Platform '{entry.Name}' already has this key as account {existing.Id} ({(existing.Source == AccountSource.Config ? "from configuration" : "added earlier")}).",
                    "account_exists");
            }
            var now = pools.Policy.Time.GetUtcNow();
            await pools.SaveAsync(new StoredAccount(entry.Name, id, AccountSource.Database, pools.Protector.Protect(entry.Name, id, key!), MaskedKeys.Of(key!),
                settings, now, now), cancellationToken);
            return Results.Json(View(entry, id, pools), AdminJson.Options, statusCode: StatusCodes.Status201Created);
        }
        catch (LicenceRequests.InvalidField invalid)
        {
            return AdminErrors.BadRequest(invalid.Message, invalid.Param);
        }
    }

    private static async Task<IResult> UpdateAsync(string name, string id, HttpRequest request, PlatformRegistry platforms, AccountPools pools, CancellationToken cancellationToken)
    {
        if (!platforms.TryGet(name, out var entry))
        {
            return UnknownPlatform(name, platforms);
        }
        var read = await AdminJson.ReadAsync(request, cancellationToken);
        if (read.Object is not { } body)
        {
            return read.Invalid ?? AdminErrors.BadRequest("The body must be a JSON object of the fields to change.", code: "invalid_json");
        }
        if (entry.Accounts.Find(id) is not { } account)
        {
            return UnknownAccount(entry, id);
        }
        try
        {
            var (key, settings) = AccountRequests.Apply(body, account.Settings);
            var now = pools.Policy.Time.GetUtcNow();
            if (account.Source == AccountSource.Config)
            {
                if (key is not null)
                {
                    return AdminErrors.BadRequest(
                        $"Account {id} comes from configuration, and so does its key: change Manifold__Platforms__{entry.Name}__Accounts__<i>__Key. Its other settings can be changed here.", "key");
                }
                await pools.SaveAsync(new StoredAccount(entry.Name, id, AccountSource.Config, null, null, settings, account.CreatedAt ?? now, now), cancellationToken);
            }
            else if (key is not null)
            {
                await pools.SaveAsync(new StoredAccount(entry.Name, id, AccountSource.Database, pools.Protector.Protect(entry.Name, id, key), MaskedKeys.Of(key),
                    settings, account.CreatedAt ?? now, now), cancellationToken);
            }
            else if (!await pools.UpdateSettingsAsync(entry.Name, id, settings, cancellationToken))
            {
                return UnknownAccount(entry, id);
            }
            return View(entry, id, pools) is { } view ? Results.Json(view, AdminJson.Options) : UnknownAccount(entry, id);
        }
        catch (LicenceRequests.InvalidField invalid)
        {
            return AdminErrors.BadRequest(invalid.Message, invalid.Param);
        }
    }

    private static async Task<IResult> DeleteAsync(string name, string id, PlatformRegistry platforms, AccountPools pools, CancellationToken cancellationToken)
    {
        if (!platforms.TryGet(name, out var entry))
        {
            return UnknownPlatform(name, platforms);
        }
        if (entry.Accounts.Find(id) is not { } account)
        {
            return UnknownAccount(entry, id);
        }
        if (account.Source == AccountSource.Config)
        {
            return AdminErrors.Conflict(
                $"Account {id} comes from configuration: remove it there (Manifold__Platforms__{entry.Name}__Accounts__<i>), or PATCH it with {{\"enabled\": false}} to stop using it now.",
                "configured_account");
        }
        return await pools.DeleteAsync(entry.Name, id, cancellationToken)
            ? Results.Json(new DeletedAccountView(id, "account.deleted", true), AdminJson.Options)
            : UnknownAccount(entry, id);
    }

    private static AccountView? View(PlatformEntry entry, string id, AccountPools pools) =>
        entry.Accounts.Find(id) is { } account ? AccountView.From(entry.Name, account, pools.Policy) : null;

    private static IResult UnknownPlatform(string name, PlatformRegistry platforms) =>
        AdminErrors.NotFound($"No platform is named '{name}'. Configured: {string.Join(", ", platforms.All.Select(static p => p.Name))}.");

    private static IResult UnknownAccount(PlatformEntry entry, string id) =>
        AdminErrors.NotFound($"Platform '{entry.Name}' has no account {id}.");
}
