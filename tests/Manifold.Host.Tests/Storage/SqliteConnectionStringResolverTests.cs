using Manifold.Host.Storage;
using Microsoft.Data.Sqlite;

namespace Manifold.Host.Tests.Storage;

public sealed class SqliteConnectionStringResolverTests
{
    private static readonly string ContentRoot = Path.Combine(Path.GetTempPath(), "manifold-content-root");

    [Fact]
    public void RelativeDataSource_ResolvesAgainstTheContentRoot()
    {
        var (connectionString, inMemory) = SqliteConnectionStringResolver.Resolve("Data Source=data/manifold.db", ContentRoot);

        Assert.False(inMemory);
        Assert.Equal(Path.Combine(ContentRoot, "data", "manifold.db"), new SqliteConnectionStringBuilder(connectionString).DataSource);
    }

    [Fact]
    public void AbsoluteDataSource_IsKept()
    {
        var path = Path.Combine(Path.GetTempPath(), "elsewhere", "m.db");

        var (connectionString, _) = SqliteConnectionStringResolver.Resolve($"Data Source={path};Cache=Private", ContentRoot);

        var builder = new SqliteConnectionStringBuilder(connectionString);
        Assert.Equal(path, builder.DataSource);
        Assert.Equal(SqliteCacheMode.Private, builder.Cache);
    }

    [Theory]
    [InlineData("Data Source=file:test1?mode=memory&cache=shared", "file:test1?mode=memory&cache=shared")]
    [InlineData("Data Source=shared1;Mode=Memory;Cache=Shared", "shared1")]
    public void InMemoryDataSource_IsKeptAndReported(string configured, string expectedDataSource)
    {
        var (connectionString, inMemory) = SqliteConnectionStringResolver.Resolve(configured, ContentRoot);

        Assert.True(inMemory);
        Assert.Equal(expectedDataSource, new SqliteConnectionStringBuilder(connectionString).DataSource);
    }

    [Fact]
    public void PrivateMemoryDatabase_BecomesAUniqueSharedOne()
    {
        var (first, inMemory) = SqliteConnectionStringResolver.Resolve("Data Source=:memory:", ContentRoot);
        var (second, _) = SqliteConnectionStringResolver.Resolve("Data Source=:memory:", ContentRoot);

        Assert.True(inMemory);
        var builder = new SqliteConnectionStringBuilder(first);
        Assert.Equal(SqliteOpenMode.Memory, builder.Mode);
        Assert.Equal(SqliteCacheMode.Shared, builder.Cache);
        Assert.NotEqual(first, second);
    }
}
