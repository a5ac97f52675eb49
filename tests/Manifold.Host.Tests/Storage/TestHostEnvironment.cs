using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Manifold.Host.Tests.Storage;

/// <summary>Just enough IHostEnvironment for the database to resolve relative paths against.</summary>
internal sealed class TestHostEnvironment(string contentRootPath) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = Environments.Development;

    public string ApplicationName { get; set; } = "Manifold.Host.Tests";

    public string ContentRootPath { get; set; } = contentRootPath;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
