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

    public const string GenPath = "/repo/specs/test/gen.yaml";

    /// <summary>
    /// Gemini's shape: the model in a complex path segment (<c>{model}:generateContent</c>), a streaming-only
    /// operation, route aliases, and camelCase JSON names also accepted in snake_case.
    /// </summary>
    public const string Gen = """
        openapi: 3.1.0
        info: { title: Gen, version: "1" }
        x-manifold: { namespace: Manifold.Tests.Gen, protocol: openai, adapter: Gen, snake-case-aliases: true }
        paths:
          /v1beta/models/{model}:
            get:
              operationId: getModel
              parameters:
                - { name: model, in: path, required: true, schema: { type: string } }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Model' }
              x-manifold-route-by: { path: model }
          /v1beta/models/{model}:generateContent:
            post:
              operationId: generateContent
              summary: Generates a response.
              parameters:
                - { name: model, in: path, required: true, schema: { type: string } }
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/GenerateContentRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/GenerateContentResponse' }
              x-manifold-route-by: { path: model }
              x-manifold-aliases: ['/v1/models/{model}:generateContent']
          /v1beta/models/{model}:streamGenerateContent:
            post:
              operationId: streamGenerateContent
              summary: Generates a response as a stream.
              parameters:
                - { name: model, in: path, required: true, schema: { type: string } }
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/GenerateContentRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/GenerateContentResponse' }
                    text/event-stream:
                      schema: { $ref: '#/components/schemas/GenerateContentResponse' }
              x-manifold-stream: always
              x-manifold-route-by: { path: model }
              x-manifold-aliases:
                - /v1/models/{model}:streamGenerateContent
        components:
          schemas:
            GenerateContentRequest:
              type: object
              required: [contents]
              properties:
                contents: { type: array, items: { $ref: '#/components/schemas/Content' } }
                systemInstruction: { $ref: '#/components/schemas/Content' }
                generationConfig:
                  type: object
                  properties:
                    maxOutputTokens: { type: integer }
                    topK: { type: integer }
                    temperature: { type: number }
            Content:
              type: object
              properties:
                role: { type: string }
                parts:
                  type: array
                  items:
                    type: object
                    properties:
                      text: { type: string }
            GenerateContentResponse:
              type: object
              required: [modelVersion]
              properties:
                modelVersion: { type: string }
                text: { type: string }
                platform: { type: string }
                echo: { description: The request as the platform received it. }
            Model:
              type: object
              required: [name]
              properties:
                name: { type: string }
                displayName: { type: string }
        """;
}
