package nlp

import (
	"syscall"
	"time"
	"unsafe"
)

// cpuTime is the CPU time the process has used so far (all threads,
// CLOCK_PROCESS_CPUTIME_ID, exact to the nanosecond), so benchmarks can
// report work per CPU-second: other processes on a shared machine
// disturb it much less than wall-clock rates.
func cpuTime() time.Duration {
	const clockProcessCPUTime = 2
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTime, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
