namespace Manifold.Contracts;

/// <summary>
/// One configured upstream platform. Besides this interface, a platform implements every generated
/// adapter interface (<c>IChatCompletionsAdapter</c>, <c>IModelsAdapter</c>, …) it can serve; the host
/// answers 404 for protocols a platform does not implement.
/// </summary>
public interface IPlatform
{
    /// <summary>The configured platform name, the <c>{platform}</c> route segment.</summary>
    string Name { get; }

    /// <summary>
    /// Model names or <c>*</c>-suffixed prefixes this platform serves when configuration lists none.
    /// The root routes (<c>/v1/...</c>) use them to pick the platform from the model.
    /// </summary>
    IReadOnlyList<string> DefaultModels { get; }
}
