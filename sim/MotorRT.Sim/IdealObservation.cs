using MotorRT.Contracts;
using MotorRT.Contracts.Machines;

namespace MotorRT.Sim;

/// <summary>
/// The twin's state as a controller would see it through ideal sensors — what GEM's environments hand their
/// controllers: phase currents and ε at the end of the step (consistent with each other), the exact speed and angle,
/// the supply voltage and the voltage applied over the step. For training and comparison runs without the rig's sensor
/// models; a run through a rig (<c>SimulatedRig</c>) measures instead.
/// </summary>
public static class IdealObservation
{
    /// <summary>Fills the measured part of <paramref name="obs"/> from <paramref name="twin"/>'s outputs (references untouched).</summary>
    public static void Observe(this PhysicalSystem twin, ref MotorObservation obs)
    {
        ArgumentNullException.ThrowIfNull(twin);
        ref readonly PlantOutputs o = ref twin.Outputs;
        obs.Tick = twin.StepCount;
        obs.Time = twin.Time;
        obs.Period = twin.Tau;
        obs.DcLinkVoltage = o.SupplyVoltage;
        obs.MechanicalSpeed = o.Omega;
        obs.MechanicalAngle = SpaceVector.WrapToTwoPi(o.MechanicalAngle);
        obs.MechanicalPosition = o.MechanicalAngle;
        obs.CurrentA = o.CurrentA;
        obs.CurrentExcitation = o.CurrentExcitation;
        if (twin.Motor.IsDc)
        {
            obs.ElectricalSpeed = o.Omega;
            obs.LastVoltageD = o.VoltageA;
            return;
        }
        obs.CurrentB = o.CurrentB;
        obs.CurrentC = o.CurrentC;
        obs.ElectricalAngle = o.Epsilon;
        obs.ElectricalSpeed = twin.Motor.PolePairs * o.Omega;
        SpaceVector.Clarke(o.CurrentA, o.CurrentB, o.CurrentC, out obs.CurrentAlpha, out obs.CurrentBeta);
        obs.CurrentD = o.CurrentD;
        obs.CurrentQ = o.CurrentQ;
        // The induction machines' dq voltages are in the rotor-flux frame, which no controller observes.
        bool scim = twin.Motor.Type is MotorType.Scim or MotorType.Dfim;
        obs.LastVoltageD = scim ? 0.0 : o.VoltageD;
        obs.LastVoltageQ = scim ? 0.0 : o.VoltageQ;
    }
}
