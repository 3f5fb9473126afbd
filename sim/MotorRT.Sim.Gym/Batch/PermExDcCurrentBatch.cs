using System.Numerics;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Gym.Batch;

/// <summary>
/// N permanently excited DC current-control environments (Cont-CC-PermExDc-v0 and variants) as structure-of-arrays,
/// the plant stepped with SIMD across environments (<see cref="Vector{T}"/>: Vector256 on AVX2, Vector512 when the
/// runtime's preferred width is 512); the environment layer (references in SoA blocks, reward, constraints,
/// auto-reset by event mask) is <see cref="SimdBatchEnv"/>'s. Per environment it does the scalar twin's operations in
/// the same order (4QC duty → voltage, one explicit Euler step with h = (kτ + τ) − kτ, GEM's normalisation), so the
/// results equal <see cref="GemEnv"/>'s. Requires: ideal supply, no interlocking, no noise, a constant-speed load,
/// Euler with one sub-step, WeightedSumOfErrors with powers 1, limit or squared constraints.
/// </summary>
public sealed class PermExDcCurrentBatch : SimdBatchEnv
{
    private readonly double[] _iArr;
    private readonly int _iOff;
    private readonly double _ra, _psi, _invLa, _tau, _uSup, _omegaFixed;
    private readonly double[] _limit = new double[5];

    /// <summary>
    /// Builds <paramref name="count"/> environments from <paramref name="spec"/> (throws naming what the batch does not
    /// support). With <paramref name="twoThreads"/> a dedicated worker thread steps the second half of the batch
    /// while the caller steps the first (results are identical; <see cref="SimdBatchEnv.Dispose"/> stops the worker).
    /// </summary>
    public PermExDcCurrentBatch(GemEnvSpec spec, int count, bool twoThreads = false) : base(spec, Probe(spec), count, twoThreads)
    {
        PlantSpec p = spec.Plant;
        MotorParameters m = p.Motor;
        _ra = m.ArmatureResistance; _psi = m.ExcitationFlux; _invLa = 1.0 / m.ArmatureInductance;
        _tau = p.Tau;
        _uSup = p.Supply.NominalVoltage * 1.0 - 0.0 * 0.0; // the scalar twin's u_nom·scale − R·i_sup with R = 0
        _omegaFixed = ((ConstantSpeedLoadSpec)p.Load).Omega;
        Layout.Limits.CopyTo(_limit);
        (_iArr, _iOff) = Aligned(PaddedCount);
    }

    private static GemEnv Probe(GemEnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        PlantSpec p = spec.Plant;
        MotorParameters m = p.Motor;
        if (m.Type != MotorType.PermanentlyExcitedDc) throw new ArgumentException($"PermExDcCurrentBatch needs a permanently excited DC motor, got {m.Type}");
        if (p.Converter.Kind != ConverterKind.ContFourQuadrant || p.Converter.InterlockingTime != 0) throw new ArgumentException("PermExDcCurrentBatch needs a continuous 4QC converter without interlocking");
        if (p.Supply.SourceResistance != 0 || p.Noise.Level != 0) throw new ArgumentException("PermExDcCurrentBatch needs an ideal supply and no observation noise");
        if (p.Load is not ConstantSpeedLoadSpec) throw new ArgumentException("PermExDcCurrentBatch needs a constant-speed load (current control)");
        if (p.Solver.Kind != SolverKind.Euler || p.Solver.Substeps != 1) throw new ArgumentException("PermExDcCurrentBatch needs the Euler solver with one sub-step (spec.WithSolver(SolverSpec.Euler))");
        var probe = new GemEnv(spec);
        string[] expected = ["omega", "torque", "i", "u", "u_sup"];
        if (!probe.Layout.Names.SequenceEqual(expected)) throw new ArgumentException($"PermExDcCurrentBatch needs the states {string.Join(", ", expected)}");
        return probe;
    }

    /// <inheritdoc/>
    protected override void ResetPlant(int env, double speed, ReadOnlySpan<double> machine)
    {
        double i = machine[0];
        _iArr[_iOff + env] = i;
        // ω (imposed by the load) and u_sup are constant within an episode: written here only.
        StateColumn(0)[env] = _omegaFixed / _limit[0];
        StateColumn(1)[env] = _psi * i / _limit[1];
        StateColumn(2)[env] = i / _limit[2];
        StateColumn(3)[env] = 0.0 * _uSup / _limit[3]; // the 4QC resets to zero output
        StateColumn(4)[env] = _uSup / _limit[4];
    }

    /// <inheritdoc/>
    protected override void Kernel(int b0, int b1)
    {
        var vI = V(_iArr.AsSpan(_iOff, PaddedCount));
        var vK = V(StepColumn);
        var vA = V(ActionColumn(0));
        var vS1 = V(StateColumn(1));
        var vS2 = V(StateColumn(2));
        var vS3 = V(StateColumn(3));
        var one = Vector<double>.One;
        var minusOne = new Vector<double>(-1.0);
        var zero = Vector<double>.Zero;
        var half = new Vector<double>(0.5);
        var tau = new Vector<double>(_tau);
        var uSup = new Vector<double>(_uSup);
        var ra = new Vector<double>(_ra);
        var psi = new Vector<double>(_psi);
        var invLa = new Vector<double>(_invLa);
        var psiOmega = psi * new Vector<double>(_omegaFixed);
        var lim1 = new Vector<double>(_limit[1]);
        var lim2 = new Vector<double>(_limit[2]);
        var lim3 = new Vector<double>(_limit[3]);
        for (int b = b0; b < b1; b++)
        {
            Vector<double> a = Vector.Min(Vector.Max(vA[b], minusOne), one);
            Vector<double> un = Vector.Min(Vector.Max(half * (a + one), zero), one) - Vector.Min(Vector.Max(half * (one - a), zero), one);
            Vector<double> u = un * uSup;
            Vector<double> t0 = vK[b] * tau;
            Vector<double> h = (t0 + tau) - t0;
            Vector<double> i = vI[b];
            Vector<double> di = (u - ra * i - psiOmega) * invLa;
            i += di * h;
            vI[b] = i;
            vS1[b] = psi * i / lim1;
            vS2[b] = i / lim2;
            vS3[b] = u / lim3;
        }
    }
}
