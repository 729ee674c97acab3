namespace RclonePool.Server.Transport;

/// <summary>
/// Thrown out of a request whose response failed after it started (<see cref="MidResponseFailure"/>), for the server to
/// end the response short: its message says which request and why.
/// </summary>
internal sealed class ResponseCutShortException : IOException
{
    public ResponseCutShortException(string message)
        : base($"{message}; the response was cut short after the bytes already sent, and the connection closed.")
    {
    }
}
