namespace RclonePool.Server.Api;

/// <summary>A refusal of the REST API that is not a pool failure (a malformed body, a job of someone else): its status and one sentence.</summary>
internal sealed class ApiException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}
