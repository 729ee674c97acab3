using System.Globalization;
using RclonePool.Server.Auth;

namespace RclonePool.Tests.Unit.Auth;

public sealed class PasswordHashTests
{
    private static readonly string Hash = PasswordHash.Create("correct horse ü");

    [Fact]
    public void A_hash_is_pbkdf2_sha256_with_600000_iterations_and_never_contains_the_password()
    {
        var parts = Hash.Split('$');
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.True(int.Parse(parts[1], CultureInfo.InvariantCulture) >= 600_000);
        Assert.DoesNotContain("correct", Hash, StringComparison.Ordinal);
        Assert.True(PasswordHash.IsWellFormed(Hash));
    }

    [Fact]
    public void The_right_password_verifies_and_a_wrong_one_does_not()
    {
        Assert.True(PasswordHash.Verify("correct horse ü", Hash));
        Assert.False(PasswordHash.Verify("correct horse u", Hash));
        Assert.False(PasswordHash.Verify(string.Empty, Hash));
    }

    [Fact]
    public void The_same_password_hashes_differently_each_time()
    {
        Assert.NotEqual(PasswordHash.Create("pw"), PasswordHash.Create("pw"));
    }

    [Theory]
    [InlineData("plaintext-password")]
    [InlineData("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$600000$not base64$AAAA")]
    [InlineData("pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("")]
    public void Anything_but_a_strong_enough_hash_is_refused(string stored)
    {
        Assert.False(PasswordHash.IsWellFormed(stored));
        Assert.False(PasswordHash.Verify("plaintext-password", stored));
    }
}
