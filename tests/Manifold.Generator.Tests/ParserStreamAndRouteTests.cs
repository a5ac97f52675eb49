using Manifold.Generator.Model;
using Manifold.Generator.Tests.Infrastructure;
using static Manifold.Generator.Tests.Infrastructure.SpecParsing;

namespace Manifold.Generator.Tests;

/// <summary>The operation keys Gemini's shape needs: <c>x-manifold-stream: always</c>, <c>x-manifold-aliases</c>, complex path segments.</summary>
public sealed class ParserStreamAndRouteTests
{
    [Fact]
    public void A_path_parameter_inside_a_complex_segment_is_an_argument_and_can_pick_the_platform()
    {
        var operation = Operation(ParseClean(TestSpecs.Gen), "generateContent");

        Assert.Equal("/v1beta/models/{model}:generateContent", operation.Path);
        Assert.Equal(["model"], operation.PathParameters);
        Assert.Equal(new RouteBySpec(RouteByKind.Path, "model"), operation.RouteBy);
        Assert.Equal(["/v1/models/{model}:generateContent"], operation.Aliases);
        Assert.False(operation.StreamOnly);
        Assert.Null(operation.StreamMethodName);
    }

    [Fact]
    public void Stream_always_makes_the_operation_method_the_stream_and_ignores_the_json_response()
    {
        var operation = Operation(ParseClean(TestSpecs.Gen), "streamGenerateContent");

        Assert.True(operation.StreamOnly);
        // The spec lists application/json too (Gemini documents it); a streaming-only handler never answers with it.
        Assert.Null(operation.ResponseType);
        Assert.Equal("GenerateContentResponse", operation.StreamType);
        Assert.Null(operation.StreamWhen);
        Assert.Equal("StreamGenerateContentAsync", operation.MethodName);
        Assert.Equal("StreamGenerateContentAsync", operation.StreamMethodName);
        Assert.Equal(["/v1/models/{model}:streamGenerateContent"], operation.Aliases);
    }

    [Fact]
    public void Stream_always_needs_no_json_response_nor_request_body()
    {
        var spec = ParseClean(Header + """
            paths:
              /v1/events/{channel}:
                get:
                  operationId: watchEvents
                  parameters:
                    - { name: channel, in: path, required: true, schema: { type: string } }
                  responses:
                    '200':
                      description: OK
                      content:
                        text/event-stream:
                          schema: { $ref: '#/components/schemas/Event' }
                  x-manifold-stream: always
                  x-manifold-route-by: { path: channel }
            components:
              schemas:
                Event: { type: object, properties: { data: { type: string } } }
            """);

        var operation = Assert.Single(spec.Operations);
        Assert.Equal((null, null, "Event", true), (operation.RequestType, operation.ResponseType, operation.StreamType, operation.StreamOnly));
        Assert.Equal("WatchEventsAsync", operation.StreamMethodName);
    }

    [Fact]
    public void The_streaming_method_of_a_when_operation_keeps_its_Stream_suffix()
    {
        var operation = Assert.Single(ParseClean(TestSpecs.Echo).Operations);

        Assert.False(operation.StreamOnly);
        Assert.Equal(("CreateEchoAsync", "CreateEchoStreamAsync"), (operation.MethodName, operation.StreamMethodName));
    }

    [Fact]
    public void Aliases_keep_their_order_and_may_name_parameters_in_another_order()
    {
        var spec = ParseClean(Header + """
            paths:
              /v1/things/{thing}/parts/{part}:
                get:
                  operationId: getPart
                  parameters:
                    - { name: thing, in: path, required: true, schema: { type: string } }
                    - { name: part, in: path, required: true, schema: { type: string } }
                  responses:
                    '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Part' } } } }
                  x-manifold-route-by: { path: thing }
                  x-manifold-aliases:
                    - /v2/things/{thing}/parts/{part}
                    - /v1/parts/{part}:of/{thing}
                    - /V1/Things/{thing}/Parts/{part}.json
            components:
              schemas:
                Part: { type: object, properties: { id: { type: string } } }
            """);

        Assert.Equal(
            ["/v2/things/{thing}/parts/{part}", "/v1/parts/{part}:of/{thing}", "/V1/Things/{thing}/Parts/{part}.json"],
            Assert.Single(spec.Operations).Aliases);
    }
}
