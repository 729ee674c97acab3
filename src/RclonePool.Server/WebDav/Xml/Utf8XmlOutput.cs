using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// UTF-8 XML written straight into one rented buffer: constant fragments as bytes, text and attribute values escaped
/// as <see cref="System.Xml.XmlWriter"/> escapes them, numbers and dates formatted without a string in between. The
/// caller sends and resets the buffer when it fills; it grows only for a single piece larger than what is left.
/// </summary>
internal sealed class Utf8XmlOutput : IDisposable
{
    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("<>&\r\uFFFE\uFFFF" + ControlCharacters());
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("<>&\"\t\n\r\uFFFE\uFFFF" + ControlCharacters());

    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    private byte[] _buffer;
    private int _length;

    public Utf8XmlOutput(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length => _length;

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Reset() => _length = 0;

    /// <summary>Bytes that are already XML (constant tags, status lines).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Text content: &lt; &gt; &amp; and CR escaped; characters XML cannot hold (C0 controls) as U+FFFD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteText(ReadOnlySpan<char> text) => WriteEscaped(text, TextSpecials);

    /// <summary>An attribute value (between double quotes): also &quot;, tab and line feed escaped.</summary>
    public void WriteAttributeValue(ReadOnlySpan<char> value) => WriteEscaped(value, AttributeSpecials);

    /// <summary>ASCII text known to need no escaping (hex digests, media types, percent-encoded hrefs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteAscii(ReadOnlySpan<char> ascii)
    {
        if (!Ascii.IsValid(ascii) || ascii.ContainsAny(TextSpecials))
        {
            WriteText(ascii);
            return;
        }

        var span = GetSpan(ascii.Length);
        Ascii.FromUtf16(ascii, span, out var written);
        _length += written;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteInt64(long value)
    {
        Utf8Formatter.TryFormat(value, GetSpan(20), out var written);
        _length += written;
    }

    /// <summary>RFC 1123 (<c>Mon, 07 Dec 2026 13:44:36 GMT</c>), as <c>ToString("R")</c> writes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteHttpDate(DateTimeOffset value)
    {
        Utf8Formatter.TryFormat(value, GetSpan(29), out var written, new StandardFormat('R'));
        _length += written;
    }

    /// <summary>RFC 3339 in UTC to the second (<c>2026-12-07T13:44:36Z</c>), as DAV:creationdate is written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteUtcSeconds(DateTime utc)
    {
        var span = GetSpan(20);
        WriteDigits(span, utc.Year, 4);
        span[4] = (byte)'-';
        WriteDigits(span[5..], utc.Month, 2);
        span[7] = (byte)'-';
        WriteDigits(span[8..], utc.Day, 2);
        span[10] = (byte)'T';
        WriteDigits(span[11..], utc.Hour, 2);
        span[13] = (byte)':';
        WriteDigits(span[14..], utc.Minute, 2);
        span[16] = (byte)':';
        WriteDigits(span[17..], utc.Second, 2);
        span[19] = (byte)'Z';
        _length += 20;
    }

    /// <summary>
    /// A pool path percent-encoded per name as <see cref="Uri.EscapeDataString(string)"/> encodes it (only ALPHA,
    /// DIGIT, '-', '.', '_' and '~' stay), '/' before each name.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteEncodedPath(ReadOnlySpan<char> path)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var pending = false;
        while (!path.IsEmpty)
        {
            var c = path[0];
            if (c == '/')
            {
                pending = true;
                path = path[1..];
                continue;
            }

            var span = GetSpan(13); // a '/' and up to 4 UTF-8 bytes, 3 characters each
            var count = 0;
            if (pending)
            {
                span[count++] = (byte)'/';
                pending = false;
            }

            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                span[count++] = (byte)c;
                path = path[1..];
            }
            else
            {
                // A lone surrogate decodes as U+FFFD, which is what EscapeDataString encodes for it.
                Rune.DecodeFromUtf16(path, out var rune, out var consumed);
                var bytes = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..bytes])
                {
                    span[count++] = (byte)'%';
                    span[count++] = HexDigits[b >> 4];
                    span[count++] = HexDigits[b & 0xF];
                }

                path = path[consumed..];
            }

            _length += count;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string ControlCharacters()
    {
        var controls = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            if (c is not '\t' and not '\n' and not '\r')
            {
                controls.Append(c);
            }
        }

        return controls.ToString();
    }

    private static void WriteDigits(Span<byte> span, int value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            span[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteEscaped(ReadOnlySpan<char> text, SearchValues<char> specials)
    {
        while (!text.IsEmpty)
        {
            var special = text.IndexOfAny(specials);
            var plain = special < 0 ? text : text[..special];
            if (!plain.IsEmpty)
            {
                var span = GetSpan(Encoding.UTF8.GetMaxByteCount(plain.Length));
                _length += Encoding.UTF8.GetBytes(plain, span);
            }

            if (special < 0)
            {
                return;
            }

            WriteRaw(text[special] switch
            {
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                '&' => "&amp;"u8,
                '"' => "&quot;"u8,
                '\t' => "&#x9;"u8,
                '\n' => "&#xA;"u8,
                '\r' => "&#xD;"u8,
                _ => "\uFFFD"u8,
            });
            text = text[(special + 1)..];
        }
    }

    private Span<byte> GetSpan(int size)
    {
        if (size > _buffer.Length - _length)
        {
            Grow(size);
        }

        return _buffer.AsSpan(_length);
    }

    private void Grow(int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
