namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// MotorRT's 4× quadrature decoding from edges, shared by <see cref="GpioQuadratureDecoder"/> (dotnet/iot's event
/// thread) and <see cref="GpioChardevEdgeReader"/> (the kernel's edge queue, drained on the loop thread): every edge
/// on A or B steps the Gray sequence (A,B) = 00 → 10 → 11 → 01 → 00 (+1 each) or back (−1); an edge that contradicts
/// the tracked level (a rising edge on a line already high: the opposite edge was lost) or a jump of both lines is
/// counted in <see cref="Illegal"/> and never as motion; Z's rising edge latches the count. Levels are tracked from
/// the edges themselves. A mutable struct held in a field of its decoder (fields, so the decoder can read them
/// with <see cref="Volatile"/>); no allocation, no lock — the decoder owns the threading.
/// </summary>
internal struct QuadratureState
{
    // delta[old * 4 + new] over state indices 0:(0,0) 1:(1,0) 2:(1,1) 3:(0,1); 2 marks an illegal jump
    private static readonly sbyte[] Delta = [0, 1, 2, -1, -1, 0, 1, 2, 2, -1, 0, 1, 1, 2, -1, 0];

    /// <summary>The tracked level of A.</summary>
    public bool A;

    /// <summary>The tracked level of B.</summary>
    public bool B;

    /// <summary>The state index of (A,B) (0:(0,0) 1:(1,0) 2:(1,1) 3:(0,1)).</summary>
    public int State;

    /// <summary>The count, in quadrature counts (4 per line).</summary>
    public long Count;

    /// <summary>Z rising edges seen.</summary>
    public int IndexPulses;

    /// <summary>The count latched at the last Z rising edge.</summary>
    public long CountAtIndex;

    /// <summary>Edges that contradicted the tracked levels (or were lost), never counted as motion.</summary>
    public long Illegal;

    /// <summary>Starts from the levels <paramref name="a"/> and <paramref name="b"/>: count 0, no index pulse, no illegal transition.</summary>
    public void Reset(bool a, bool b)
    {
        A = a;
        B = b;
        State = StateOf(a, b);
        Count = 0;
        IndexPulses = 0;
        CountAtIndex = 0;
        Illegal = 0;
    }

    /// <summary>An edge on Z: a rising one latches the count.</summary>
    public void IndexEdge(bool rising)
    {
        if (rising)
        {
            IndexPulses++;
            CountAtIndex = Count;
        }
    }

    /// <summary>An edge on A (<paramref name="isA"/>) or B, rising or falling.</summary>
    public void Edge(bool isA, bool rising)
    {
        if ((isA ? A : B) == rising)
        {
            Illegal++; // the opposite edge on this line never arrived
            return;
        }
        if (isA)
        {
            A = rising;
        }
        else
        {
            B = rising;
        }
        int s = StateOf(A, B);
        int d = Delta[State * 4 + s];
        if (d == 2)
        {
            Illegal++;
        }
        else
        {
            Count += d;
        }
        State = s;
    }

    private static int StateOf(bool a, bool b) => a ? (b ? 2 : 1) : (b ? 3 : 0);
}
