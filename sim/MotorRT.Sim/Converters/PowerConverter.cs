using System.Runtime.CompilerServices;
using MotorRT.Sim.Solvers;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Converters;

/// <summary>
/// GEM 3.0.2's power converters as one flat list of output channels (a multi converter is the concatenation of its
/// sub-converters). Output voltages are normalised to the supply voltage; the caller multiplies by u_sup.
/// Continuous (dynamically averaged) families, per channel with duty d and current i, t_il/τ the interlocking ratio:
/// 1QC u = (i ≥ 0 ? d : 1); 2QC u = clip(d − sgn(i)·t_il/τ, 0, 1); 4QC u = 2QC((a+1)/2, i) − 2QC((1−a)/2, i);
/// B6 u_x = 2QC((a_x+1)/2, i_x) − ½. Finite families use GEM's switching states and its interlocking pattern.
/// </summary>
public sealed class PowerConverter
{
    private enum ChannelKind : byte { C1Q, C2Q, C4Q, CB6, F1Q, F2Q, F4Q, FB6 }

    private struct Channel
    {
        public ChannelKind Kind;
        public int Action;   // continuous: duty index; finite: sub-converter index
        public int Phase;    // B6: 0..2
        public double Duty;  // continuous: clipped duty
        public int Leg0, Leg1;       // finite: switching state applied this step (2QC legs)
        public int Prev0, Prev1;     // finite: state at the end of the previous step
        public int Switch;           // finite 1QC: state
    }

    private static readonly int[] FourQLeg0 = [1, 1, 2, 2];
    private static readonly int[] FourQLeg1 = [1, 2, 1, 2];

    private readonly Channel[] _ch;
    private readonly double _ilRatio;
    private readonly int[] _subStateCount;

    /// <summary>Builds the converter; <paramref name="tau"/> (s) is GEM's converter τ used by the interlocking ratio.</summary>
    public PowerConverter(ConverterSpec spec, double tau)
    {
        if (!(tau > 0)) throw new ArgumentOutOfRangeException(nameof(tau), "tau must be > 0 s");
        if (spec.InterlockingTime < 0 || spec.InterlockingTime > tau)
            throw new ArgumentOutOfRangeException(nameof(spec), $"interlocking time {spec.InterlockingTime} s must be in [0, tau = {tau} s]");
        Spec = spec;
        IsFinite = spec.IsFinite;
        _ilRatio = spec.InterlockingTime / tau;
        var list = new List<Channel>();
        var subs = new List<int>();
        if (spec.Kind is ConverterKind.ContMulti or ConverterKind.FiniteMulti)
        {
            if (spec.SubConverters.Count == 0) throw new ArgumentException("a multi converter needs sub-converters", nameof(spec));
            int action = 0;
            foreach (ConverterKind sub in spec.SubConverters)
            {
                if (sub is ConverterKind.ContMulti or ConverterKind.FiniteMulti)
                    throw new ArgumentException("multi converters cannot be nested", nameof(spec));
                bool subFinite = new ConverterSpec { Kind = sub }.IsFinite;
                if (subFinite != IsFinite)
                    throw new ArgumentException($"sub-converter {sub} does not match the {(IsFinite ? "finite" : "continuous")} multi converter", nameof(spec));
                action = Add(list, subs, sub, action);
            }
        }
        else
        {
            if (spec.SubConverters.Count != 0) throw new ArgumentException("only multi converters have sub-converters", nameof(spec));
            Add(list, subs, spec.Kind, 0);
        }
        if (list.Count > Vec6.Length)
            throw new ArgumentException($"the converter has {list.Count} output channels; the twin carries at most {Vec6.Length} (two B6 bridges)", nameof(spec));
        _ch = [.. list];
        _subStateCount = [.. subs];
        ActionCount = IsFinite ? _subStateCount.Length : _ch.Length;
        Reset();
    }

    private int Add(List<Channel> list, List<int> subs, ConverterKind kind, int action)
    {
        int sub = subs.Count;
        switch (kind)
        {
            case ConverterKind.ContOneQuadrant: list.Add(new Channel { Kind = ChannelKind.C1Q, Action = action }); return action + 1;
            case ConverterKind.ContTwoQuadrant: list.Add(new Channel { Kind = ChannelKind.C2Q, Action = action }); return action + 1;
            case ConverterKind.ContFourQuadrant: list.Add(new Channel { Kind = ChannelKind.C4Q, Action = action }); return action + 1;
            case ConverterKind.ContB6Bridge:
                for (int p = 0; p < 3; p++) list.Add(new Channel { Kind = ChannelKind.CB6, Action = action + p, Phase = p });
                return action + 3;
            case ConverterKind.FiniteOneQuadrant: list.Add(new Channel { Kind = ChannelKind.F1Q, Action = sub }); subs.Add(2); return action;
            case ConverterKind.FiniteTwoQuadrant: list.Add(new Channel { Kind = ChannelKind.F2Q, Action = sub }); subs.Add(3); return action;
            case ConverterKind.FiniteFourQuadrant: list.Add(new Channel { Kind = ChannelKind.F4Q, Action = sub }); subs.Add(4); return action;
            case ConverterKind.FiniteB6Bridge:
                for (int p = 0; p < 3; p++) list.Add(new Channel { Kind = ChannelKind.FB6, Action = sub, Phase = p });
                subs.Add(8);
                return action;
            default: throw new ArgumentException($"unsupported converter {kind}");
        }
    }

    /// <summary>The converter's specification.</summary>
    public ConverterSpec Spec { get; }

    /// <summary>True for switching-state converters (use <see cref="SetSwitching"/>).</summary>
    public bool IsFinite { get; }

    /// <summary>Number of output channels (voltages out, currents in).</summary>
    public int ChannelCount => _ch.Length;

    /// <summary>Continuous: number of duty cycles; finite: number of switching states (one per sub-converter).</summary>
    public int ActionCount { get; }

    /// <summary>Finite converters: the number of switching states of sub-converter <paramref name="sub"/>.</summary>
    public int SwitchingStateCount(int sub) => _subStateCount[sub];

    /// <summary>Back to GEM's reset: zero duty, switching state 0.</summary>
    public void Reset()
    {
        for (int k = 0; k < _ch.Length; k++)
        {
            // GEM's reset action is duty 0 (4QC/B6: half-bridge duties of ½) and switching state 0.
            ref Channel c = ref _ch[k];
            c.Duty = 0.0;
            c.Leg0 = c.Leg1 = c.Prev0 = c.Prev1 = c.Switch = 0;
        }
    }

    /// <summary>GEM's normalised reset voltages (B6 phases −½, others 0).</summary>
    public void ResetVoltages(ref Vec6 uNorm)
    {
        for (int k = 0; k < _ch.Length; k++) uNorm[k] = _ch[k].Kind is ChannelKind.CB6 or ChannelKind.FB6 ? -0.5 : 0.0;
    }

    /// <summary>Continuous converters: latches the duty cycles (clipped to each family's range, as GEM does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetDuties(ReadOnlySpan<double> action)
    {
        Channel[] ch = _ch;
        for (int k = 0; k < ch.Length; k++)
        {
            ref Channel c = ref ch[k];
            double a = action[c.Action];
            c.Duty = c.Kind is ChannelKind.C1Q or ChannelKind.C2Q ? Math.Clamp(a, 0.0, 1.0) : Math.Clamp(a, -1.0, 1.0);
        }
    }

    /// <summary>
    /// Finite converters: latches the switching states (one per sub-converter). Returns true when a half bridge must
    /// pass through its interlocking interval, i.e. GEM splits the step at t_il. GEM 3.0.2 keeps such a half bridge
    /// in state 0 (both switches open) for the whole step: its <c>convert</c> compares t − τ/1000 with the switching
    /// time, which never holds at the split; reproduced on purpose (see sim/README.md).
    /// </summary>
    public bool SetSwitching(ReadOnlySpan<int> states)
    {
        bool split = false;
        bool il = _ilRatio > 0;
        Channel[] ch = _ch;
        for (int k = 0; k < ch.Length; k++)
        {
            ref Channel c = ref ch[k];
            int s = states[c.Action];
            if ((uint)s >= (uint)_subStateCount[c.Action])
                throw new ArgumentOutOfRangeException(nameof(states), $"switching state {s} of sub-converter {c.Action} is outside [0, {_subStateCount[c.Action] - 1}]");
            switch (c.Kind)
            {
                case ChannelKind.F1Q: c.Switch = s; break;
                case ChannelKind.F2Q: c.Leg0 = Leg(s, c.Prev0, il, ref split); c.Prev0 = c.Leg0; break;
                case ChannelKind.F4Q:
                    c.Leg0 = Leg(FourQLeg0[s], c.Prev0, il, ref split); c.Prev0 = c.Leg0;
                    c.Leg1 = Leg(FourQLeg1[s], c.Prev1, il, ref split); c.Prev1 = c.Leg1;
                    break;
                case ChannelKind.FB6:
                    int bit = (s >> (2 - c.Phase)) & 1;
                    c.Leg0 = Leg(bit == 1 ? 1 : 2, c.Prev0, il, ref split); c.Prev0 = c.Leg0;
                    break;
            }
        }
        return split;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Leg(int action, int prev, bool interlock, ref bool split)
    {
        if (action == 0 || prev == 0 || action == prev || !interlock) return action;
        split = true;
        return 0;
    }

    /// <summary>Normalised output voltage of each channel (multiply by u_sup) for the channel currents <paramref name="i"/> (A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Convert(in Vec6 i, ref Vec6 uNorm)
    {
        Channel[] ch = _ch;
        double il = _ilRatio;
        for (int k = 0; k < ch.Length; k++)
        {
            ref Channel c = ref ch[k];
            double ik = i[k];
            uNorm[k] = c.Kind switch
            {
                ChannelKind.C4Q => Half(0.5 * (c.Duty + 1.0), ik, il) - Half(0.5 * (1.0 - c.Duty), ik, il),
                ChannelKind.CB6 => Half(0.5 * (c.Duty + 1.0), ik, il) - 0.5,
                ChannelKind.C2Q => Half(c.Duty, ik, il),
                ChannelKind.C1Q => Math.Clamp(ik >= 0 ? c.Duty : 1.0, 0.0, 1.0),
                ChannelKind.F4Q => FiniteHalf(c.Leg0, ik) - FiniteHalf(c.Leg1, -ik),
                ChannelKind.FB6 => FiniteHalf(c.Leg0, ik) - 0.5,
                ChannelKind.F2Q => FiniteHalf(c.Leg0, ik),
                _ => ik >= 0 ? c.Switch : 1.0,
            };
        }
    }

    /// <summary>Current drawn from the DC link, in A, for channel currents <paramref name="i"/> (A), as GEM's i_sup.</summary>
    public double SupplyCurrent(in Vec6 i)
    {
        Channel[] ch = _ch;
        double il = _ilRatio, sum = 0;
        for (int k = 0; k < ch.Length; k++)
        {
            ref Channel c = ref ch[k];
            double ik = i[k];
            sum += c.Kind switch
            {
                ChannelKind.C4Q => HalfSupply(0.5 * (c.Duty + 1.0), ik, il) + HalfSupply(0.5 * (1.0 - c.Duty), -ik, il),
                ChannelKind.CB6 => HalfSupply(0.5 * (c.Duty + 1.0), ik, il),
                ChannelKind.C2Q => HalfSupply(c.Duty, ik, il),
                ChannelKind.C1Q => c.Duty * ik,
                ChannelKind.F4Q => FiniteHalfSupply(c.Leg0, ik) + FiniteHalfSupply(c.Leg1, -ik),
                ChannelKind.FB6 or ChannelKind.F2Q => FiniteHalfSupply(c.Leg0, ik),
                _ => c.Switch == 1 ? ik : 0.0,
            };
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Half(double duty, double i, double il) => il == 0 ? Math.Clamp(duty, 0.0, 1.0) : Math.Clamp(duty - Sign(i) * il, 0.0, 1.0);

    // Math.Sign(double), inlined: the JIT keeps Math.Sign(double) a call (it throws on NaN, which this still does).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Sign(double x) => x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : Math.Sign(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double HalfSupply(double duty, double i, double il) => (duty + il * ((i < 0 ? 1.0 : 0.0) - duty)) * i;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FiniteHalf(int state, double i) => state switch { 1 => 1.0, 2 => 0.0, _ => i < 0 ? 1.0 : 0.0 };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FiniteHalfSupply(int state, double i) => state switch { 1 => i, 2 => 0.0, _ => i < 0 ? i : 0.0 };
}
