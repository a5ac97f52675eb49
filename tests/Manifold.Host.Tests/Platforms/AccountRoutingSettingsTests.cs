using Manifold.Host.Accounts;
using Manifold.Host.Platforms;
using Microsoft.Extensions.Configuration;

namespace Manifold.Host.Tests.Platforms;

/// <summary><c>Accounts:{i}:Priority</c>, <c>Weight</c>, <c>Group</c>, <c>MaxConcurrency</c>, <c>Enabled</c> and <c>Name</c> in configuration.</summary>
public sealed class AccountRoutingSettingsTests
{
    private static IReadOnlyList<AccountSettings> Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(static s => new KeyValuePair<string, string?>("Manifold:Platforms:up:" + s.Key, s.Value))
                .Append(new("Manifold:Platforms:up:Plugin", "openai")))
            .Build();
        return PlatformSettingsReader.ReadPlatforms(configuration).Single().Accounts;
    }

    [Fact]
    public void Each_setting_is_read_and_an_account_that_sets_none_has_the_defaults()
    {
        var accounts = Read(
            ("Accounts:0:Key", "sk-a"), ("Accounts:0:Priority", "-2"), ("Accounts:0:Weight", "5"), ("Accounts:0:Group", "vip"),
            ("Accounts:0:MaxConcurrency", "8"), ("Accounts:0:Enabled", "false"), ("Accounts:0:Name", " team a "),
            ("Accounts:1", "sk-bare"));

        Assert.Equal(new AccountSettings { Priority = -2, Weight = 5, Group = "vip", MaxConcurrency = 8, Enabled = false, Name = "team a" }, accounts[0]);
        Assert.Equal(AccountSettings.Default, accounts[1]);
    }

    [Theory]
    [InlineData("Weight", "0")]
    [InlineData("Weight", "many")]
    [InlineData("Priority", "1.5")]
    [InlineData("Group", "two words")]
    [InlineData("MaxConcurrency", "0")]
    [InlineData("Enabled", "yes")]
    public void A_bad_value_stops_startup_naming_the_platform_and_the_setting(string setting, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("Accounts:0:Key", "sk-a"), ($"Accounts:0:{setting}", value)));

        Assert.Contains("Platform 'up'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Accounts:0:{setting}", error.Message, StringComparison.Ordinal);
    }
}
