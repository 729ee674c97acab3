namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>
/// A compile-time number of output rows computed together, so the JIT specialises the kernel loop and keeps
/// one accumulator register per row.
/// </summary>
internal interface IRowCount
{
    static abstract int Value { get; }
}

internal readonly struct Rows1 : IRowCount
{
    public static int Value => 1;
}

internal readonly struct Rows2 : IRowCount
{
    public static int Value => 2;
}

internal readonly struct Rows3 : IRowCount
{
    public static int Value => 3;
}

internal readonly struct Rows4 : IRowCount
{
    public static int Value => 4;
}

internal readonly struct Rows5 : IRowCount
{
    public static int Value => 5;
}

internal readonly struct Rows6 : IRowCount
{
    public static int Value => 6;
}

internal readonly struct Rows7 : IRowCount
{
    public static int Value => 7;
}

internal readonly struct Rows8 : IRowCount
{
    public static int Value => 8;
}
