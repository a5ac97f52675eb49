using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Manifold.Host.Media;

/// <summary>
/// <see cref="IMediaStorage"/> in an S3-compatible bucket, through the AWS SDK. One object per key (under an optional
/// prefix), with its content type as the object's. Downloads stay Manifold's: clients get signed links to Manifold
/// (<see cref="MediaLinks"/>), which streams from the bucket with range support (<see cref="S3ObjectStream"/>), so the
/// bucket can stay private and link expiry works the same as for local files.
/// </summary>
public sealed class S3MediaStorage : IMediaStorage, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3MediaStorage(S3MediaOptions options)
    {
        _bucket = options.Bucket is { Length: > 0 } bucket
            ? bucket
            : throw new InvalidOperationException("Manifold__Media__Storage is s3, but Manifold__Media__S3__Bucket is not set.");
        _prefix = options.Prefix is { Length: > 0 } prefix ? prefix.TrimEnd('/') + "/" : string.Empty;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // S3-compatible servers do not all understand the SDK's trailing checksums (aws-chunked uploads); ask for
            // checksums only where the API requires them, which every server supports.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint is { Length: > 0 } endpoint)
        {
            config.ServiceURL = endpoint;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        _s3 = options.AccessKey is { Length: > 0 } access && options.SecretKey is { Length: > 0 } secret
            ? new AmazonS3Client(new BasicAWSCredentials(access, secret), config)
            : new AmazonS3Client(config);
    }

    public async Task<long> SaveAsync(string key, string contentType, Stream content, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        if (content.CanSeek)
        {
            await PutAsync(objectKey, contentType, content, cancellationToken).ConfigureAwait(false);
            return content.Length;
        }
        // A stream of unknown length (an upstream's download) is spooled to disk first: S3 needs the length up front,
        // and memory must not hold a whole video.
        var spool = Path.Combine(Path.GetTempPath(), "manifold-s3-" + Guid.NewGuid().ToString("N"));
        try
        {
            var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                file.Position = 0;
                await PutAsync(objectKey, contentType, file, cancellationToken).ConfigureAwait(false);
                return file.Length;
            }
        }
        finally
        {
            File.Delete(spool);
        }
    }

    private Task PutAsync(string objectKey, string contentType, Stream content, CancellationToken cancellationToken) =>
        _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = objectKey,
            InputStream = content,
            ContentType = contentType,
            AutoCloseStream = false,
            UseChunkEncoding = false,
        }, cancellationToken);

    public async Task<StoredMedia?> OpenAsync(string key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        GetObjectMetadataResponse metadata;
        try
        {
            metadata = await _s3.GetObjectMetadataAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var length = metadata.ContentLength;
        var contentType = metadata.Headers.ContentType is { Length: > 0 } type ? type : "application/octet-stream";
        return new StoredMedia(new S3ObjectStream(_s3, _bucket, objectKey, length), length, contentType);
    }

    public async Task DeleteAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = ObjectKey(prefix) };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            if (page.S3Objects is { Count: > 0 } objects)
            {
                await _s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = _bucket,
                    Objects = [.. objects.Select(static o => new KeyVersion { Key = o.Key })],
                }, cancellationToken).ConfigureAwait(false);
            }
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
    }

    /// <summary>Creates the bucket when it does not exist yet, so a fresh deployment (or a test's server) needs no manual step.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    private string ObjectKey(string key) => _prefix + MediaKeys.Validate(key.TrimEnd('/')) + (key.EndsWith('/') ? "/" : string.Empty);

    public void Dispose() => _s3.Dispose();
}
