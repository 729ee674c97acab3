using FsCheck.Xunit;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Tests.Unit.Redundancy;

public sealed class GaloisFieldTests
{
    [Property]
    public bool Multiplication_is_commutative_and_associative(byte a, byte b, byte c) =>
        GaloisField.Multiply(a, b) == GaloisField.Multiply(b, a) &&
        GaloisField.Multiply(GaloisField.Multiply(a, b), c) == GaloisField.Multiply(a, GaloisField.Multiply(b, c));

    [Property]
    public bool Multiplication_distributes_over_addition(byte a, byte b, byte c) =>
        GaloisField.Multiply(a, GaloisField.Add(b, c)) ==
        GaloisField.Add(GaloisField.Multiply(a, b), GaloisField.Multiply(a, c));

    [Property]
    public bool One_is_the_identity_and_zero_annihilates(byte a) =>
        GaloisField.Multiply(a, 1) == a && GaloisField.Multiply(a, 0) == 0 && GaloisField.Add(a, a) == 0;

    [Property]
    public bool Every_nonzero_element_has_an_inverse(byte a) =>
        a == 0 || (GaloisField.Multiply(a, GaloisField.Inverse(a)) == 1 && GaloisField.Divide(GaloisField.Multiply(a, 77), a) == 77);

    [Fact]
    public void Multiplication_matches_carry_less_multiply_reduced_by_0x11D()
    {
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                Assert.Equal(SlowMultiply(a, b), GaloisField.Multiply((byte)a, (byte)b));
            }
        }
    }

    [Fact]
    public unsafe void Product_table_matches_multiply()
    {
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                Assert.Equal(GaloisField.Multiply((byte)a, (byte)b), GaloisField.ProductTable[(a << 8) | b]);
            }
        }
    }

    [Fact]
    public void Two_generates_the_multiplicative_group()
    {
        var seen = new HashSet<byte>();
        for (int i = 0; i < 255; i++)
        {
            Assert.True(seen.Add(GaloisField.Power(2, i)));
        }

        Assert.DoesNotContain((byte)0, seen);
        Assert.Equal(1, GaloisField.Power(2, 255));
    }

    [Fact]
    public void Zero_has_no_inverse() => Assert.Throws<DivideByZeroException>(() => GaloisField.Inverse(0));

    [Property]
    public bool Affine_matrix_applied_bit_by_bit_multiplies(byte c, byte x)
    {
        ulong matrix = GaloisField.AffineMatrix(c);
        int result = 0;
        for (int bit = 0; bit < 8; bit++)
        {
            int row = (int)((matrix >> (8 * (7 - bit))) & 0xFF);
            result |= (System.Numerics.BitOperations.PopCount((uint)(row & x)) & 1) << bit;
        }

        return result == GaloisField.Multiply(c, x);
    }

    [Property]
    public bool Inverted_matrices_multiply_to_the_identity(byte seed)
    {
        int n = 1 + (seed % 12);
        var random = new Random(seed);
        byte[] inverse;
        byte[] matrix;
        while (true)
        {
            matrix = new byte[n * n];
            random.NextBytes(matrix);
            try
            {
                inverse = GaloisMatrix.Invert(matrix, n);
                break;
            }
            catch (InvalidOperationException)
            {
                // singular: draw again
            }
        }

        byte[] product = GaloisMatrix.Multiply(matrix, inverse, n, n, n);
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                if (product[(r * n) + c] != (r == c ? 1 : 0))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [Fact]
    public void Singular_matrices_are_refused() =>
        Assert.Throws<InvalidOperationException>(() => GaloisMatrix.Invert([1, 2, 1, 2], 2));

    private static int SlowMultiply(int a, int b)
    {
        int product = 0;
        for (int i = 0; i < 8; i++)
        {
            if (((b >> i) & 1) != 0)
            {
                product ^= a << i;
            }
        }

        for (int bit = 15; bit >= 8; bit--)
        {
            if (((product >> bit) & 1) != 0)
            {
                product ^= GaloisField.Polynomial << (bit - 8);
            }
        }

        return product;
    }
}
