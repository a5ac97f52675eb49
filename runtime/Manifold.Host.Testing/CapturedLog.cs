using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Testing;

/// <summary>Keeps the gateway's log lines (Information and above) in memory, for tests to read and failures to quote.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            string line = $"{logLevel}: {category}: {formatter(state, exception)}";
            lines.Enqueue(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
