using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MotorRT.Policies.Training.Rl;

/// <summary>
/// The one dense kernel of <see cref="DenseNetwork"/>: C[rows, n] (+)= A[rows, k] · M[k, n], all row-major, with
/// <see cref="Vector{T}"/> register blocking (4 rows × 2 vectors of columns; fused multiply-add where the hardware has it). The summation
/// order is fixed, so results are bit-identical run to run on a given machine.
/// </summary>
internal static class MatMul
{
    /// <summary>C (+)= A·M; with <paramref name="accumulate"/> false C is overwritten.</summary>
    public static void Multiply(ReadOnlySpan<float> a, int rows, int k, ReadOnlySpan<float> m, int n, Span<float> c, bool accumulate)
    {
        if (a.Length < rows * k || m.Length < k * n || c.Length < rows * n) throw new ArgumentException("matrix sizes do not match the spans");
        if (!accumulate) c[..(rows * n)].Clear();
        int w = Vector<float>.Count;
        int col = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; col + 2 * w <= n; col += 2 * w) Block2(a, rows, k, m, n, c, col);
            for (; col + w <= n; col += w) Block1(a, rows, k, m, n, c, col);
        }
        if (n == 1)
        {
            for (int r = 0; r < rows; r++) c[r] += System.Numerics.Tensors.TensorPrimitives.Dot(a.Slice(r * k, k), m[..k]);
            return;
        }
        if (col < n) Scalar(a, rows, k, m, n, c, col);
    }

    private static void Block2(ReadOnlySpan<float> a, int rows, int k, ReadOnlySpan<float> m, int n, Span<float> c, int col)
    {
        int w = Vector<float>.Count;
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float cr = ref MemoryMarshal.GetReference(c);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref float c0 = ref Unsafe.Add(ref cr, r * n + col); // row i of the block starts at offset i·n
            Vector<float> s00 = Load(ref c0, 0), s01 = Load(ref c0, w);
            Vector<float> s10 = Load(ref c0, n), s11 = Load(ref c0, n + w);
            Vector<float> s20 = Load(ref c0, 2 * n), s21 = Load(ref c0, 2 * n + w);
            Vector<float> s30 = Load(ref c0, 3 * n), s31 = Load(ref c0, 3 * n + w);
            ReadOnlySpan<float> a0 = a.Slice(r * k, k), a1 = a.Slice((r + 1) * k, k), a2 = a.Slice((r + 2) * k, k), a3 = a.Slice((r + 3) * k, k);
            for (int j = 0; j < k; j++)
            {
                ref float mj = ref Unsafe.Add(ref mr, j * n + col);
                Vector<float> m0 = Load(ref mj, 0), m1 = Load(ref mj, w);
                var x0 = new Vector<float>(a0[j]);
                s00 = Vector.MultiplyAddEstimate(x0, m0, s00); s01 = Vector.MultiplyAddEstimate(x0, m1, s01);
                var x1 = new Vector<float>(a1[j]);
                s10 = Vector.MultiplyAddEstimate(x1, m0, s10); s11 = Vector.MultiplyAddEstimate(x1, m1, s11);
                var x2 = new Vector<float>(a2[j]);
                s20 = Vector.MultiplyAddEstimate(x2, m0, s20); s21 = Vector.MultiplyAddEstimate(x2, m1, s21);
                var x3 = new Vector<float>(a3[j]);
                s30 = Vector.MultiplyAddEstimate(x3, m0, s30); s31 = Vector.MultiplyAddEstimate(x3, m1, s31);
            }
            Store(s00, ref c0, 0); Store(s01, ref c0, w);
            Store(s10, ref c0, n); Store(s11, ref c0, n + w);
            Store(s20, ref c0, 2 * n); Store(s21, ref c0, 2 * n + w);
            Store(s30, ref c0, 3 * n); Store(s31, ref c0, 3 * n + w);
        }
        for (; r < rows; r++)
        {
            ref float c0 = ref Unsafe.Add(ref cr, r * n + col);
            Vector<float> s0 = Load(ref c0, 0), s1 = Load(ref c0, w);
            ReadOnlySpan<float> a0 = a.Slice(r * k, k);
            for (int j = 0; j < k; j++)
            {
                ref float mj = ref Unsafe.Add(ref mr, j * n + col);
                var x0 = new Vector<float>(a0[j]);
                s0 = Vector.MultiplyAddEstimate(x0, Load(ref mj, 0), s0);
                s1 = Vector.MultiplyAddEstimate(x0, Load(ref mj, w), s1);
            }
            Store(s0, ref c0, 0); Store(s1, ref c0, w);
        }
    }

    private static void Block1(ReadOnlySpan<float> a, int rows, int k, ReadOnlySpan<float> m, int n, Span<float> c, int col)
    {
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float cr = ref MemoryMarshal.GetReference(c);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref float c0 = ref Unsafe.Add(ref cr, r * n + col); // row i of the block starts at offset i·n
            Vector<float> s0 = Load(ref c0, 0), s1 = Load(ref c0, n), s2 = Load(ref c0, 2 * n), s3 = Load(ref c0, 3 * n);
            ReadOnlySpan<float> a0 = a.Slice(r * k, k), a1 = a.Slice((r + 1) * k, k), a2 = a.Slice((r + 2) * k, k), a3 = a.Slice((r + 3) * k, k);
            for (int j = 0; j < k; j++)
            {
                Vector<float> mj = Load(ref Unsafe.Add(ref mr, j * n + col), 0);
                s0 = Vector.MultiplyAddEstimate(new Vector<float>(a0[j]), mj, s0);
                s1 = Vector.MultiplyAddEstimate(new Vector<float>(a1[j]), mj, s1);
                s2 = Vector.MultiplyAddEstimate(new Vector<float>(a2[j]), mj, s2);
                s3 = Vector.MultiplyAddEstimate(new Vector<float>(a3[j]), mj, s3);
            }
            Store(s0, ref c0, 0); Store(s1, ref c0, n); Store(s2, ref c0, 2 * n); Store(s3, ref c0, 3 * n);
        }
        for (; r < rows; r++)
        {
            ref float c0 = ref Unsafe.Add(ref cr, r * n + col);
            Vector<float> s0 = Load(ref c0, 0);
            ReadOnlySpan<float> a0 = a.Slice(r * k, k);
            for (int j = 0; j < k; j++) s0 = Vector.MultiplyAddEstimate(new Vector<float>(a0[j]), Load(ref Unsafe.Add(ref mr, j * n + col), 0), s0);
            Store(s0, ref c0, 0);
        }
    }

    private static void Scalar(ReadOnlySpan<float> a, int rows, int k, ReadOnlySpan<float> m, int n, Span<float> c, int col)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> ar = a.Slice(r * k, k);
            Span<float> cr = c.Slice(r * n, n);
            for (int q = col; q < n; q++)
            {
                float s = cr[q];
                for (int j = 0; j < k; j++) s += ar[j] * m[j * n + q];
                cr[q] = s;
            }
        }
    }

    /// <summary>Writes the transpose of <paramref name="src"/> [rows, cols] into <paramref name="dst"/> [cols, rows].</summary>
    public static void Transpose(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = src.Slice(r * cols, cols);
            for (int q = 0; q < cols; q++) dst[q * rows + r] = row[q];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float at, int offset) => Vector.LoadUnsafe(ref Unsafe.Add(ref at, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> v, ref float at, int offset) => v.StoreUnsafe(ref Unsafe.Add(ref at, offset));
}
