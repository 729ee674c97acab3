using System.Net;
using System.Net.Sockets;
using System.Text;
using RclonePool.Server.Auth;

namespace RclonePool.Tests.Integration.Auth;

/// <summary>Credentials and clients the authentication tests share.</summary>
internal static class AuthFixtures
{
    public const string User = "alice";
    public const string Password = "s3cret-Pässword!";
    public const string WrongPassword = "not-the-password";

    /// <summary>One key for every test (hashing is cheap; the password hash is made once).</summary>
    public static readonly string Key = ApiKey.Generate();

    public static readonly string PasswordHashValue = PasswordHash.Create(Password);

    public static CredentialStore Store() => new(
        new Dictionary<string, string> { [User] = PasswordHashValue },
        new Dictionary<string, string> { ["ci"] = ApiKey.Hash(Key) });

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>Every form a secret of these tests could take in a log line.</summary>
    public static IEnumerable<string> Secrets() =>
    [
        Password, WrongPassword, Key, PasswordHashValue, ApiKey.Hash(Key),
        Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password)),
        Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + WrongPassword)),
    ];

    /// <summary>An HttpClient whose connections come from <paramref name="localAddress"/> (127.0.0.2 is another client on the same machine).</summary>
    public static HttpClient ClientFrom(IPAddress localAddress, Uri baseAddress) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
