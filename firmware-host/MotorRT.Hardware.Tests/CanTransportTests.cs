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
            CanRigTestKit.AssertTicksDoNotAllocate(() =>
            {
                a.TrySend(in f);
                b.TryReceive(out _);
                b.TryReceive(out _);
            });
        }
    }

    [Fact]
    public void Can_fd_frame_is_linux_struct_canfd_frame()
    {
        Assert.Equal(72, Unsafe.SizeOf<CanFdFrame>());
        Assert.Equal(72, Marshal.SizeOf<CanFdFrame>());
        Assert.Equal(4, (int)Marshal.OffsetOf<CanFdFrame>(nameof(CanFdFrame.Length)));
        Assert.Equal(5, (int)Marshal.OffsetOf<CanFdFrame>(nameof(CanFdFrame.Flags)));
        Assert.Equal(8, (int)Marshal.OffsetOf<CanFdFrame>(nameof(CanFdFrame.Data)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(8, 8)]
    [InlineData(9, 12)]
    [InlineData(13, 16)]
    [InlineData(17, 20)]
    [InlineData(21, 24)]
    [InlineData(25, 32)]
    [InlineData(33, 48)]
    [InlineData(49, 64)]
    [InlineData(64, 64)]
    public void Fd_lengths_round_up_to_the_dlc_steps(int bytes, int length) => Assert.Equal(length, CanFdFrame.RoundUpLength(bytes));

    [Fact]
    public void Socket_pair_carries_64_byte_fd_frames_and_classic_frames_on_the_fd_receive()
    {
        var (a, b) = SocketCanTransport.CreatePair();
        using (a)
        using (b)
        {
            var f = new CanFdFrame { Id = CanFrame.ExtendedFlag | 0x8001, Length = 64, Flags = CanFdFrame.BitRateSwitch };
            for (int i = 0; i < 64; i++) f.Data[i] = (byte)(i + 1);
            Assert.True(a.TrySendFd(in f));
            Assert.True(b.TryReceiveFd(out CanFdFrame g));
            Assert.True(g.IsFd);
            Assert.True(g.IsExtended);
            Assert.Equal(0x8001u, g.ExtendedId);
            Assert.Equal(64, g.Length);
            Assert.Equal(f.Payload.ToArray(), g.Payload.ToArray());
            Assert.True(a.TrySend(CanSimple.U32(3, CanSimple.SetAxisState, CanSimple.StateIdle)));
            Assert.True(b.TryReceiveFd(out CanFdFrame c));
            Assert.False(c.IsFd);
            Assert.Equal(4, c.Length);
            Assert.Equal(new byte[] { 1, 0, 0, 0 }, c.Payload.ToArray());
            Assert.False(b.TryReceiveFd(out _));
            Assert.Equal(0, b.LastError);
        }
    }

    [Fact]
    public void Socket_pair_fd_send_and_receive_do_not_allocate()
    {
        var (a, b) = SocketCanTransport.CreatePair();
        using (a)
        using (b)
        {
            var f = new CanFdFrame { Id = 0x100, Length = 24 };
            CanRigTestKit.AssertTicksDoNotAllocate(() =>
            {
                a.TrySendFd(in f);
                b.TryReceiveFd(out _);
                b.TryReceiveFd(out _);
            });
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
    public void Vcan_fd_round_trip_when_the_interface_exists_with_the_fd_mtu()
    {
        // needs "ip link add dev vcan0 type vcan && ip link set vcan0 mtu 72 && ip link set vcan0 up"; without the FD
        // MTU the kernel refuses the 72-byte write (EINVAL) and the test has nothing to check.
        SocketCanTransport tx, rx;
        try
        {
            tx = SocketCanTransport.Open("vcan0", canFd: true);
            rx = SocketCanTransport.Open("vcan0", canFd: true);
        }
        catch (IOException)
        {
            return;
        }
        using (tx)
        using (rx)
        {
            var f = new CanFdFrame { Id = CanFrame.ExtendedFlag | 0x8001, Length = 48, Flags = CanFdFrame.BitRateSwitch };
            f.Data[47] = 0x50;
            if (!tx.TrySendFd(in f))
            {
                Assert.Equal(22, tx.LastError);
                return;
            }
            CanFdFrame g = default;
            Assert.True(SpinWait.SpinUntil(() => rx.TryReceiveFd(out g) && g.ExtendedId == 0x8001, 1000));
            Assert.True(g.IsFd);
            Assert.Equal(48, g.Length);
            Assert.Equal(0x50, g.Data[47]);
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
