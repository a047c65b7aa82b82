package testutil

import (
	"syscall"
	"testing"
	"time"
)

// ReportCPU adds a cpu-ns/op metric to a benchmark: the process's user and
// system CPU time per iteration, all goroutines and the collector included.
// Unlike ns/op it barely moves when other work shares the machine, so it is
// the figure to compare between changes on a busy machine (ns/op is the
// one a user feels on an idle one). Call it before the loop:
// defer testutil.ReportCPU(b)().
func ReportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
