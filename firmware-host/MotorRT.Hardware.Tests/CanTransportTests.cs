using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.ODrive;

namespace MotorRT.Hardware.Tests;

public sealed class CanTransportTests
{
    [Fact]
    public void Can_frame_is_linux_struct_can_frame()
    {
        Assert.Equal(16, Unsafe.SizeOf<CanFrame>());
        Assert.Equal(16, Marshal.SizeOf<CanFrame>());
        Assert.Equal(8, (int)Marshal.OffsetOf<CanFrame>(nameof(CanFrame.Data)));
        Assert.Equal(4, (int)Marshal.OffsetOf<CanFrame>(nameof(CanFrame.Length)));
    }

    [Fact]
    public void Socket_pair_carries_16_byte_frames_both_ways()
    {
        var (a, b) = SocketCanTransport.CreatePair();
        using (a)
        using (b)
        {
            Assert.False(b.TryReceive(out _));
            Assert.Equal(0, b.LastError);
            Assert.True(a.TrySend(CanSimple.F32F32(3, CanSimple.GetEncoderEstimates, 1.25f, -2.5f)));
            Assert.True(b.TryReceive(out CanFrame f));
            Assert.Equal(CanSimple.Id(3, CanSimple.GetEncoderEstimates), f.Id);
            Assert.Equal(8, f.Length);
            Assert.Equal(1.25f, CanSimple.ReadF32(in f, 0));
            Assert.Equal(-2.5f, CanSimple.ReadF32(in f, 4));
            Assert.True(b.TrySend(CanSimple.U32(3, CanSimple.SetAxisState, CanSimple.StateIdle)));
            Assert.True(a.TryReceive(out CanFrame g));
            Assert.Equal(1u, CanSimple.ReadU32(in g, 0));
            Assert.False(a.TryReceive(out _));
        }
    }

    [Fact]
    public void Socket_pair_send_and_receive_do_not_allocate()
    {
        var (a, b) = SocketCanTransport.CreatePair();
        using (a)
        using (b)
        {
            CanFrame f = CanSimple.F32(1, CanSimple.SetInputTorque, 0.5f);
            for (int i = 0; i < 100; i++) { a.TrySend(in f); b.TryReceive(out _); }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                a.TrySend(in f);
                b.TryReceive(out _);
                b.TryReceive(out _);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Vcan_round_trip_when_the_interface_exists()
    {
        // CI machines without the vcan module (or without CAP_NET_ADMIN to create one) run the socket pair above;
        // where "ip link add dev vcan0 type vcan && ip link set vcan0 up" was done, the raw socket path runs too.
        SocketCanTransport tx, rx;
        try
        {
            tx = SocketCanTransport.Open("vcan0");
            rx = SocketCanTransport.Open("vcan0");
        }
        catch (IOException)
        {
            return;
        }
        using (tx)
        using (rx)
        {
            Assert.True(tx.TrySend(CanSimple.F32(0, CanSimple.SetInputTorque, 1.5f)));
            Assert.True(SpinWait.SpinUntil(() => rx.TryReceive(out CanFrame g) && g.Id == CanSimple.Id(0, CanSimple.SetInputTorque), 1000));
        }
    }

    [Fact]
    public void Opening_a_missing_interface_names_it_and_the_errno()
    {
        var e = Assert.Throws<IOException>(() => SocketCanTransport.Open("nocan9"));
        Assert.Contains("nocan9", e.Message);
        Assert.Contains("errno", e.Message);
    }
}
