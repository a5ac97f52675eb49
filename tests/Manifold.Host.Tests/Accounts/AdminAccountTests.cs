using System.Net;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;
using Microsoft.Data.Sqlite;
using static Manifold.Host.Tests.Accounts.AccountsGateway;

namespace Manifold.Host.Tests.Accounts;

/// <summary>
/// <c>/admin/api/platforms</c> and its accounts through the real host: changes take effect on the next request, keys are
/// written but never read back (only masked), stored encrypted, never logged, and other nodes on the same database follow.
/// </summary>
public sealed class AdminAccountTests
{
    private const string ConfigKey = "sk-config-0123456789abcdefABCD";
    private const string AddedKey = "sk-added-0123456789abcdefWXYZ";
    private const string RotatedKey = "sk-rotated-0123456789abcdefQRST";

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Accounts => $"/admin/api/platforms/{Platform}/accounts";

    [Fact]
    public async Task Accounts_are_added_changed_and_deleted_without_a_restart_and_their_keys_are_only_ever_shown_masked()
    {
        await using var gateway = await StartAsync([Account(ConfigKey)]);
        using var admin = gateway.Admin();
        using var client = gateway.Client();
        var answers = new List<string>();
        async Task<JsonNode> Read(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
        {
            answers.Add(await response.Content.ReadAsStringAsync());
            return await JsonAsync(response, status);
        }

        var created = await Read(await admin.PostAsync(Accounts, Json($$"""{"key":"{{AddedKey}}","name":"team key","weight":2,"group":"g1"}""")), HttpStatusCode.Created);
        await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g1]"));
        var listed = await Read(await admin.GetAsync(Accounts));
        var disabled = await Read(await admin.PatchAsync($"{Accounts}/{created["id"]}", Json("""{"enabled":false,"max_concurrency":3}""")));
        var whileDisabled = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g1]"));
        var rotated = await Read(await admin.PatchAsync($"{Accounts}/{created["id"]}", Json($$"""{"key":"{{RotatedKey}}","enabled":true}""")));
        await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g1]"));
        var overridden = await Read(await admin.PatchAsync($"{Accounts}/{IdOf(ConfigKey)}", Json("""{"group":"g2","priority":5}""")));
        await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g2]"));
        var deleted = await Read(await admin.DeleteAsync($"{Accounts}/{created["id"]}"));
        var afterDelete = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini|[g1]"));
        var platforms = await Read(await admin.GetAsync("/admin/api/platforms"));

        Assert.Equal((IdOf(AddedKey), "account", "database", "team key", "sk-…WXYZ"),
            (created["id"]!.GetValue<string>(), created["object"]!.GetValue<string>(), created["source"]!.GetValue<string>(), created["name"]!.GetValue<string>(), created["masked_key"]!.GetValue<string>()));
        Assert.Equal((2, 0, "g1", true, "healthy"), (created["weight"]!.GetValue<int>(), created["priority"]!.GetValue<int>(), created["group"]!.GetValue<string>(),
            created["enabled"]!.GetValue<bool>(), created["health"]!["state"]!.GetValue<string>()));
        Assert.Null(created["key"]);
        Assert.Equal([IdOf(ConfigKey), IdOf(AddedKey)], listed["data"]!.AsArray().Select(static a => a!["id"]!.GetValue<string>()));
        Assert.Equal(("config", "sk-…ABCD"), (listed["data"]![0]!["source"]!.GetValue<string>(), listed["data"]![0]!["masked_key"]!.GetValue<string>()));
        Assert.Equal((false, 3, "disabled"), (disabled["enabled"]!.GetValue<bool>(), disabled["max_concurrency"]!.GetValue<int>(), disabled["health"]!["state"]!.GetValue<string>()));
        await GatewayAssert.OpenAIError(whileDisabled, HttpStatusCode.ServiceUnavailable, code: "no_available_account");
        Assert.Equal(("sk-…QRST", IdOf(AddedKey)), (rotated["masked_key"]!.GetValue<string>(), rotated["id"]!.GetValue<string>()));
        Assert.Equal(("config", "g2", 5), (overridden["source"]!.GetValue<string>(), overridden["group"]!.GetValue<string>(), overridden["priority"]!.GetValue<int>()));
        Assert.Equal([AddedKey, RotatedKey, ConfigKey], gateway.Upstream.Keys);
        Assert.Equal((IdOf(AddedKey), "account.deleted", true), (deleted["id"]!.GetValue<string>(), deleted["object"]!.GetValue<string>(), deleted["deleted"]!.GetValue<bool>()));
        await GatewayAssert.OpenAIError(afterDelete, HttpStatusCode.BadRequest, param: "model", code: "no_account_in_group");
        var platform = platforms["data"]!.AsArray().Single(static p => p!["name"]!.GetValue<string>() == Platform)!;
        Assert.Equal((Platform, "platform", "openai", gateway.Upstream.BaseUrl, "gpt-*"), (platform["name"]!.GetValue<string>(), platform["object"]!.GetValue<string>(),
            platform["kind"]!.GetValue<string>(), platform["base_url"]!.GetValue<string>(), platform["models"]![0]!.GetValue<string>()));
        Assert.Equal((1, 1), (platform["accounts"]!["total"]!.GetValue<int>(), platform["accounts"]!["healthy"]!.GetValue<int>()));
        Assert.All(answers, static answer => Assert.DoesNotContain("0123456789abcdef", answer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_platform_and_account_paths_are_in_the_openapi_document_and_only_the_request_body_has_a_key()
    {
        await using var gateway = await StartAsync([]);
        using var client = gateway.Client(licence: null);

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!;
        Assert.NotNull(paths["/admin/api/platforms"]!["get"]);
        Assert.Equal(["get", "post"], paths["/admin/api/platforms/{name}/accounts"]!.AsObject().Select(static p => p.Key).Where(static k => k is "get" or "post").Order());
        Assert.Equal(["delete", "patch"], paths["/admin/api/platforms/{name}/accounts/{id}"]!.AsObject().Select(static p => p.Key).Where(static k => k is "patch" or "delete").Order());
        var schemas = document["components"]!["schemas"]!;
        Assert.NotNull(schemas["AccountBody"]!["properties"]!["key"]);
        Assert.NotNull(schemas["AccountView"]!["properties"]!["masked_key"]);
        Assert.Null(schemas["AccountView"]!["properties"]!["key"]);
    }

    [Fact]
    public async Task Bad_requests_name_the_field_and_configured_accounts_keep_their_key_and_their_place_in_configuration()
    {
        await using var gateway = await StartAsync([Account(ConfigKey)]);
        using var admin = gateway.Admin();
        using var anonymous = gateway.Client(licence: null);
        using var licence = gateway.Client();

        async Task Refused(HttpResponseMessage response, HttpStatusCode status, string? param, string? code = null)
        {
            var error = (await JsonAsync(response, status))["error"]!;
            Assert.Equal(param, error["param"]?.GetValue<string>());
            if (code is not null)
            {
                Assert.Equal(code, error["code"]!.GetValue<string>());
            }
        }

        await Refused(await admin.PostAsync(Accounts, Json("""{"weight":1}""")), HttpStatusCode.BadRequest, "key", "missing_required_parameter");
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-a b"}""")), HttpStatusCode.BadRequest, "key");
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-new","weight":0}""")), HttpStatusCode.BadRequest, "weight");
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-new","weight":1.5}""")), HttpStatusCode.BadRequest, "weight");
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-new","group":"two words"}""")), HttpStatusCode.BadRequest, "group");
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-new","max_concurrency":0}""")), HttpStatusCode.BadRequest, "max_concurrency");
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-new","enabled":"yes"}""")), HttpStatusCode.BadRequest, "enabled");
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-new","health":{}}""")), HttpStatusCode.BadRequest, "health");
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-new","colour":"red"}""")), HttpStatusCode.BadRequest, "colour");
        await Refused(await admin.PostAsync(Accounts, Json("""[1]""")), HttpStatusCode.BadRequest, null, "invalid_json");
        await Refused(await admin.PostAsync(Accounts, Json($$"""{"key":"{{ConfigKey}}"}""")), HttpStatusCode.Conflict, null, "account_exists");
        await Refused(await admin.PatchAsync($"{Accounts}/{IdOf(ConfigKey)}", Json("""{"key":"sk-other"}""")), HttpStatusCode.BadRequest, "key");
        await Refused(await admin.DeleteAsync($"{Accounts}/{IdOf(ConfigKey)}"), HttpStatusCode.Conflict, null, "configured_account");
        await Refused(await admin.PatchAsync($"{Accounts}/acct_000000000000", Json("""{"weight":2}""")), HttpStatusCode.NotFound, null, "not_found");
        await Refused(await admin.GetAsync("/admin/api/platforms/nowhere/accounts"), HttpStatusCode.NotFound, null, "not_found");
        await Refused(await anonymous.GetAsync("/admin/api/platforms"), HttpStatusCode.Unauthorized, null, "invalid_admin_key");
        await Refused(await licence.GetAsync(Accounts), HttpStatusCode.Unauthorized, null, "invalid_admin_key");
        await JsonAsync(await admin.PostAsync(Accounts, Json("""{"key":"sk-new-account"}""")), HttpStatusCode.Created);
        await Refused(await admin.PostAsync(Accounts, Json("""{"key":"sk-new-account"}""")), HttpStatusCode.Conflict, null, "account_exists");

        // None of the refusals changed anything.
        Assert.Equal(2, (await gateway.AccountsAsync()).Count);
        Assert.Equal("default", (await gateway.AccountAsync(ConfigKey))["group"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stored_keys_are_encrypted_and_a_node_with_another_encryption_key_leaves_them_out_and_says_so()
    {
        var database = Path.Combine(Path.GetTempPath(), $"manifold-accounts-{Guid.NewGuid():N}.db");
        try
        {
            await using (var gateway = await StartAsync([], databasePath: database))
            {
                using var admin = gateway.Admin();
                await JsonAsync(await admin.PostAsync(Accounts, Json($$"""{"key":"{{AddedKey}}"}""")), HttpStatusCode.Created);
            }
            string stored;
            await using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT key_ciphertext || '|' || masked_key FROM accounts;";
                stored = (string)(await command.ExecuteScalarAsync())!;
            }
            await using var other = await StartAsync([], new Dictionary<string, string?> { ["Manifold:Accounts:EncryptionKey"] = "another secret" },
                databasePath: database, recordLogs: true);
            var unreadable = await other.AccountAsync(AddedKey);
            using var client = other.Client();
            var refused = await client.PostAsync("/v1/chat/completions", Chat());

            Assert.StartsWith("v1.", stored, StringComparison.Ordinal);
            Assert.EndsWith("|sk-…WXYZ", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("0123456789abcdef", stored, StringComparison.Ordinal);
            Assert.Equal("key_unreadable", unreadable["health"]!["state"]!.GetValue<string>());
            var error = await GatewayAssert.OpenAIError(refused, HttpStatusCode.ServiceUnavailable, code: "no_available_account");
            Assert.Contains("decrypt", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Empty(other.Upstream.Calls);
            Assert.Contains(other.Logs!.Entries, static e => e.Contains("cannot decrypt", StringComparison.Ordinal) && e.Contains("EncryptionKey", StringComparison.Ordinal));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database + suffix);
            }
        }
    }

    [Fact]
    public async Task Without_a_configured_encryption_key_one_is_generated_into_the_data_folder_readable_by_its_owner_alone()
    {
        var data = Directory.CreateTempSubdirectory("manifold-accounts-data-");
        try
        {
            await using var gateway = await StartAsync([], new Dictionary<string, string?>
            {
                ["Manifold:Accounts:EncryptionKey"] = null,
                ["Manifold:DataPath"] = data.FullName,
            });
            using var admin = gateway.Admin();
            var file = Path.Combine(data.FullName, "account-encryption.key");
            var before = File.Exists(file);

            await JsonAsync(await admin.PostAsync(Accounts, Json($$"""{"key":"{{AddedKey}}"}""")), HttpStatusCode.Created);
            using var client = gateway.Client();
            var response = await client.PostAsync("/v1/chat/completions", Chat());

            Assert.False(before);
            Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(file)).Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([AddedKey], gateway.Upstream.Keys);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task No_key_reaches_the_log_at_any_level_even_when_the_upstream_quotes_it_back()
    {
        await using var gateway = await StartAsync([Account(ConfigKey, priority: 0), Account("sk-good-0123456789abcdef", priority: 1)],
            new Dictionary<string, string?> { ["Manifold:Accounts:AuthFailureLimit"] = "1" }, recordLogs: true);
        gateway.Upstream.Rejected[ConfigKey] = true;
        gateway.Upstream.Rejected[AddedKey] = true;
        using var admin = gateway.Admin();
        using var client = gateway.Client();

        await JsonAsync(await admin.PostAsync(Accounts, Json($$"""{"key":"{{AddedKey}}","priority":0}""")), HttpStatusCode.Created);
        await JsonAsync(await admin.PatchAsync($"{Accounts}/{IdOf(AddedKey)}", Json($$"""{"key":"{{RotatedKey}}"}""")));
        gateway.Upstream.Rejected[RotatedKey] = true;
        for (var i = 0; i < 3; i++)
        {
            await client.PostAsync("/v1/chat/completions", Chat());
        }

        var log = gateway.Logs!.Entries.ToList();
        // The failures were logged (the circuits opened, the requests were retried), by account id.
        Assert.Contains(log, static e => e.Contains("authentication failures", StringComparison.Ordinal) && e.Contains(IdOf(ConfigKey), StringComparison.Ordinal));
        Assert.Contains(log, static e => e.Contains("retrying on another account", StringComparison.Ordinal));
        Assert.All(log, static e => Assert.DoesNotContain("0123456789abcdef", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_sharing_the_database_follows_another_nodes_changes_within_its_sync_interval()
    {
        var database = Path.Combine(Path.GetTempPath(), $"manifold-accounts-{Guid.NewGuid():N}.db");
        var sync = new Dictionary<string, string?> { ["Manifold:Accounts:SyncInterval"] = "00:00:00.2" };
        try
        {
            await using var first = await StartAsync([], sync, databasePath: database);
            await using var second = await StartAsync([], sync, databasePath: database, upstream: null);
            using var admin = first.Admin();

            async Task<JsonNode?> SeenBySecondAsync(Func<JsonNode?, bool> done)
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (true)
                {
                    var account = (await second.AccountsAsync()).SingleOrDefault();
                    if (done(account))
                    {
                        return account;
                    }
                    await Task.Delay(50, deadline.Token);
                }
            }

            await JsonAsync(await admin.PostAsync(Accounts, Json($$"""{"key":"{{AddedKey}}"}""")), HttpStatusCode.Created);
            var added = await SeenBySecondAsync(static a => a is not null);
            await JsonAsync(await admin.PatchAsync($"{Accounts}/{IdOf(AddedKey)}", Json("""{"weight":7}""")));
            var changed = await SeenBySecondAsync(static a => a?["weight"]!.GetValue<int>() == 7);
            using (var client = second.Client())
            {
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", Chat())).StatusCode);
            }
            await JsonAsync(await admin.DeleteAsync($"{Accounts}/{IdOf(AddedKey)}"));
            var deleted = await SeenBySecondAsync(static a => a is null);

            Assert.Equal(IdOf(AddedKey), added!["id"]!.GetValue<string>());
            Assert.Equal(7, changed!["weight"]!.GetValue<int>());
            Assert.Equal([AddedKey], second.Upstream.Keys);
            Assert.Null(deleted);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database + suffix);
            }
        }
    }
}
