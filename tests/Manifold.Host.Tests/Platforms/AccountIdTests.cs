using Manifold.Host.Platforms;
using Microsoft.Extensions.Configuration;

namespace Manifold.Host.Tests.Platforms;

public sealed class AccountIdTests
{
    private static IReadOnlyList<string> Ids(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(static s => new KeyValuePair<string, string?>("Manifold:Platforms:up:" + s.Key, s.Value))
                .Append(new("Manifold:Platforms:up:Plugin", "openai")))
            .Build();
        return PlatformSettingsReader.Read(configuration).Single().Accounts.Select(static a => a.Id).ToList();
    }

    [Fact]
    public void An_account_keeps_its_id_when_the_operator_reorders_the_list()
    {
        var before = Ids(("Accounts:0:Key", "sk-first-0123456789"), ("Accounts:1:Key", "sk-second-0123456789"));
        var after = Ids(("Accounts:0:Key", "sk-second-0123456789"), ("Accounts:1:Key", "sk-first-0123456789"));

        Assert.Equal(before.Reverse(), after);
        Assert.All(before, static id => Assert.Matches("^acct_[0-9a-f]{12}$", id));
    }

    [Fact]
    public void The_id_names_the_key_without_showing_it_and_a_configured_id_wins()
    {
        var ids = Ids(("Accounts:0", "sk-bare-value-0123456789"), ("Accounts:1:Key", "sk-other-0123456789"), ("Accounts:1:Id", "team-b"));

        Assert.DoesNotContain("sk-", ids[0], StringComparison.Ordinal);
        Assert.Equal("team-b", ids[1]);
        // The same key on another platform is another account.
        Assert.NotEqual(AccountIds.FromKey("up", "sk-bare-value-0123456789"), AccountIds.FromKey("other", "sk-bare-value-0123456789"));
    }

    [Fact]
    public void Two_accounts_with_one_configured_id_are_a_configuration_error()
    {
        var error = Assert.ThrowsAny<Exception>(() => Ids(
            ("Accounts:0:Key", "sk-one-0123456789"), ("Accounts:0:Id", "team"), ("Accounts:1:Key", "sk-two-0123456789"), ("Accounts:1:Id", "team")));

        Assert.Contains("Accounts:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_key_listed_twice_is_two_accounts_with_distinct_ids()
    {
        var ids = Ids(("Accounts:0:Key", "sk-same-0123456789"), ("Accounts:1:Key", "sk-same-0123456789"));

        Assert.Equal([ids[0], ids[0] + "_2"], ids);
    }
}
