using MotorRT.Contracts;
namespace MotorRT.Policies.Pwa;

/// <summary>
/// One region of a piecewise-affine law: the polytope {θ : H·θ ≤ k} and the affine law u = F·θ + g that holds in it.
/// Units: θ in the SI units of the law's parameters, u in the SI units of its output meaning (duty: dimensionless; V).
/// Arrays are row-major jagged arrays as written in the file (H: rows × n, F: m × n).
/// </summary>
/// <param name="H">Facet normals, one row per inequality, each of length n (the parameter count).</param>
/// <param name="K">Facet offsets, one per row of <paramref name="H"/>.</param>
/// <param name="F">Gain, m rows (outputs) × n columns.</param>
/// <param name="G">Offset, m values.</param>
public sealed record PwaRegion(double[][] H, double[] K, double[][] F, double[] G);

/// <summary>What the outputs of a PWA law mean and how the PWA controller turns them into a converter command.</summary>
public enum PwaOutputMeaning
{
    /// <summary>1–2 outputs: duty of the armature [, excitation] of a DC converter (dimensionless, [−1, 1]).</summary>
    DutyDc,

    /// <summary>3 outputs: phase duties a, b, c of a B6 bridge (dimensionless, [−1, 1]).</summary>
    DutyAbc,

    /// <summary>1 output: armature voltage in V; duty = u / u_dc.</summary>
    VoltageDc,

    /// <summary>2 outputs: stator voltage u_d, u_q in V; inverse Park at the (advanced) electrical angle, then SVM on u_dc.</summary>
    VoltageDq,

    /// <summary>
    /// 1 output: a torque set-point in N·m for a smart drive that closes its own torque loop
    /// (<see cref="CommandMode.TorqueSetpoint"/>: ODrive, moteus); any machine type.
    /// </summary>
    TorqueSetpoint,
}

/// <summary>One element of θ: the quantity and the declared box [<paramref name="Min"/>, <paramref name="Max"/>] in its SI unit.</summary>
/// <param name="Quantity">What the element is.</param>
/// <param name="Min">Lower bound of the declared parameter box, SI unit of the quantity.</param>
/// <param name="Max">Upper bound of the declared parameter box, SI unit of the quantity.</param>
public sealed record PwaParameter(ObservationQuantity Quantity, double Min, double Max);
