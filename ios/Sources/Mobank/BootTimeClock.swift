#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// The default `MonotonicClock` of `MobankClient.open`: a clock that keeps counting while the
/// device sleeps. The library's own clock and `ProcessInfo.systemUptime` stop during sleep, so an
/// idle session would outlive its 5 minutes and a backgrounded one would not lock on time.
///
/// Apple: `CLOCK_MONOTONIC_RAW`, which (unlike `CLOCK_UPTIME_RAW`) includes sleep. Linux:
/// `CLOCK_BOOTTIME`.
public final class BootTimeClock: MonotonicClock {
    public init() {}

    public func nowMs() throws -> UInt64 {
        #if canImport(Darwin)
        return clock_gettime_nsec_np(CLOCK_MONOTONIC_RAW) / 1_000_000
        #elseif canImport(Glibc)
        var now = timespec()
        // A failure is reported, not papered over: the library then keeps time on its own clock.
        guard clock_gettime(CLOCK_BOOTTIME, &now) == 0 else {
            throw HookFailure.Failed(detail: "clock_gettime(CLOCK_BOOTTIME) failed, errno \(errno)")
        }
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
        #else
        #error("BootTimeClock needs Darwin or Glibc")
        #endif
    }
}
