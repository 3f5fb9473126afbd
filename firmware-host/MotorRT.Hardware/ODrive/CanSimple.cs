using System.Buffers.Binary;
using MotorRT.Hardware.Can;

namespace MotorRT.Hardware.ODrive;

/// <summary>
/// ODrive's CANSimple protocol (firmware 0.5.x/0.6.x), the messages MotorRT uses: 11-bit id = node_id &lt;&lt; 5 | cmd_id,
/// little-endian payloads, IEEE-754 float32 quantities in turns, turns/s, N·m, A and V.
/// </summary>
public static class CanSimple
{
    /// <summary>Heartbeat (board → host): axis error u32, axis state u8, procedure result u8, trajectory done u8.</summary>
    public const uint Heartbeat = 0x01;

    /// <summary>Emergency stop (host → board, no payload): the board disarms with ESTOP_REQUESTED.</summary>
    public const uint Estop = 0x02;

    /// <summary>Set_Axis_State (host → board): requested state u32.</summary>
    public const uint SetAxisState = 0x07;

    /// <summary>Get_Encoder_Estimates (board → host, cyclic or on RTR): position f32 (turns), velocity f32 (turns/s).</summary>
    public const uint GetEncoderEstimates = 0x09;

    /// <summary>Set_Controller_Mode (host → board): control mode u32, input mode u32.</summary>
    public const uint SetControllerMode = 0x0B;

    /// <summary>Set_Input_Vel (host → board): velocity f32 (turns/s), torque feed-forward f32 (N·m).</summary>
    public const uint SetInputVel = 0x0D;

    /// <summary>Set_Input_Torque (host → board): torque f32 (N·m).</summary>
    public const uint SetInputTorque = 0x0E;

    /// <summary>Get_Iq (board → host): Iq set-point f32 (A), Iq measured f32 (A).</summary>
    public const uint GetIq = 0x14;

    /// <summary>Get_Bus_Voltage_Current (board → host): bus voltage f32 (V), bus current f32 (A).</summary>
    public const uint GetBusVoltageCurrent = 0x17;

    /// <summary>Clear_Errors (host → board).</summary>
    public const uint ClearErrors = 0x18;

    /// <summary>AXIS_STATE_IDLE.</summary>
    public const uint StateIdle = 1;

    /// <summary>AXIS_STATE_CLOSED_LOOP_CONTROL.</summary>
    public const uint StateClosedLoop = 8;

    /// <summary>CONTROL_MODE_TORQUE_CONTROL.</summary>
    public const uint ControlTorque = 1;

    /// <summary>CONTROL_MODE_VELOCITY_CONTROL.</summary>
    public const uint ControlVelocity = 2;

    /// <summary>INPUT_MODE_PASSTHROUGH.</summary>
    public const uint InputPassthrough = 1;

    /// <summary>The 11-bit id of <paramref name="cmd"/> for <paramref name="node"/> (0–63).</summary>
    public static uint Id(int node, uint cmd) => ((uint)node << 5) | cmd;

    /// <summary>Node id of a standard id.</summary>
    public static int Node(uint id) => (int)((id & 0x7FF) >> 5);

    /// <summary>Command id of a standard id.</summary>
    public static uint Command(uint id) => id & 0x1F;

    /// <summary>A frame with no payload.</summary>
    public static CanFrame Empty(int node, uint cmd) => new() { Id = Id(node, cmd), Length = 0 };

    /// <summary>A frame with one u32.</summary>
    public static CanFrame U32(int node, uint cmd, uint value)
    {
        var f = new CanFrame { Id = Id(node, cmd), Length = 4 };
        BinaryPrimitives.WriteUInt32LittleEndian(f.Data, value);
        return f;
    }

    /// <summary>A frame with two u32.</summary>
    public static CanFrame U32U32(int node, uint cmd, uint a, uint b)
    {
        CanFrame f = U32(node, cmd, a);
        f.Length = 8;
        BinaryPrimitives.WriteUInt32LittleEndian(((Span<byte>)f.Data)[4..], b);
        return f;
    }

    /// <summary>A frame with one float32 (its IEEE-754 bits as the u32 of <see cref="U32"/>).</summary>
    public static CanFrame F32(int node, uint cmd, float value) => U32(node, cmd, BitConverter.SingleToUInt32Bits(value));

    /// <summary>A frame with two float32 (their IEEE-754 bits as the u32 of <see cref="U32U32"/>).</summary>
    public static CanFrame F32F32(int node, uint cmd, float a, float b) =>
        U32U32(node, cmd, BitConverter.SingleToUInt32Bits(a), BitConverter.SingleToUInt32Bits(b));

    /// <summary>A heartbeat frame.</summary>
    public static CanFrame HeartbeatFrame(int node, uint axisError, byte axisState, byte procedureResult, byte trajectoryDone)
    {
        CanFrame f = U32(node, Heartbeat, axisError);
        f.Length = 8;
        Span<byte> d = f.Data;
        d[4] = axisState;
        d[5] = procedureResult;
        d[6] = trajectoryDone;
        return f;
    }

    /// <summary>u32 at byte <paramref name="offset"/>.</summary>
    public static uint ReadU32(in CanFrame f, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(((ReadOnlySpan<byte>)f.Data)[offset..]);

    /// <summary>float32 at byte <paramref name="offset"/>.</summary>
    public static float ReadF32(in CanFrame f, int offset) => BitConverter.UInt32BitsToSingle(ReadU32(in f, offset));
}
