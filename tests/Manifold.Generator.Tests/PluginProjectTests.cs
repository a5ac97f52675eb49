using Manifold.Generator.Tests.Infrastructure;

namespace Manifold.Generator.Tests;

/// <summary>
/// The generator travels in the Manifold.Contracts package as an analyzer, so it runs in every plugin project. There it must
/// stay silent until the plugin asks for code: the contracts' DTOs are already compiled into the package.
/// </summary>
public sealed class PluginProjectTests
{
    private const string ChatSpec = "openai/chat-completions.yaml";

    [Theory]
    // The package's props declare the property compiler-visible without a value, which reaches the generator as "".
    [InlineData("")]
    [InlineData(null)]
    public void A_project_without_a_target_gets_nothing_even_with_spec_files(string? target)
    {
        var run = GeneratorDriverHelper.Run(target, (GeneratorDriverHelper.SpecPath(ChatSpec), GeneratorDriverHelper.ReadSpec(ChatSpec)));

        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Generator.GeneratedSources);
    }

    [Fact]
    public void A_contracts_project_without_spec_files_gets_nothing()
    {
        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts);

        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Generator.GeneratedSources);
    }
}
