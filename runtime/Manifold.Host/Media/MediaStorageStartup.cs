using Amazon.S3;

namespace Manifold.Host.Media;

/// <summary>
/// Opens the media storage before the first request: a misconfigured store stops startup with its message, and an S3
/// bucket that does not exist yet is created (a credential without that right is fine: the bucket is then the
/// operator's to create, and the warning says so).
/// </summary>
internal sealed partial class MediaStorageStartup(IMediaStorage storage, ILogger<MediaStorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (storage is not S3MediaStorage s3)
        {
            return;
        }
        try
        {
            await s3.EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex)
        {
            LogBucketNotEnsured(ex.ErrorCode ?? ex.StatusCode.ToString());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "Could not create the media bucket ({Error}); media jobs fail until it exists and Manifold may write to it")]
    private partial void LogBucketNotEnsured(string error);
}
