namespace RclonePool.Server.Auth;

/// <summary>What a request carried: nothing, something unreadable, a user and password, or a key.</summary>
internal readonly record struct PresentedCredential(PresentedCredential.Kinds Kind, string User, string Secret)
{
    public enum Kinds
    {
        Missing,
        Malformed,
        Password,
        Key,
    }

    public static PresentedCredential Missing => new(Kinds.Missing, string.Empty, string.Empty);

    public static PresentedCredential Malformed => new(Kinds.Malformed, string.Empty, string.Empty);
}
