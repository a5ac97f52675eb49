using Manifold.Contracts;
using Manifold.Generator.Tests.Infrastructure;

namespace Manifold.Generator.Tests;

/// <summary>
/// A number's or an integer's <c>minimum</c>/<c>maximum</c> in a spec is checked by the DTO's <c>Validate()</c>, so a request
/// out of range is a 400 naming the field before any platform sees it; a bound the generator cannot use is an error, not
/// a check silently dropped.
/// </summary>
public sealed class NumberBoundsTests
{
    private const string Spec = """
        openapi: 3.1.0
        x-manifold: { namespace: Manifold.Tests.Bounds, protocol: openai, adapter: Bounds }
        paths: {}
        components:
          schemas:
            Sampling:
              type: object
              required: [count]
              properties:
                temperature:
                  type: number
                  minimum: 0
                  maximum: 2
                count:
                  type: integer
                  minimum: -1
                  maximum: 2147483647
                floor:
                  type: number
                  minimum: 0.5
        """;

    [Theory]
    [InlineData(null, 0L, null, null)]
    [InlineData(2.0, 2147483647L, 0.5, null)]
    [InlineData(2.5, 1L, null, "Invalid value for 'temperature': expected a number from 0 to 2.")]
    [InlineData(-0.1, 1L, null, "Invalid value for 'temperature': expected a number from 0 to 2.")]
    [InlineData(1.0, -2L, null, "Invalid value for 'count': expected a number from -1 to 2147483647.")]
    [InlineData(1.0, 2147483648L, null, "Invalid value for 'count': expected a number from -1 to 2147483647.")]
    [InlineData(1.0, 1L, 0.25, "Invalid value for 'floor': expected a number of at least 0.5.")]
    public void Validate_refuses_values_outside_the_bounds_by_field(double? temperature, long count, double? floor, string? message)
    {
        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, ("/repo/specs/test/bounds.yaml", Spec)).AssertClean();
        var assembly = GeneratorDriverHelper.CompileAndLoad("Manifold.Generated.Bounds" + Guid.NewGuid().ToString("N"), run.Trees);
        var type = assembly.GetType("Manifold.Tests.Bounds.Sampling")!;
        var dto = Activator.CreateInstance(type)!;
        type.GetProperty("Temperature")!.SetValue(dto, temperature);
        type.GetProperty("Count")!.SetValue(dto, count);
        type.GetProperty("Floor")!.SetValue(dto, floor);

        var error = ((IValidatable)dto).Validate();

        Assert.Equal(message, error?.Message);
    }

    [Theory]
    [InlineData("{ type: number, maximum: lots }")]
    [InlineData("{ type: string, minimum: 1 }")]
    [InlineData("{ type: integer, maximum: 1.5 }")]
    public void A_bound_that_is_not_a_number_of_the_property_type_is_an_error(string property)
    {
        var diagnostic = DiagnosticsTests.SingleDiagnostic(DiagnosticsTests.Header + $"paths: {{}}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        a: {property}\n");

        Assert.Equal("MF0004", diagnostic.Id);
        Assert.Contains("of 'Thing.a' must be a number, on a number or integer property", diagnostic.GetMessage(), StringComparison.Ordinal);
    }
}
