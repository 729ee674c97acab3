using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Server.Auth;

namespace RclonePool.Benchmarks.Server;

/// <summary>
/// What authentication adds to one request once the client's password has been verified (the verification cache hit,
/// as for every request after the first of a minute), for basic and for a bearer key, and one full PBKDF2 verification.
/// <code>dotnet run -c Release --project bench/RclonePool.Benchmarks -- --filter '*AuthenticationBenchmarks*' --job short</code>
/// </summary>
[MemoryDiagnoser]
public class AuthenticationBenchmarks
{
    private const string Password = "bench-pass-4711";
    private readonly string _key = ApiKey.Generate();
    private readonly string _hash = PasswordHash.Create(Password);
    private CredentialAuthenticator _basic = null!;
    private CredentialAuthenticator _bearer = null!;
    private string _basicHeader = null!;

    [GlobalSetup]
    public void Setup()
    {
        var store = new CredentialStore(new Dictionary<string, string> { ["bench"] = _hash }, new Dictionary<string, string> { ["ci"] = ApiKey.Hash(_key) });
        _basic = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = store }, NullLoggerFactory.Instance);
        _bearer = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Bearer, Credentials = store }, NullLoggerFactory.Instance);
        _basicHeader = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bench:" + Password));
        BasicCached().AsTask().GetAwaiter().GetResult(); // the one PBKDF2 run; every call after it hits the cache
    }

    [Benchmark(Baseline = true)]
    public ValueTask<bool> BasicCached() => _basic.AuthenticateAsync(Context("Authorization", _basicHeader), CancellationToken.None);

    [Benchmark]
    public ValueTask<bool> BearerKey() => _bearer.AuthenticateAsync(Context("Authorization", "Bearer " + _key), CancellationToken.None);

    [Benchmark]
    public bool Pbkdf2Verification() => PasswordHash.Verify(Password, _hash);

    private static DefaultHttpContext Context(string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;
        return context;
    }
}
