namespace Manifold.Host.PluginEndpoints;

/// <summary><see cref="PluginEndpointMapper"/>'s log messages.</summary>
internal static partial class PluginEndpointsLog
{
    [LoggerMessage(1, LogLevel.Information, "Plugin '{AssemblyPath}' serves {Method} {Pattern} ({OperationId}) at the root and under /{{platform}}.")]
    public static partial void Mapped(ILogger logger, string assemblyPath, string method, string pattern, string operationId);

    [LoggerMessage(2, LogLevel.Warning, "Plugin '{AssemblyPath}' operation {OperationId} names protocol '{Protocol}', which the host does not speak; its errors and streams take OpenAI's shape.")]
    public static partial void UnknownProtocol(ILogger logger, string assemblyPath, string operationId, string protocol);
}
