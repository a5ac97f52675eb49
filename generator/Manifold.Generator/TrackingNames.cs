namespace Manifold.Generator
{
    /// <summary>Names of pipeline steps, so tests can assert which steps ran and which were cached.</summary>
    public static class TrackingNames
    {
        public const string Target = nameof(Target);
        public const string Parse = nameof(Parse);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Specs = nameof(Specs);
        public const string RouteIndex = nameof(RouteIndex);
    }
}
