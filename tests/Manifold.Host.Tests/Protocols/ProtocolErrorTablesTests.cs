using Manifold.Contracts.Anthropic;
using Manifold.Contracts.Gemini;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Contracts.Upstream;

namespace Manifold.Host.Tests.Protocols;

/// <summary>
/// The contracts' protocol error tables are read by plugins (an upstream's error to a status) and written by the host
/// (a status to the caller's error): the two directions must agree, or an error changes meaning on its way through.
/// </summary>
public sealed class ProtocolErrorTablesTests
{
    [Theory]
    [InlineData(AnthropicErrorTypes.InvalidRequest, 400)]
    [InlineData(AnthropicErrorTypes.Authentication, 401)]
    [InlineData(AnthropicErrorTypes.Billing, 402)]
    [InlineData(AnthropicErrorTypes.Permission, 403)]
    [InlineData(AnthropicErrorTypes.NotFound, 404)]
    [InlineData(AnthropicErrorTypes.Conflict, 409)]
    [InlineData(AnthropicErrorTypes.RequestTooLarge, 413)]
    [InlineData(AnthropicErrorTypes.RateLimit, 429)]
    [InlineData(AnthropicErrorTypes.Api, 500)]
    [InlineData(AnthropicErrorTypes.Timeout, 504)]
    [InlineData(AnthropicErrorTypes.Overloaded, 529)]
    public void Every_documented_anthropic_type_reads_as_its_status_and_is_written_back_unchanged(string type, int status)
    {
        Assert.Equal(status, AnthropicErrorTypes.StatusOf(type));
        Assert.Equal(type, AnthropicErrorTypes.ForStatus(status));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("some_future_error")]
    public void An_anthropic_type_nobody_documents_is_a_bad_gateway(string? type) => Assert.Equal(502, AnthropicErrorTypes.StatusOf(type));

    [Theory]
    [InlineData(OpenAIErrorTypes.InvalidRequest, 400)]
    [InlineData(OpenAIErrorTypes.Authentication, 401)]
    [InlineData(OpenAIErrorTypes.Permission, 403)]
    [InlineData(OpenAIErrorTypes.NotFound, 404)]
    [InlineData(OpenAIErrorTypes.RateLimit, 429)]
    [InlineData(OpenAIErrorTypes.Server, 500)]
    public void Every_openai_type_reads_as_its_status_and_is_written_back_unchanged(string type, int status)
    {
        Assert.Equal(status, OpenAIErrorTypes.StatusOf(type));
        Assert.Equal(type, OpenAIErrorTypes.ForStatus(status));
    }

    [Fact]
    public void Insufficient_quota_is_a_429_that_reads_back_as_a_rate_limit() =>
        Assert.Equal(OpenAIErrorTypes.RateLimit, OpenAIErrorTypes.ForStatus(OpenAIErrorTypes.StatusOf(OpenAIErrorTypes.InsufficientQuota)));

    [Theory]
    [InlineData(ResponsesFailureCodes.Server, 500, OpenAIErrorTypes.Server)]
    [InlineData(ResponsesFailureCodes.RateLimitExceeded, 429, OpenAIErrorTypes.RateLimit)]
    [InlineData(ResponsesFailureCodes.VectorStoreTimeout, 504, OpenAIErrorTypes.Server)]
    [InlineData("invalid_prompt", 400, OpenAIErrorTypes.InvalidRequest)]
    [InlineData(null, 502, OpenAIErrorTypes.Server)]
    public void A_responses_failure_code_stands_for_a_status_and_that_statuss_openai_type(string? code, int status, string type)
    {
        Assert.Equal(status, ResponsesFailureCodes.StatusOf(code));
        Assert.Equal(type, OpenAIErrorTypes.ForStatus(status));
    }

    [Fact]
    public void Google_codes_are_numbered_as_google_rpc_code_numbers_them()
    {
        Assert.Equal(17, GoogleRpcCodes.Names.Count);
        Assert.Equal(("OK", "INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", "UNAUTHENTICATED"), (GoogleRpcCodes.NameOf(0), GoogleRpcCodes.NameOf(3), GoogleRpcCodes.NameOf(8), GoogleRpcCodes.NameOf(16)));
        Assert.Equal("UNKNOWN", GoogleRpcCodes.NameOf(17));
        Assert.False(GoogleRpcCodes.IsErrorName("OK"));
        Assert.False(GoogleRpcCodes.IsErrorName("invalid_argument"));
    }

    [Fact]
    public void Every_error_status_maps_to_a_google_error_code()
    {
        for (var status = 400; status < 600; status++)
        {
            Assert.True(GoogleRpcCodes.IsErrorName(GoogleRpcCodes.ForStatus(status)), $"{status} -> {GoogleRpcCodes.ForStatus(status)}");
        }
    }

    [Theory]
    [InlineData(401, true)]
    [InlineData(403, true)]
    [InlineData(408, true)]
    [InlineData(409, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(529, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(413, false)]
    [InlineData(422, false)]
    public void Account_faults_and_passing_trouble_are_retryable_request_faults_are_not(int status, bool retryable) =>
        Assert.Equal(retryable, RetryableStatuses.Contains(status));
}
