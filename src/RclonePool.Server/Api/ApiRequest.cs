using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using RclonePool.Core.Paths;

namespace RclonePool.Server.Api;

/// <summary>Reads what a request carries: JSON bodies (bounded), pool paths and query values, each refused with a sentence saying what to send.</summary>
internal static class ApiRequest
{
    /// <summary>Largest JSON body accepted; bodies are small requests, never file content.</summary>
    public const int MaxJsonBytes = 64 * 1024;

    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            throw ApiProblems.Unsupported($"Send the body as JSON with 'Content-Type: application/json' (it was '{request.ContentType ?? "none"}').");
        }

        if (request.ContentLength > MaxJsonBytes)
        {
            throw ApiProblems.TooLarge($"The JSON body is {request.ContentLength} bytes; at most {MaxJsonBytes} are accepted.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes)
            {
                throw ApiProblems.TooLarge($"The JSON body is larger than {MaxJsonBytes} bytes, the most accepted.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw ApiProblems.BadRequest("The request has no body; send a JSON object.");
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type)
                ?? throw ApiProblems.BadRequest("The JSON body is null; send a JSON object.");
        }
        catch (JsonException e)
        {
            throw ApiProblems.BadRequest($"The JSON body is malformed: {e.Message}");
        }
    }

    public static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
            (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && contentType.Contains("+json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>A pool path given in a body or query field; BadInput (400) with the CLI's words when it is not one.</summary>
    public static PoolPath Path(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw ApiProblems.BadRequest($"'{field}' is missing; give a pool path such as /backups/file.mkv.");
        }

        return PoolPath.Parse(value.StartsWith('/') ? value : "/" + value);
    }

    /// <summary>The pool path of a <c>{*path}</c> route value (already percent-decoded by routing).</summary>
    public static PoolPath RoutePath(string? value) => PoolPath.Parse("/" + (value ?? string.Empty));

    public static bool Flag(string? value, string name, bool otherwise = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return otherwise;
        }

        return value.ToLowerInvariant() switch
        {
            "1" or "true" or "yes" => true,
            "0" or "false" or "no" => false,
            _ => throw ApiProblems.BadRequest($"'{name}' is '{value}'; give true or false."),
        };
    }

    public static int Integer(string? value, string name, int otherwise, int min, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return otherwise;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw ApiProblems.BadRequest($"'{name}' is '{value}'; give a whole number from {min} to {max}.");
        }

        return number;
    }
}
