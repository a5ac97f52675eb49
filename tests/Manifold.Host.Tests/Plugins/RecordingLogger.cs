using Microsoft.Extensions.Logging;

namespace Manifold.Host.Tests.Plugins;

/// <summary>Keeps every log entry so tests can assert on what the loader reported.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<Entry> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add(new Entry(logLevel, eventId.Name, formatter(state, exception), exception));

    public sealed record Entry(LogLevel Level, string? EventName, string Message, Exception? Exception);
}
