namespace Manifold.Host.Media;

/// <summary>
/// An S3-compatible bucket for media (<c>Manifold__Media__Storage=s3</c>), bound from <c>Manifold:Media:S3</c>: AWS S3
/// itself (leave <see cref="Endpoint"/> empty) or any server that speaks its API (MinIO, Ceph, R2, s3rver), addressed
/// path-style by default since most of those have no virtual-host DNS.
/// </summary>
public sealed class S3MediaOptions
{
    public string? Bucket { get; set; }

    /// <summary>The server's URL, e.g. <c>http://minio:9000</c>; empty for AWS S3 in <see cref="Region"/>.</summary>
    public string? Endpoint { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>With <see cref="SecretKey"/>, the credentials; both empty means the SDK's default chain (environment, instance role).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>); true unless the server wants bucket subdomains.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>A key prefix inside the bucket, so one bucket can hold several deployments' media.</summary>
    public string? Prefix { get; set; }
}
