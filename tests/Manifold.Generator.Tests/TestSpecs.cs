namespace Manifold.Generator.Tests;

/// <summary>Small inline specs shared by several test classes.</summary>
internal static class TestSpecs
{
    public const string SamplePath = "/repo/specs/test/sample.yaml";

    /// <summary>One operation whose request has unions (string | array, string enum | object, integer | boolean) and enums.</summary>
    public const string Sample = """
        openapi: 3.1.0
        info: { title: Snapshot sample, version: "1" }
        x-manifold:
          namespace: Manifold.Tests.Sample
          protocol: openai
          adapter: Sample
        paths:
          /v1/samples:
            post:
              operationId: createSample
              summary: Creates a sample.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/CreateSampleRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Sample' }
              x-manifold-route-by: { body: model }
        components:
          schemas:
            CreateSampleRequest:
              type: object
              description: What to sample.
              required: [model, input]
              properties:
                model: { type: string, description: The model to use. }
                input:
                  description: Text, or a list of parts.
                  oneOf:
                    - type: string
                    - type: array
                      items: { $ref: '#/components/schemas/Part' }
                tool_choice:
                  oneOf:
                    - type: string
                      enum: [none, auto]
                    - $ref: '#/components/schemas/Part'
                seed:
                  oneOf: [{ type: integer }, { type: boolean }]
                mode: { $ref: '#/components/schemas/Mode' }
                temperature: { type: number }
            Part:
              type: object
              required: [type]
              properties:
                type: { type: string, const: text }
                text: { type: string }
            Mode:
              type: string
              description: How to sample.
              enum: [fast, careful, by-the-book]
            Sample:
              type: object
              required: [id, object, stop_reason]
              properties:
                id: { type: string }
                object: { type: string, const: sample }
                stop_reason: { type: [string, "null"], enum: [done, limit] }
                scores: { type: object, additionalProperties: { type: number } }
        """;

    public const string EchoPath = "/repo/specs/test/echo.yaml";

    /// <summary>
    /// One POST with a required <c>model</c>, a <c>stream</c> flag and an SSE response: what the compile-and-run
    /// tests serve through the real host runtime.
    /// </summary>
    public const string Echo = """
        openapi: 3.1.0
        info: { title: Echo, version: "1" }
        x-manifold: { namespace: Manifold.Tests.Echo, protocol: openai, adapter: Echo }
        paths:
          /v1/echo:
            post:
              operationId: createEcho
              summary: Echoes the request.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/EchoRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/EchoResponse' }
                    text/event-stream:
                      schema: { $ref: '#/components/schemas/EchoChunk' }
              x-manifold-stream: { when: stream }
              x-manifold-route-by: { body: model }
        components:
          schemas:
            EchoRequest:
              type: object
              required: [model]
              properties:
                model: { type: string }
                stream: { type: boolean }
                text: { type: string }
            EchoResponse:
              type: object
              required: [object, model]
              properties:
                object: { type: string, const: echo }
                model: { type: string }
                text: { type: string }
                platform: { type: string }
            EchoChunk:
              type: object
              required: [index, delta]
              properties:
                index: { type: integer }
                delta: { type: string }
        """;
}
