using System.Diagnostics.Metrics;

namespace Manifold.Host.Metrics;

/// <summary>
/// Listens to this host's <c>Manifold</c> meter and aggregates every measurement into the families of
/// <see cref="MetricDefinitions"/>, which <see cref="Collect"/> writes in Prometheus' text format. Only instruments of the
/// meter this host's <see cref="IMeterFactory"/> made are heard: several hosts in one process (tests, a plugin author's
/// test host) each count their own requests.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    private readonly IMeterFactory _scope;
    private readonly MeterListener _listener;
    private readonly Dictionary<string, MetricFamily> _families;
    private readonly Lock _collecting = new();

    // Families fed by observable instruments: observed anew on each scrape, so what was not observed again is gone.
    private readonly HashSet<MetricFamily> _observed = [];

    public MetricsCollector(IMeterFactory meters)
    {
        _scope = meters;
        _families = MetricDefinitions.All.ToDictionary(static d => d.Name, MetricFamily.Create, StringComparer.Ordinal);
        _listener = new MeterListener { InstrumentPublished = Publish };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((Binding)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((Binding)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((Binding)state!).Record(value, tags));
        _listener.Start();
    }

    private void Publish(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter.Name != GatewayMetrics.MeterName || !ReferenceEquals(instrument.Meter.Scope, _scope)
            || !_families.TryGetValue(instrument.Name, out var family))
        {
            return;
        }
        if (instrument.IsObservable)
        {
            // Its own lock, not the scrape's: instruments are published under System.Diagnostics.Metrics' lock.
            lock (_observed)
            {
                _observed.Add(family);
            }
        }
        listener.EnableMeasurementEvents(instrument, new Binding(family, instrument.IsObservable));
    }

    /// <summary>
    /// Observes the observable instruments (gauges read at scrape time) and writes every family. Scrapes take turns, since an
    /// observable gauge is cleared and observed anew on each.
    /// </summary>
    public string Collect()
    {
        lock (_collecting)
        {
            MetricFamily[] observed;
            lock (_observed)
            {
                observed = [.. _observed];
            }
            foreach (var family in observed)
            {
                family.Clear();
            }
            _listener.RecordObservableInstruments();
            var writer = new PrometheusTextWriter();
            foreach (var definition in MetricDefinitions.All)
            {
                _families[definition.Name].Write(writer);
            }
            return writer.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>An instrument's family, and whether its measurements are observations (set) or changes (add).</summary>
    private sealed class Binding(MetricFamily family, bool observable)
    {
        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (observable)
            {
                family.Set(value, tags);
            }
            else
            {
                family.Add(value, tags);
            }
        }
    }
}
